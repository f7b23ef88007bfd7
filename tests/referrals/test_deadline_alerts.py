"""Legal-deadline reminders 7 days and 1 day ahead, to the adviser only, from the
two reminder dates kept in clear (the route and the deadline stay sealed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from referral_helpers import act, client_for, send

from safereport.accounts.models import AuditEvent
from safereport.accounts.notify import STAFF_ALERTS, StaffAlert
from safereport.core.events import EventKind
from safereport.core.referrals import ReferralKind
from safereport.core.vocabulary import Section
from safereport.referrals.actions import do_remind_legal_deadline, tasks_due_for_reminder
from safereport.referrals.models import LegalTask

pytestmark = pytest.mark.django_db(transaction=True)


def _run(today: dt.date) -> list[StaffAlert | None]:
    """What the hourly job does, on ``today``."""
    return [do_remind_legal_deadline(t, today=today) for t in tasks_due_for_reminder(today)]


def _task_opened_today(personas, partners, report, note: str = ""):  # type: ignore[no-untyped-def]
    """A legal referral accepted by the adviser, who opens a task on it today
    (through the page); returns the referral, her signed-in client and the task."""
    referral = send(
        personas,
        report,
        service=partners.legal_adviser_org,
        kind=ReferralKind.IMMIGRATION_LEGAL_ADVISER,
        sections=(Section.INCIDENT,),
    )
    adviser = client_for(partners.legal_adviser)
    act(adviser, referral, "accept")
    adviser.post(
        reverse("staff:referral_legal_task", kwargs={"referral_id": referral.pk}),
        {
            "route": "domestic_abuse_concession",
            "anchor_on": timezone.localdate().isoformat(),
            "note": note,
        },
    )
    return referral, adviser, LegalTask.objects.get()


def test_the_adviser_is_reminded_a_week_and_a_day_ahead_once_each(
    personas, partners, report, smtp_server
):
    for person in (*personas.all_staff().values(), partners.legal_adviser, partners.service_admin):
        person.email = f"{person.username}@staff.example"
        person.save(update_fields=["email"])
    referral, adviser, task = _task_opened_today(personas, partners, report, note="CANARY")
    today = timezone.localdate()
    # in clear: two dates, nothing else about the route
    assert task.remind_day_on - task.remind_week_on == dt.timedelta(days=6)
    smtp_server.messages.clear()
    smtp_server._collector.envelopes.clear()

    assert _run(task.remind_week_on - dt.timedelta(days=1)) == []
    assert _run(task.remind_week_on) == [StaffAlert.LEGAL_DEADLINE_WEEK]
    assert _run(task.remind_week_on) == []  # run again: nothing
    assert _run(task.remind_day_on) == [StaffAlert.LEGAL_DEADLINE_DAY]
    assert _run(task.remind_day_on + dt.timedelta(days=3)) == []
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert subjects == [
        STAFF_ALERTS[StaffAlert.LEGAL_DEADLINE_WEEK][0],
        STAFF_ALERTS[StaffAlert.LEGAL_DEADLINE_DAY][0],
    ]
    assert smtp_server.recipients == [["legal_adviser@staff.example"]] * 2
    for body in smtp_server.bodies():
        assert "CANARY" not in body and "concession" not in body.lower()
        assert report.public_id not in body
    assert AuditEvent.objects.filter(kind=EventKind.LEGAL_DEADLINE_REMINDED.value).count() == 2

    # the adviser's staff home lists it within the week (time moved on), not before
    assert f"Referral {referral.pk}" not in adviser.get(reverse("staff:waiting")).content.decode()
    LegalTask.objects.filter(pk=task.pk).update(
        remind_week_on=today, remind_day_on=today + dt.timedelta(days=6)
    )
    assert f"Referral {referral.pk}" in adviser.get(reverse("staff:waiting")).content.decode()
    caseworker = client_for(personas.caseworker)  # the sender's side sees it too
    assert f"Referral {referral.pk}" in caseworker.get(reverse("staff:waiting")).content.decode()
    outsider = client_for(personas.other_caseworker)
    assert f"Referral {referral.pk}" not in outsider.get(reverse("staff:waiting")).content.decode()
    # done clears the dates
    adviser.post(
        reverse(
            "staff:referral_legal_task_done",
            kwargs={"referral_id": referral.pk, "task_id": task.pk},
        )
    )
    task.refresh_from_db()
    assert task.done_at is not None
    assert task.remind_week_on is None and task.remind_day_on is None


def test_a_deadline_already_close_gets_only_the_day_reminder(
    personas, partners, report, smtp_server
):
    partners.legal_adviser.email = "adviser@staff.example"
    partners.legal_adviser.save(update_fields=["email"])
    _, _, task = _task_opened_today(personas, partners, report)
    smtp_server.messages.clear()
    assert _run(task.remind_day_on) == [StaffAlert.LEGAL_DEADLINE_DAY]
    assert _run(task.remind_day_on) == []
    assert [m["Subject"] for m in smtp_server.messages] == [
        STAFF_ALERTS[StaffAlert.LEGAL_DEADLINE_DAY][0]
    ]


def test_the_inbox_lists_a_report_under_deadline_soon_only_within_a_week(
    personas, partners, report
):
    """The inbox's "deadline soon" filter reads the week's reminder date, never
    the sealed deadline: within 7 days it lists the report, further off it does not."""
    _referral, _adviser, task = _task_opened_today(personas, partners, report)
    caseworker = client_for(personas.caseworker)
    deadline_soon = reverse("staff:inbox") + "?show=deadline"
    today = timezone.localdate()

    LegalTask.objects.filter(pk=task.pk).update(
        remind_week_on=today - dt.timedelta(days=2), remind_day_on=today + dt.timedelta(days=4)
    )  # due in 5 days
    assert report.public_id in caseworker.get(deadline_soon).content.decode()

    LegalTask.objects.filter(pk=task.pk).update(
        remind_week_on=today + dt.timedelta(days=10), remind_day_on=today + dt.timedelta(days=16)
    )  # due in 17 days
    assert report.public_id not in caseworker.get(deadline_soon).content.decode()
    assert report.public_id in caseworker.get(reverse("staff:inbox")).content.decode()
