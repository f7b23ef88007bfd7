"""Helpers for case tests: a report submitted through the real action."""

from __future__ import annotations

import pytest
from django.utils import translation

from sr_testing.reports import PNG_1PX, submit

__all__ = ["PNG_1PX", "submit"]


@pytest.fixture
def submitted(personas):  # type: ignore[no-untyped-def]
    return submit(personas)


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """Read English pages, whatever language an earlier test left active."""
    with translation.override("en"):
        yield
