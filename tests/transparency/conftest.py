"""Fixtures for the transparency tests."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: the append-only trigger, and row locks between connections, "
            "exist only there"
        )


@pytest.fixture(autouse=True)
def _signed_only_when_asked(no_worker_yet: None) -> None:
    """Appends queue a signing task that no worker runs here: each test signs
    the heads it needs with do_sign_tree_head, as the worker would."""
