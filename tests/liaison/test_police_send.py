"""The caseworker involves the police in each of the three ways, through the real page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from liaison_helpers import (
    Counts,
    assert_form_refused,
    client_for,
    is_checked,
    new_url,
    police_consent,
    refuse_every_police_disclosure,
    send,
    send_by_action,
    send_on_record,
    submit_full_report,
)

from safereport.accounts.actions import ActionRefused
from safereport.accounts.models import AuditEvent
from safereport.cases.models import Consent
from safereport.core.events import EventKind
from safereport.core.vocabulary import Purpose, Section
from safereport.disclosures.models import DisclosureAttempt
from safereport.liaison.models import PoliceHandover, Way

pytestmark = pytest.mark.django_db


def test_the_page_offers_police_forces_and_never_the_immigration_section(
    caseworker, personas, report, other_force
):
    page = caseworker.get(new_url(report)).content.decode()
    assert personas.police_force.name in page
    assert other_force.force.name in page
    assert personas.specialist_service.name not in page
    assert personas.immigration_authority.name not in page
    assert 'value="immigration"' not in page
    assert 'value="incident"' in page and 'value="identity"' in page
    # The way the reporter asked for in the journey is chosen already.
    assert is_checked(page, "way", "named")
    assert not is_checked(page, "way", "anonymous")


def test_a_named_report_with_consent_in_the_reporters_words(caseworker, personas, report):
    response = send(
        caseworker,
        report,
        force=personas.police_force,
        sections=["incident", "perpetrator", "identity", "contact"],
        consent_words="By phone on Monday with an interpreter: yes, all of it to the police.",
    )
    assert response.status_code == 302
    assert response.url.endswith("#police-liaison")
    handover = PoliceHandover.objects.get()
    report.refresh_from_db()
    assert report.status == "in_progress"  # a caseworker acted on it
    assert handover.way == Way.NAMED
    assert handover.force == personas.police_force
    assert handover.created_by == personas.caseworker
    assert handover.package.purpose == Purpose.CRIME_INVESTIGATION
    assert sorted(handover.package.sections) == ["contact", "identity", "incident", "perpetrator"]
    assert handover.package.attempt.allowed
    consent = Consent.objects.get(report=report)
    assert consent.recipient == personas.police_force
    assert consent.purpose == Purpose.CRIME_INVESTIGATION
    assert "interpreter" in consent.note
    assert AuditEvent.objects.filter(
        kind=EventKind.POLICE_HANDOVER_SENT, detail__handover=handover.pk
    ).exists()
    # The caseworker's case page shows it in the police panel.
    case = caseworker.get(response.url.split("#")[0]).content.decode()
    assert 'id="police-liaison"' in case
    assert personas.police_force.name in case


def test_an_existing_consent_is_used_when_the_reporter_gave_it_before(caseworker, personas, report):
    police_consent(
        personas, report, [Section.INCIDENT, Section.PERPETRATOR], "In person last week."
    )
    page = caseworker.get(new_url(report)).content.decode()
    assert "In person last week." not in page  # the note stays on the consent page
    assert personas.police_force.name in page
    response = send_on_record(
        caseworker, report, force=personas.police_force, sections=["incident", "perpetrator"]
    )
    assert response.status_code == 302
    assert PoliceHandover.objects.count() == 1
    assert Consent.objects.filter(report=report).count() == 1  # no new consent


def test_without_consent_the_firewall_refuses_and_nothing_but_the_attempt_is_kept(
    caseworker, personas, report
):
    before = Counts()
    response = send_on_record(caseworker, report, force=personas.police_force)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Refused by the firewall" in page
    after = Counts()
    assert after.handovers == before.handovers
    assert after.packages == before.packages
    assert after.refused == before.refused + 1
    attempt = DisclosureAttempt.objects.get(allowed=False)
    assert attempt.recipient == personas.police_force
    assert attempt.purpose == Purpose.CRIME_INVESTIGATION
    assert f"number {attempt.pk}" in page
    # What was typed is kept: the chosen force and section stay selected.
    assert is_checked(page, "sections", "incident")
    assert is_checked(page, "force", str(personas.police_force.pk))


def test_consent_for_fewer_sections_is_refused_for_the_rest(caseworker, personas, report):
    police_consent(personas, report, [Section.INCIDENT], "Only what happened.")
    response = send_on_record(
        caseworker, report, force=personas.police_force, sections=["incident", "contact"]
    )
    assert response.status_code == 403
    assert PoliceHandover.objects.count() == 0


def test_anonymous_information_carries_only_incident_and_perpetrator(caseworker, personas, sent):
    report = submit_full_report(
        personas.support_org, wants="anonymous_information_to_police"
    ).report
    page = caseworker.get(new_url(report)).content.decode()
    assert is_checked(page, "way", "anonymous")
    response = send(
        caseworker,
        report,
        way="anonymous",
        force=personas.police_force,
        sections=["incident", "perpetrator"],
    )
    assert response.status_code == 302
    handover = PoliceHandover.objects.get()
    assert handover.way == Way.ANONYMOUS
    assert sorted(handover.package.sections) == ["incident", "perpetrator"]


@pytest.mark.parametrize("extra", ["identity", "contact", "support_needs", "attachments"])
def test_the_form_refuses_anything_else_in_anonymous_information(
    caseworker, personas, report, extra
):
    before = Counts()
    response = send(
        caseworker,
        report,
        way="anonymous",
        force=personas.police_force,
        sections=["incident", extra],
    )
    refusal = "Anonymous information carries only what happened"
    assert_form_refused(response, refusal, before, report)


@pytest.mark.parametrize("extra", [Section.IDENTITY, Section.CONTACT])
def test_the_action_refuses_identity_or_contact_in_anonymous_information(personas, report, extra):
    before = Counts()
    with pytest.raises(ActionRefused, match="Anonymous information"):
        send_by_action(
            personas,
            report,
            way=Way.ANONYMOUS,
            sections=[Section.INCIDENT, extra],
            consent_words="Yes.",
        )
    assert before.nothing_sent_since(report)


def test_an_accompanied_appointment_with_its_place_sealed(caseworker, personas, report):
    response = send(
        caseworker,
        report,
        way="accompanied",
        force=personas.police_force,
        sections=["incident", "perpetrator", "identity"],
        appointment_at="2026-12-01T10:30",
        appointment_place="canary-place Station Road front desk",
    )
    assert response.status_code == 302
    handover = PoliceHandover.objects.get()
    assert handover.way == Way.ACCOMPANIED
    assert handover.appointment_at is not None
    assert handover.appointment_at.date() == dt.date(2026, 12, 1)
    for sealed in (handover.appointment_place_for_report, handover.appointment_place_for_package):
        assert sealed and b"canary-place" not in bytes(sealed)
    case = caseworker.get(reverse("staff:case", kwargs={"public_id": report.public_id}))
    assert "canary-place Station Road front desk" in case.content.decode()


@pytest.mark.parametrize(
    "missing, message",
    [
        ({"appointment_at": ""}, "Enter the appointment"),
        ({"appointment_place": ""}, "Enter the appointment"),
        ({"appointment_at": "next tuesday"}, "Enter the date and time"),
    ],
)
def test_an_accompanied_appointment_needs_a_date_time_and_place(
    caseworker, personas, report, missing, message
):
    fields = {
        "way": "accompanied",
        "force": personas.police_force,
        "sections": ["incident"],
        "appointment_at": "2026-12-01T10:30",
        "appointment_place": "Station Road",
    }
    fields.update(missing)
    response = send(caseworker, report, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PoliceHandover.objects.count() == 0


def test_spoken_consent_needs_the_words(caseworker, personas, report):
    response = send(
        caseworker, report, force=personas.police_force, consent="spoken", consent_words="  "
    )
    assert response.status_code == 400
    assert "Write down what the reporter said" in response.content.decode()
    assert DisclosureAttempt.objects.count() == 0


def test_a_crafted_immigration_section_is_refused(caseworker, personas, report):
    response = send(
        caseworker, report, force=personas.police_force, sections=["incident", "immigration"]
    )
    assert response.status_code == 400
    assert "The police never receive that section" in response.content.decode()
    assert PoliceHandover.objects.count() == 0


def test_the_action_puts_an_immigration_section_to_the_firewall_which_refuses(personas, report):
    outcome = send_by_action(personas, report, sections=[Section.INCIDENT, Section.IMMIGRATION])
    assert not outcome.allowed
    assert outcome.handover is None
    assert not outcome.attempt.allowed
    assert PoliceHandover.objects.count() == 0


def test_only_a_police_force_can_be_chosen(caseworker, personas, report):
    response = send(caseworker, report, force=personas.specialist_service)
    assert response.status_code == 400
    assert DisclosureAttempt.objects.count() == 0
    with pytest.raises(ActionRefused):
        send_by_action(
            personas, report, force=personas.immigration_authority, sections=[Section.INCIDENT]
        )


def test_another_organisation_and_the_police_cannot_send(personas, report, police):
    other = client_for(personas.other_caseworker)
    assert other.get(new_url(report)).status_code == 404
    assert (send(other, report, force=personas.police_force)).status_code == 404
    assert police.get(new_url(report)).status_code == 403
    assert (send(police, report, force=personas.police_force)).status_code == 403
    assert DisclosureAttempt.objects.count() == 0
    assert not Consent.objects.filter(report=report).exists()


def test_a_refused_send_does_not_keep_the_spoken_consent(personas, report, monkeypatch):
    """A stricter local rule (a forbid an organisation may add) refuses every
    disclosure to a police force, after the reporter's words were recorded:
    the refusal stays recorded and the consent is withdrawn again."""
    from safereport.transparency.models import LogEntry

    refuse_every_police_disclosure(monkeypatch)
    log = LogEntry.objects.count()
    outcome = send_by_action(
        personas,
        report,
        sections=[Section.INCIDENT],
        consent_words="By phone on Monday: yes, to the police.",
    )
    assert not outcome.allowed and outcome.handover is None
    assert outcome.consent_not_kept is not None
    assert not outcome.attempt.allowed and "local-no-police" in outcome.attempt.rule_ids
    assert DisclosureAttempt.objects.get().pk == outcome.attempt.pk
    consent = Consent.objects.get(report=report)
    assert consent.pk == outcome.consent_not_kept.pk and consent.withdrawn_at is not None
    assert not Consent.objects.filter(report=report, withdrawn_at__isnull=True).exists()
    assert not PoliceHandover.objects.exists()
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds[-4:] == [
        EventKind.CONSENT_GIVEN,
        EventKind.DISCLOSURE_REFUSED,
        EventKind.CONSENT_WITHDRAWN,
        EventKind.PROTOCOL_LIMITS_TOLD,  # an audit row only: not in the public log
    ]
    assert LogEntry.objects.count() == log + 3


def test_the_page_says_when_the_spoken_consent_was_not_kept(
    caseworker, personas, report, monkeypatch
):
    refuse_every_police_disclosure(monkeypatch)
    response = send(
        caseworker,
        report,
        force=personas.police_force,
        consent_words="By phone on Monday: yes, to the police.",
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Refused by the firewall: nothing was shared" in page
    assert "The consent you recorded was not kept" in page
    assert "By phone on Monday: yes, to the police." in page  # what was typed is kept
