"""The police handover page: the caseworker tells the person what the police may
still do with immigration information, and confirms it; the confirmation is
required and recorded with the consent (field and audit event)."""

from __future__ import annotations

import html

import pytest
from liaison_helpers import (
    Counts,
    assert_form_refused,
    new_url,
    police_consent,
    refuse_every_police_disclosure,
    send,
    send_by_action,
    send_on_record,
)

from safereport.accounts.actions import ActionRefused
from safereport.accounts.models import AuditEvent
from safereport.cases.models import Consent
from safereport.core.events import EventKind
from safereport.core.vocabulary import Section
from safereport.liaison.models import PoliceHandover

pytestmark = pytest.mark.django_db

PROTOCOL_WORDS = (
    "if the police learn who you are, they may check your immigration status",
    "it is only for a limited time, and it only starts after the police refer you",
    "The protocol does not protect you if the police or the Home Office do not see you as a victim",
)


def told_events():  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(kind=EventKind.PROTOCOL_LIMITS_TOLD)


def test_the_page_says_it_and_asks_for_the_confirmation(caseworker, report):
    page = html.unescape(caseworker.get(new_url(report)).content.decode())
    for words in PROTOCOL_WORDS:
        assert words in page
    assert 'name="protocol_limits_told"' in page
    assert "I have told the person this" in page
    assert 'type="checkbox" name="protocol_limits_told"' in page
    assert " checked" not in page.split('name="protocol_limits_told"')[1].split(">")[0]
    # The same words in each public language, to read with them.
    for code in ("en", "es", "pt", "tl", "ar", "ur"):
        assert f'href="/{code}/your-rights/#protocol"' in page


def test_without_the_confirmation_nothing_is_sent_or_recorded(caseworker, personas, report):
    before = Counts()
    response = send(caseworker, report, force=personas.police_force, protocol_limits_told="")
    assert_form_refused(response, "then tick this box", before, report)
    assert not told_events().exists()


def test_the_action_refuses_without_the_confirmation(personas, report):
    before = Counts()
    with pytest.raises(ActionRefused, match="Home Office protocol"):
        send_by_action(
            personas,
            report,
            sections=[Section.INCIDENT],
            consent_words="Yes, today.",
            protocol_limits_told=False,
        )
    after = Counts()
    assert (after.attempts, after.handovers) == (before.attempts, before.handovers)
    assert not Consent.objects.exists() and not told_events().exists()


def test_the_confirmation_is_recorded_with_the_spoken_consent(caseworker, personas, report):
    response = send(
        caseworker, report, force=personas.police_force, sections=["incident", "perpetrator"]
    )
    assert response.status_code == 302
    consent = Consent.objects.get(report=report)
    handover = PoliceHandover.objects.get()
    assert consent.protocol_limits_told_by == personas.caseworker
    assert consent.protocol_limits_told_at is not None
    event = told_events().get()
    assert event.actor == personas.caseworker
    assert event.detail == {
        "report": report.public_id,
        "consents": [consent.pk],
        "handover": handover.pk,
        "force": personas.police_force.slug,
    }


def test_the_confirmation_is_recorded_with_the_existing_consent_it_relies_on(
    caseworker, personas, report, other_force
):
    relied_on = police_consent(
        personas, report, [Section.INCIDENT, Section.PERPETRATOR], "In person last week."
    )
    elsewhere = police_consent(
        personas, report, [Section.INCIDENT], "Also to the other force.", force=other_force.force
    )
    response = send_on_record(caseworker, report, force=personas.police_force)
    assert response.status_code == 302
    relied_on.refresh_from_db()
    elsewhere.refresh_from_db()
    assert relied_on.protocol_limits_told_by == personas.caseworker
    assert elsewhere.protocol_limits_told_at is None  # another force: not this send
    first_time = relied_on.protocol_limits_told_at
    # A second send keeps the first confirmation on the consent; both are audit events.
    response = send_on_record(
        caseworker, report, force=personas.police_force, sections=["perpetrator"]
    )
    assert response.status_code == 302
    relied_on.refresh_from_db()
    assert relied_on.protocol_limits_told_at == first_time
    assert [e.detail["consents"] for e in told_events().order_by("pk")] == [
        [relied_on.pk],
        [relied_on.pk],
    ]


def test_after_a_refusal_the_confirmation_stays_with_the_consent_not_kept(
    personas, report, monkeypatch
):
    """A stricter local rule (a forbid an organisation may add) refuses every
    disclosure to a police force after her words were recorded: the consent is
    withdrawn again, and still says that she was told."""
    refuse_every_police_disclosure(monkeypatch)
    outcome = send_by_action(
        personas,
        report,
        sections=[Section.INCIDENT],
        consent_words="By phone on Monday: yes, to the police.",
    )
    assert not outcome.allowed
    consent = Consent.objects.get(report=report)
    assert outcome.consent_not_kept is not None and consent.pk == outcome.consent_not_kept.pk
    assert consent.withdrawn_at is not None
    assert consent.protocol_limits_told_by == personas.caseworker
    event = told_events().get()
    assert event.detail["consents"] == [consent.pk] and event.detail["handover"] is None
