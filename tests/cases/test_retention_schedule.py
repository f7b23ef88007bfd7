"""Retention: the clock, holds, the admin's period, the reporter's shorter time, the
pages, and a real worker shredding what is due (warning first, holds kept)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from safereport.accounts.actions import ActionRefused, do_set_retention
from safereport.accounts.models import AuditEvent
from safereport.accounts.notify import STAFF_ALERTS, SUBJECTS, Notice, StaffAlert
from safereport.cases.actions import (
    do_assign_report,
    do_change_status,
    do_release_legal_hold,
    do_set_legal_hold,
    do_shred_for_retention,
    do_warn_retention_due,
    reports_due_for_shredding,
    reports_due_for_warning,
)
from safereport.cases.models import ReportSection, ReportStatus
from safereport.core.events import EventKind
from safereport.core.retention import add_months
from sr_testing.personas import sign_in
from sr_testing.reports import submit
from sr_testing.retention import close, retention_entries

pytestmark = pytest.mark.django_db


def test_closing_starts_the_clock_and_reopening_stops_it(personas):
    report, _ = submit(personas)
    assert report.closed_at is None and report.retention.delete_on is None
    report = close(report, personas.caseworker)
    assert report.closed_at is not None
    assert report.retention.delete_on == add_months(report.closed_at, 72)
    do_change_status(report, ReportStatus.IN_PROGRESS, acting_user=personas.caseworker)
    report.refresh_from_db()
    assert report.closed_at is None and report.retention.delete_on is None


def test_only_due_cases_are_shredded_and_counted(personas):
    due, _ = submit(personas)
    young, _ = submit(personas)
    held, _ = submit(personas)
    open_case, _ = submit(personas)
    due = close(due, personas.caseworker, months_ago=72, days=1)
    young = close(young, personas.caseworker, months_ago=71)
    held = close(held, personas.caseworker, months_ago=100)
    do_set_legal_hold(held, "legal", acting_user=personas.caseworker)
    now = timezone.now()
    assert [r.pk for r in reports_due_for_shredding(now)] == [due.pk]

    assert do_shred_for_retention(due, now=now) is True
    assert do_shred_for_retention(due, now=now) is False  # once
    assert do_shred_for_retention(young, now=now) is False
    due.refresh_from_db()
    assert due.is_shredded and due.receipt_wrap is None and due.custodian_wrap is None
    assert not ReportSection.objects.filter(report=due).exists()
    for kept in (young, held, open_case):
        assert ReportSection.objects.filter(report=kept).exists()
    [entry] = retention_entries()
    assert entry.count == 1 and entry.org == personas.support_org.slug
    # A count, and a deletion tag that only the installation's deletion key links
    # to the report (so that a restore shreds it again; tests/backups).
    assert entry.sections is None and entry.purpose is None and entry.recipient_kind is None
    assert entry.commitment is not None and due.public_id not in str(entry.to_json_dict())
    event = AuditEvent.objects.get(kind=EventKind.REPORT_SHREDDED.value)
    assert event.detail == {"report": due.public_id, "by": "retention"}

    # Released hold: due again.
    do_release_legal_hold(held, acting_user=personas.caseworker)
    held.refresh_from_db()
    assert [r.pk for r in reports_due_for_shredding(now)] == [held.pk]


def test_the_warning_comes_once_14_days_before(personas):
    report, _ = submit(personas)
    report = close(report, personas.caseworker, months_ago=72)
    now = timezone.now()
    report.closed_at = add_months(now, -72) + dt.timedelta(days=10)  # due in 10 days
    report.save(update_fields=["closed_at"])
    assert [r.pk for r in reports_due_for_warning(now)] == [report.pk]
    assert reports_due_for_shredding(now) == []
    report.closed_at = add_months(now, -72) + dt.timedelta(days=20)  # due in 20 days
    report.save(update_fields=["closed_at"])
    assert reports_due_for_warning(now) == []
    report.closed_at = add_months(now, -73)  # already due: shredded, not warned about
    report.save(update_fields=["closed_at"])
    assert reports_due_for_warning(now) == []
    assert [r.pk for r in reports_due_for_shredding(now)] == [report.pk]


def test_an_admin_sets_the_period_within_bounds_through_the_page(client, personas):
    sign_in(client, personas.org_admin)
    page = client.get(reverse("staff:organisation")).content.decode()
    assert "How long closed cases are kept" in page and 'value="72"' in page
    response = client.post(reverse("staff:organisation_retention"), {"months": "24"})
    assert response.status_code == 302
    personas.support_org.refresh_from_db()
    assert personas.support_org.retention_months == 24
    event = AuditEvent.objects.get(kind=EventKind.RETENTION_CHANGED.value)
    assert event.actor == personas.org_admin and event.detail == {"old": 72, "new": 24}

    for bad, message in (
        ("6", "at least 12 months"),
        ("500", "at most 120 months"),
        ("six", "whole number"),
    ):
        response = client.post(reverse("staff:organisation_retention"), {"months": bad})
        assert response.status_code == 400
        assert message in response.content.decode()
    personas.support_org.refresh_from_db()
    assert personas.support_org.retention_months == 24  # nothing changed
    assert AuditEvent.objects.filter(kind=EventKind.RETENTION_CHANGED.value).count() == 1


def test_a_caseworker_or_another_organisation_cannot_change_the_period(client, personas):
    with pytest.raises(ActionRefused):
        do_set_retention(personas.support_org, 24, acting_user=personas.caseworker)
    with pytest.raises(ActionRefused):
        do_set_retention(personas.support_org, 24, acting_user=personas.other_caseworker)
    sign_in(client, personas.caseworker)
    response = client.post(reverse("staff:organisation_retention"), {"months": "24"})
    assert response.status_code == 403
    personas.support_org.refresh_from_db()
    assert personas.support_org.retention_months == 72


def test_sqlite_overwrites_what_it_deletes():
    if connection.vendor != "sqlite":
        pytest.skip("secure_delete is an SQLite setting (PostgreSQL: see docs/operations.md)")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


def test_the_assigned_caseworker_is_warned_herself(
    personas, smtp_server, django_capture_on_commit_callbacks
):
    caseworker = personas.caseworker
    caseworker.email = "lucia@support.example"
    caseworker.save(update_fields=["email"])
    org = personas.support_org
    org.contact_email = "office@support.example"
    org.save(update_fields=["contact_email"])
    mine, _ = submit(personas, text="MINE-CANARY")
    nobodys, _ = submit(personas)
    do_assign_report(mine, caseworker, acting_user=caseworker)
    now = timezone.now()
    for report in (mine, nobodys):
        close(report, caseworker)
        report.refresh_from_db()
        report.closed_at = add_months(now, -72) + dt.timedelta(days=5)  # due in 5 days
        report.save(update_fields=["closed_at"])
        with django_capture_on_commit_callbacks(execute=True):
            assert do_warn_retention_due(report, now=now) is True
            assert do_warn_retention_due(report, now=now) is False  # once
    subjects = {m["To"]: m["Subject"] for m in smtp_server.messages}
    assert subjects == {
        "lucia@support.example": STAFF_ALERTS[StaffAlert.CASE_DUE_FOR_DELETION][0],
        "office@support.example": SUBJECTS[Notice.RETENTION_DUE_SOON],
    }
    for body in smtp_server.bodies():
        for secret in ("MINE-CANARY", mine.public_id, nobodys.public_id, caseworker.display_name):
            assert secret not in body
    warned = AuditEvent.objects.filter(kind=EventKind.RETENTION_WARNING_SENT.value)
    assert {e.detail["report"]: e.detail["to"] for e in warned} == {
        mine.public_id: "assigned caseworker",
        nobodys.public_id: "organisation",
    }
