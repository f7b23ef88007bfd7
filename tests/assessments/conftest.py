"""Fixtures for the risk pages: a real report and a signed-in caseworker."""

from __future__ import annotations

import pytest
from django.utils import translation

from sr_testing.personas import sign_in
from sr_testing.reports import submit


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.fixture
def report(personas):  # type: ignore[no-untyped-def]
    report, _ = submit(personas, text="canary-incident-text")
    return report


@pytest.fixture
def caseworker(client, personas):  # type: ignore[no-untyped-def]
    assert sign_in(client, personas.caseworker).status_code == 302
    return client
