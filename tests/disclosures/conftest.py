"""Fixtures for the firewall's Django side: a real report, real keys, real log."""

from __future__ import annotations

import pytest

from sr_testing.personas import submit_report


@pytest.fixture
def report(personas):  # type: ignore[no-untyped-def]
    return submit_report(personas.support_org, text="canary-incident-text")
