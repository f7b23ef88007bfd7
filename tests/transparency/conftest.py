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
