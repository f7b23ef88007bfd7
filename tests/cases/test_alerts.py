"""Casework alerts through a real SMTP server: who gets each kind, that no word of
a report reaches a mail, the escalation of an unread report until someone opens
it, the "none" choice, and that a job run twice mails once.

Queued tasks run at once in this process (the suite's default); the worker's
own run is in tests/jobs/test_alert_worker.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safereport.accounts.models import AuditEvent, StaffUser
from safereport.accounts.notify import STAFF_ALERTS, WAITING_PATH, StaffAlert
from safereport.accounts.tasks import send_staff_alert
from safereport.cases import actions
from safereport.cases.actions import (
    do_assign_report,
    do_record_case_access,
    do_send_reporter_message,
)
from safereport.cases.models import CaseAccess, Report
from safereport.core.events import EventKind
from safereport.core.vocabulary import Purpose, Section
from safereport.disclosures.actions import do_request_override
from sr_testing.personas import sign_in
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = "ALERT-CANARY hit me"


def give_addresses(personas) -> None:  # type: ignore[no-untyped-def]
    """Every persona has their own address: ``<persona>@staff.example``."""
    for name, person in personas.all_staff().items():
        person.email = f"{name}@staff.example"
        person.save(update_fields=["email"])


def received(smtp_server, alert: StaffAlert) -> list[str]:  # type: ignore[no-untyped-def]
    """The addresses that got ``alert``, sorted; checks each mail holds nothing of a report."""
    subject = STAFF_ALERTS[alert][0]
    found = []
    for message, rcpt, body in zip(
        smtp_server.messages, smtp_server.recipients, smtp_server.bodies(), strict=True
    ):
        if message["Subject"] == subject:
            found.extend(rcpt)
            assert WAITING_PATH in body
            for report in Report.objects.all():
                assert report.public_id not in body
            for secret in ("CANARY", "hit me", "husband", "Friday", "Domestic", "Test Support"):
                assert secret not in body and secret not in message["Subject"]
    return sorted(found)


def forget_mail(smtp_server) -> None:  # type: ignore[no-untyped-def]
    smtp_server.messages.clear()
    smtp_server._collector.envelopes.clear()


def test_a_new_report_alerts_its_organisations_caseworkers_only(personas, smtp_server):
    give_addresses(personas)
    submit(personas, text=CANARY)
    assert received(smtp_server, StaffAlert.NEW_REPORT) == [
        "caseworker@staff.example",
        "org_admin@staff.example",
    ]
    assert len(smtp_server.messages) == 2  # nobody else, nothing else


def test_the_new_report_job_alerts_nobody_for_a_report_deleted_before_it_ran(personas, smtp_server):
    give_addresses(personas)
    report, _ = submit(personas, text=CANARY)
    forget_mail(smtp_server)
    hour = "2001010100"  # another hour's key: not already sent
    Report.objects.filter(pk=report.pk).update(shredded_at=timezone.now())
    assert actions.send_new_report_alerts(report.pk, hour) == 0
    Report.objects.filter(pk=report.pk).update(shredded_at=None)
    assert actions.send_new_report_alerts(report.pk, hour) == 2  # the same job, not deleted
    assert smtp_server.messages != []


def test_a_report_filed_by_a_caseworker_alerts_nobody(personas, smtp_server):
    give_addresses(personas)
    submit(personas, text=CANARY, acting_user=personas.caseworker)
    assert smtp_server.messages == []


def test_a_reporters_message_alerts_the_assigned_caseworker_else_the_caseworkers(
    personas, smtp_server
):
    give_addresses(personas)
    report, _ = submit(personas)
    forget_mail(smtp_server)
    do_send_reporter_message(report, CANARY)
    assert received(smtp_server, StaffAlert.REPORTER_MESSAGE) == [
        "caseworker@staff.example",
        "org_admin@staff.example",
    ]
    forget_mail(smtp_server)
    # she reads the case and takes it; the reporter writes again
    do_record_case_access(report, action=CaseAccess.Action.VIEWED, acting_user=personas.caseworker)
    do_assign_report(report, personas.caseworker, acting_user=personas.caseworker)
    do_send_reporter_message(Report.objects.get(pk=report.pk), CANARY + " again")
    assert received(smtp_server, StaffAlert.REPORTER_MESSAGE) == ["caseworker@staff.example"]
    assert len(smtp_server.messages) == 1


def test_a_flood_of_messages_or_reports_sends_one_mail_each(personas, smtp_server):
    """Whoever holds a receipt (or floods the intake) cannot flood staff mailboxes:
    one message alert per report until someone opens it again, one new-report
    alert per person per hour. The staff home lists every one."""
    give_addresses(personas)
    hours = {timezone.now().strftime("%Y%m%d%H")}
    reports = [submit(personas, text=CANARY)[0] for _ in range(3)]
    hours.add(timezone.now().strftime("%Y%m%d%H"))  # two only if the clock turned an hour
    assert sorted(received(smtp_server, StaffAlert.NEW_REPORT)) == sorted(
        ["caseworker@staff.example", "org_admin@staff.example"] * len(hours)
    )
    for n in range(5):
        do_send_reporter_message(reports[0], f"{CANARY} {n}")
    assert len(received(smtp_server, StaffAlert.REPORTER_MESSAGE)) == 2
    do_record_case_access(
        reports[0], action=CaseAccess.Action.VIEWED, acting_user=personas.org_admin
    )
    do_send_reporter_message(reports[0], CANARY)
    assert len(received(smtp_server, StaffAlert.REPORTER_MESSAGE)) == 4  # again, once each
    caseworker = Client()
    sign_in(caseworker, personas.caseworker)
    waiting = caseworker.get(reverse("staff:waiting")).content.decode()
    assert all(f"/staff/cases/{r.public_id}/" in waiting for r in reports)


def test_an_override_alerts_the_eligible_approvers_never_the_requester(personas, smtp_server):
    give_addresses(personas)
    report, _ = submit(personas)
    forget_mail(smtp_server)
    do_request_override(
        report,
        recipient=personas.specialist_service,
        purpose=Purpose.SAFEGUARDING,
        sections=[Section.INCIDENT],
        reason="CANARY risk to life",
        acting_user=personas.caseworker,
    )
    assert received(smtp_server, StaffAlert.OVERRIDE_WAITING) == ["org_admin@staff.example"]
    assert len(smtp_server.messages) == 1


def _escalate(now: dt.datetime) -> int:
    """What the periodic job does, at ``now``."""
    return sum(
        actions.do_escalate_unread(report, now=now)
        for report in actions.reports_unread_too_long(now)
    )


def test_a_high_risk_report_unread_for_two_hours_alerts_the_admins_until_opened(
    personas, smtp_server
):
    give_addresses(personas)
    report, _ = submit(personas, text=CANARY)
    Report.objects.filter(pk=report.pk).update(risk_high=True)
    forget_mail(smtp_server)
    start = Report.objects.get(pk=report.pk).created_at

    assert _escalate(start + dt.timedelta(hours=1, minutes=59)) == 0
    assert smtp_server.messages == []
    two_hours = start + dt.timedelta(hours=2)
    assert _escalate(two_hours) == 1
    assert received(smtp_server, StaffAlert.REPORT_UNREAD) == ["org_admin@staff.example"]
    # the job runs again ten minutes later, or twice at once: nothing more
    assert _escalate(two_hours) == 0
    assert _escalate(two_hours + dt.timedelta(minutes=10)) == 0
    assert actions.do_escalate_unread(report, now=two_hours) is False
    assert len(smtp_server.messages) == 1
    # still unread two hours later: again
    assert _escalate(two_hours + dt.timedelta(hours=2)) == 1
    assert len(received(smtp_server, StaffAlert.REPORT_UNREAD)) == 2
    # the admin's staff home lists it as escalated
    admin = Client()
    sign_in(admin, personas.org_admin)
    waiting = admin.get(reverse("staff:waiting")).content.decode()
    assert "Reports nobody has opened, escalated to you" in waiting
    assert report.public_id in waiting

    # a caseworker opens the case page: it stops
    caseworker = Client()
    sign_in(caseworker, personas.caseworker)
    page = caseworker.get(reverse("staff:case", kwargs={"public_id": report.public_id}))
    assert CANARY in page.content.decode()
    assert Report.objects.get(pk=report.pk).opened_at is not None
    assert _escalate(two_hours + dt.timedelta(hours=6)) == 0
    assert _escalate(two_hours + dt.timedelta(days=3)) == 0
    assert len(smtp_server.messages) == 2
    events = AuditEvent.objects.filter(kind=EventKind.REPORT_UNREAD_ESCALATED.value)
    assert [e.detail["times"] for e in events.order_by("at", "id")] == [1, 2]
    assert report.public_id not in admin.get(reverse("staff:waiting")).content.decode()


def test_an_ordinary_report_waits_24_hours(personas, smtp_server):
    give_addresses(personas)
    report, _ = submit(personas, text=CANARY)
    forget_mail(smtp_server)
    start = Report.objects.get(pk=report.pk).created_at
    assert _escalate(start + dt.timedelta(hours=23, minutes=59)) == 0
    assert _escalate(start + dt.timedelta(hours=24)) == 1
    assert _escalate(start + dt.timedelta(hours=47)) == 0
    assert _escalate(start + dt.timedelta(hours=48)) == 1
    assert received(smtp_server, StaffAlert.REPORT_UNREAD) == ["org_admin@staff.example"] * 2


def test_none_sends_nothing_but_the_staff_home_lists_it(personas, smtp_server):
    give_addresses(personas)
    caseworker = Client()
    sign_in(caseworker, personas.caseworker)
    assert caseworker.get(reverse("staff:settings")).status_code == 200
    saved = caseworker.post(reverse("staff:settings"), {"alerts_by": "none"})
    assert saved.status_code == 302
    assert StaffUser.objects.get(pk=personas.caseworker.pk).alerts_by == "none"
    [event] = AuditEvent.objects.filter(kind=EventKind.ALERT_PREFERENCE_CHANGED.value)
    assert event.actor_id == personas.caseworker.pk and event.detail["new"] == "none"

    report, _ = submit(personas, text=CANARY)
    do_send_reporter_message(report, CANARY)
    assert "caseworker@staff.example" not in received(smtp_server, StaffAlert.NEW_REPORT)
    assert "caseworker@staff.example" not in received(smtp_server, StaffAlert.REPORTER_MESSAGE)
    assert all(rcpt != ["caseworker@staff.example"] for rcpt in smtp_server.recipients)
    waiting = caseworker.get(reverse("staff:waiting")).content.decode()
    assert "New reports nobody has opened" in waiting
    assert "Messages from reporters" in waiting
    assert waiting.count(f"/staff/cases/{report.public_id}/") == 2  # unread, and a message
    assert CANARY not in waiting
    # a choice that is not offered changes nothing
    refused = caseworker.post(reverse("staff:settings"), {"alerts_by": "sms"})
    assert refused.status_code == 400
    assert StaffUser.objects.get(pk=personas.caseworker.pk).alerts_by == "none"


def test_a_delivery_run_twice_mails_once(personas, smtp_server):
    give_addresses(personas)
    person = personas.caseworker
    for _ in range(2):
        send_staff_alert(
            staff_id=person.pk,
            organisation_id=person.organisation_id,
            alert=StaffAlert.NEW_REPORT.value,
            path=WAITING_PATH,
            once="report:999",
        )
    assert smtp_server.recipients == [["caseworker@staff.example"]]


def test_a_failed_delivery_is_sent_by_the_retry(personas, smtp_server, settings):
    give_addresses(personas)
    person = personas.caseworker
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    kwargs = {
        "staff_id": person.pk,
        "organisation_id": person.organisation_id,
        "alert": StaffAlert.NEW_REPORT.value,
        "path": WAITING_PATH,
        "once": "report:998",
    }
    from safereport.accounts.notify import NotificationNotSent, deliver_staff_alert

    with pytest.raises(NotificationNotSent):
        deliver_staff_alert(person.pk, kwargs["alert"], WAITING_PATH, "report:998")
    settings.EMAIL_PORT = good_port
    send_staff_alert(**kwargs)
    assert smtp_server.recipients == [["caseworker@staff.example"]]


def test_the_waiting_page_and_settings_refuse_the_outsider(personas):
    outsider = Client()
    outsider.force_login(personas.outsider)
    for name in ("staff:waiting", "staff:settings"):
        assert outsider.get(reverse(name)).status_code in (302, 403)


def test_the_staff_home_opens_on_what_is_waiting_whenever_anything_is(personas):
    """Nothing depends on mail: signing in leads to the list of what waits for
    her when anything does, and to her usual page when nothing does."""
    caseworker = Client()
    sign_in(caseworker, personas.caseworker)
    assert caseworker.get(reverse("staff:home")).url == reverse("staff:inbox")
    report, _ = submit(personas)
    assert caseworker.get(reverse("staff:home")).url == reverse("staff:waiting")
    waiting = caseworker.get(reverse("staff:waiting")).content.decode()
    assert f"/staff/cases/{report.public_id}/" in waiting
    do_record_case_access(report, action=CaseAccess.Action.VIEWED, acting_user=personas.caseworker)
    assert caseworker.get(reverse("staff:home")).url == reverse("staff:inbox")
