"""Requests from an immigration authority: recorded, refused by the firewall,
explained to the organisation, and counted on the public transparency page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safereport.core.events import EventKind
from safereport.core.ledger import Decision, decode_entry
from safereport.core.vocabulary import OrgKind, Purpose
from safereport.disclosures.models import (
    DisclosureAttempt,
    DisclosurePackage,
    ImmigrationAuthorityRequest,
)
from safereport.transparency.actions import do_sign_tree_head
from safereport.transparency.models import LogEntry
from sr_testing.personas import sign_in

pytestmark = pytest.mark.django_db


def _public_count(client) -> int:  # type: ignore[no-untyped-def]
    """The count as the public transparency page shows it."""
    page = client.get("/en/transparency/")
    assert page.status_code == 200
    found = re.search(
        r"Requests from immigration authorities refused: (\d+)", page.content.decode()
    )
    assert found is not None
    return int(found.group(1))


def test_a_recorded_request_is_refused_explained_and_counted(client, personas, report):
    public = _public_count(client)
    sign_in(client, personas.caseworker)
    url = reverse("staff:disclosure_immigration")
    form = client.get(url, {"report": report.public_id})
    assert form.status_code == 200
    assert personas.immigration_authority.name in form.content.decode()
    response = client.post(
        url,
        {
            "authority": personas.immigration_authority.pk,
            "what_was_asked": "Address and status of a client",
            "received_on": "2026-03-02",
            "report": report.public_id,
        },
    )
    assert response.status_code == 302
    recorded = ImmigrationAuthorityRequest.objects.get()
    assert recorded.refused and recorded.report == report
    assert recorded.received_on == dt.date(2026, 3, 2)
    attempt = recorded.attempt
    assert not attempt.allowed
    assert attempt.purpose == Purpose.IMMIGRATION_ENFORCEMENT.value
    assert attempt.recipient_kind == OrgKind.IMMIGRATION_AUTHORITY.value
    assert "inv1-no-immigration-authority" in attempt.rule_ids
    assert "inv2-no-immigration-enforcement" in attempt.rule_ids
    assert not DisclosurePackage.objects.exists()
    entry = decode_entry(bytes(LogEntry.objects.get(index=attempt.ledger_index).data))
    assert entry.kind is EventKind.IMMIGRATION_REQUEST_REFUSED
    assert entry.decision is Decision.DENY
    # The log entry holds nothing typed by a person.
    assert "Address" not in bytes(LogEntry.objects.get(index=attempt.ledger_index).data).decode()

    page = client.get(response.url).content.decode()
    assert "This request has been recorded and refused." in page
    assert "not obliged to hand over" in page
    assert "What to do next" in page and "Who to call" in page
    assert "0303 123 1113" in page
    # Counted from the signed log: once the queue signs the next tree head.
    assert _public_count(client) == public
    do_sign_tree_head()
    assert _public_count(client) == public + 1


def test_bad_input_is_explained_and_kept(client, personas):
    sign_in(client, personas.caseworker)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("staff:disclosure_immigration"),
        {
            "authority": personas.immigration_authority.pk,
            "what_was_asked": "Client list",
            "received_on": tomorrow.isoformat(),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be in the future" in page
    assert "Client list" in page  # nothing typed is lost
    response = client.post(reverse("staff:disclosure_immigration"), {"received_on": "yesterday"})
    assert "Enter the date as year-month-day" in response.content.decode()
    assert not DisclosureAttempt.objects.exists()


def test_the_authority_must_be_an_immigration_authority(client, personas):
    sign_in(client, personas.caseworker)
    response = client.post(
        reverse("staff:disclosure_immigration"),
        {
            "authority": personas.police_force.pk,
            "what_was_asked": "Details",
            "received_on": "2026-01-05",
        },
    )
    assert response.status_code == 400
    assert not ImmigrationAuthorityRequest.objects.exists()


def test_another_organisations_report_cannot_be_named(client, personas, report):
    sign_in(client, personas.other_caseworker)
    response = client.post(
        reverse("staff:disclosure_immigration"),
        {
            "authority": personas.immigration_authority.pk,
            "what_was_asked": "Details",
            "received_on": "2026-01-05",
            "report": report.public_id,
        },
    )
    assert response.status_code == 404
    assert not ImmigrationAuthorityRequest.objects.exists()
    # Nor can they read another organisation's recorded requests.
    sign_in(client, personas.caseworker)
    client.post(
        reverse("staff:disclosure_immigration"),
        {
            "authority": personas.immigration_authority.pk,
            "what_was_asked": "Details",
            "received_on": "2026-01-05",
        },
    )
    recorded = ImmigrationAuthorityRequest.objects.get()
    other = client.__class__()
    sign_in(other, personas.other_caseworker)
    url = reverse("staff:disclosure_immigration_refused", kwargs={"request_id": recorded.pk})
    assert other.get(url).status_code == 404


def test_reference_numbers_from_the_letter_are_not_kept(client, personas):
    sign_in(client, personas.caseworker)
    response = client.post(
        reverse("staff:disclosure_immigration"),
        {
            "authority": personas.immigration_authority.pk,
            "what_was_asked": "Whereabouts of passport 123456789",
            "received_on": "2026-01-05",
        },
    )
    assert response.status_code == 400
    assert "reference or document number" in response.content.decode()
    assert not ImmigrationAuthorityRequest.objects.exists()
