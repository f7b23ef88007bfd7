"""The safe-contact plan on the case page, and the warning before a contact against it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safereport.accounts.models import AuditEvent
from safereport.cases.actions import NewReport, derive_new_receipt, do_submit_report
from safereport.cases.models import Note
from safereport.core.vocabulary import Section
from sr_testing.personas import sign_in

pytestmark = pytest.mark.django_db

# A Monday; 19:00 is outside "weekdays 10am to 2pm".
IN_SAFE_TIME = "2026-11-16T11:00"
OUTSIDE_SAFE_TIME = "2026-11-16T19:00"


def _report(personas, contact):  # type: ignore[no-untyped-def]
    _, receipt = derive_new_receipt()
    sections = {Section.INCIDENT: {"what": "He shouted at me."}}
    if contact is not None:
        sections[Section.CONTACT] = contact
    return do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants="support_only",
            custodian=personas.support_org,
            sections=sections,
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )


PHONE_PLAN = {
    "channel": "phone_call",
    "detail": "07700 900123",
    "safe_times": "weekdays 10am to 2pm",
    "code_word": "sunflower",
}


def _contact(client, report, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("staff:case_contact", args=[report.public_id]), data)


def test_the_case_page_shows_the_plan_next_to_the_contact_actions(client, personas):
    report = _report(personas, PHONE_PLAN)
    sign_in(client, personas.caseworker)
    page = client.get(reverse("staff:case", args=[report.public_id])).content.decode()
    assert "Their safe-contact plan" in page
    assert "A phone call · 07700 900123" in page
    assert "weekdays 10am to 2pm" in page
    assert "<strong>sunflower</strong>" in page
    assert reverse("staff:case_contact", args=[report.public_id]) in page


def test_a_contact_that_follows_the_plan_is_recorded_without_a_warning(client, personas):
    report = _report(personas, PHONE_PLAN)
    sign_in(client, personas.caseworker)
    response = _contact(
        client, report, channel="phone_call", at=IN_SAFE_TIME, note="Left no message"
    )
    assert response.status_code == 302
    assert Note.objects.filter(report=report).count() == 1
    event = AuditEvent.objects.get(kind="contact_recorded")
    assert event.detail == {
        "report": report.public_id,
        "channel": "phone_call",
        "against_plan": [],
    }
    page = client.get(reverse("staff:case", args=[report.public_id])).content.decode()
    assert "Contact: phone_call, 2026-11-16 11:00" in page and "Left no message" in page


@pytest.mark.parametrize(
    ("contact", "data", "expected"),
    [
        (PHONE_PLAN, {"channel": "phone_call", "at": OUTSIDE_SAFE_TIME}, "outside the times"),
        (PHONE_PLAN, {"channel": "text_message", "at": IN_SAFE_TIME}, "they chose: A phone call"),
        (PHONE_PLAN, {"channel": "home_visit", "at": IN_SAFE_TIME}, "Letters and home visits"),
        ({"code_word": "x"}, {"channel": "email", "at": IN_SAFE_TIME}, "only through this website"),
        (None, {"channel": "phone_call", "at": IN_SAFE_TIME}, "not said how they can be contacted"),
        (
            {**PHONE_PLAN, "safe_times": "when he is at work"},
            {"channel": "phone_call", "at": IN_SAFE_TIME},
            "could not be checked automatically (when he is at work)",
        ),
    ],
)
def test_a_contact_against_the_plan_stops_with_a_warning_and_records_nothing(
    client, personas, contact, data, expected
):
    report = _report(personas, contact)
    sign_in(client, personas.caseworker)
    response = _contact(client, report, **data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "This goes against their plan" in page
    assert expected in page
    assert 'name="confirmed"' in page and 'name="reason"' in page
    assert Note.objects.filter(report=report).count() == 0
    assert not AuditEvent.objects.filter(kind="contact_recorded").exists()


def test_confirming_needs_a_written_reason_and_then_it_is_kept(client, personas):
    report = _report(personas, PHONE_PLAN)
    sign_in(client, personas.caseworker)
    data = {
        "channel": "phone_call",
        "at": OUTSIDE_SAFE_TIME,
        "confirmed": "on",
        "shown": "outside_safe_times",  # what the warning page showed
    }
    response = _contact(client, report, **data)
    assert response.status_code == 400
    assert "Write down why" in response.content.decode()
    assert Note.objects.count() == 0
    response = _contact(client, report, **data, reason="She asked in a message for a call at 7pm.")
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind="contact_recorded")
    assert event.detail["against_plan"] == ["outside_safe_times"]
    page = client.get(reverse("staff:case", args=[report.public_id])).content.decode()
    assert "Against the plan: outside_safe_times" in page
    assert "She asked in a message for a call at 7pm." in page


def test_bad_input_is_explained_and_kept(client, personas):
    report = _report(personas, PHONE_PLAN)
    sign_in(client, personas.caseworker)
    response = _contact(client, report, channel="", at="not a date", note="keep this note")
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "keep this note" in page


def test_only_the_custodians_caseworkers_may_record_a_contact(client, personas):
    report = _report(personas, PHONE_PLAN)
    for user in (personas.other_caseworker, personas.police_liaison, personas.service_staff):
        client.logout()
        sign_in(client, user)
        response = _contact(client, report, channel="phone_call", at=IN_SAFE_TIME)
        assert response.status_code in (403, 404), user.username
    assert Note.objects.count() == 0


def test_a_confirmation_counts_only_for_the_warnings_it_was_given_for(client, personas):
    report = _report(personas, PHONE_PLAN)
    sign_in(client, personas.caseworker)
    # Confirmed for "outside the safe times", then changed to a home visit.
    response = _contact(
        client,
        report,
        channel="home_visit",
        at=OUTSIDE_SAFE_TIME,
        confirmed="on",
        shown="outside_safe_times",
        reason="She asked for a call at 7pm.",
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Letters and home visits" in page
    assert 'name="confirmed"' in page and "checked" not in page.split('name="confirmed"')[1][:40]
    assert 'name="shown" value="other_channel,seen_at_home,outside_safe_times"' in page
    assert Note.objects.count() == 0
    # A confirmation of exactly what was shown is accepted.
    response = _contact(
        client,
        report,
        channel="home_visit",
        at=OUTSIDE_SAFE_TIME,
        confirmed="on",
        shown="other_channel,seen_at_home,outside_safe_times",
        reason="She asked us to come; he is away.",
    )
    assert response.status_code == 302
    assert Note.objects.count() == 1


def test_the_case_page_shows_choices_and_consents_in_words_not_codes(client, personas):
    from safereport.cases.actions import ConsentChoice
    from safereport.core.vocabulary import Purpose

    _, receipt = derive_new_receipt()
    report = do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants="police_through_organisation",
            custodian=personas.support_org,
            sections={
                Section.INCIDENT: {"what": "He shouted at me."},
                Section.SUPPORT_NEEDS: {"wants": "police_through_organisation"},
                Section.CONTACT: {**PHONE_PLAN, "language": "ar"},
            },
            consents=(
                ConsentChoice(
                    recipient=personas.police_force,
                    purpose=Purpose.CRIME_INVESTIGATION,
                    sections=(Section.INCIDENT,),
                ),
            ),
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )
    sign_in(client, personas.caseworker)
    page = client.get(reverse("staff:case", args=[report.public_id])).content.decode()
    assert "Report to the police through the organisation" in page
    assert "police_through_organisation" not in page
    assert "Investigation of a crime · What happened (when, where, what)" in page
    assert "crime_investigation" not in page
    # The safe-contact plan (shown once, in the summary) in words, not codes.
    assert "<dd>A phone call" in page and "<dd>العربية" in page
    assert "phone_call" not in page and "<dd>ar" not in page
