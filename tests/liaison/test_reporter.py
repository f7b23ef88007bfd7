"""The reporter, back with the receipt, reads what the police did: the force,
the way, acknowledged or not, the crime reference and every progress update;
never the police's questions (they are for the caseworker)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from liaison_helpers import handover_url, make_handover

from safereport.core.vocabulary import Section
from safereport.liaison.models import LiaisonMessage
from sr_testing.proofs import post_with_proof

pytestmark = pytest.mark.django_db


def _open_with_receipt(passphrase: str) -> str:
    reporter = Client()
    opened = post_with_proof(reporter, reverse("public:return_start"), {"passphrase": passphrase})
    assert opened.status_code == 302
    page = reporter.get(reverse("public:return_more"))
    assert page.status_code == 200
    return page.content.decode()


def test_nothing_about_the_police_before_anything_was_sent(sent):
    page = _open_with_receipt(sent.passphrase)
    assert 'id="your-police"' not in page


def test_the_reporter_reads_updates_and_the_crime_reference(police, caseworker, personas, sent):
    handover = make_handover(personas, sent.report, way="anonymous")
    page = _open_with_receipt(sent.passphrase)
    assert personas.police_force.name in page
    assert "Anonymous information" in page
    assert "Not yet" in page  # not acknowledged yet
    for name, data in [
        ("police_acknowledge", {"crime_reference": "AB/555/26"}),
        ("police_question", {"text": "canary-internal-question"}),
        ("police_update", {"text": "canary-update-one"}),
        ("police_update", {"text": "canary-update-two"}),
    ]:
        assert police.post(handover_url(handover, name), data).status_code == 302, name
    assert LiaisonMessage.objects.filter(kind="question").count() == 1
    page = _open_with_receipt(sent.passphrase)
    assert "AB/555/26" in page
    assert "Yes, on" in page
    assert "canary-update-one" in page and "canary-update-two" in page
    assert page.index("canary-update-one") < page.index("canary-update-two")
    assert "canary-internal-question" not in page


def test_an_accompanied_appointment_shows_when_and_where(personas, sent):
    import datetime as dt

    make_handover(
        personas,
        sent.report,
        way="accompanied",
        sections=[Section.INCIDENT],
        appointment_at=dt.datetime(2026, 12, 3, 14, 0, tzinfo=dt.UTC),
        appointment_place="canary-place Market Street",
    )
    page = _open_with_receipt(sent.passphrase)
    assert "An appointment with the police" in page
    assert "canary-place Market Street" in page
    assert "3 Dec 2026" in page
