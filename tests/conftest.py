"""Fixtures for the whole suite. Core tests need none of the Django ones."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest) -> None:
    """Lower the staff password KDF cost in tests only (never in settings)."""
    if request.config.pluginmanager.hasplugin("django") and os.environ.get(
        "DJANGO_SETTINGS_MODULE"
    ):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["sr_testing.hashers.FastArgon2PasswordHasher"]


@pytest.fixture
def personas(db):  # type: ignore[no-untyped-def]
    from sr_testing.personas import make_personas

    return make_personas()
