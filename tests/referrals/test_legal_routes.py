"""Legal-route tasks on a referral to an immigration legal adviser."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from referral_helpers import act, client_for, referral_url, send

from safereport.accounts.models import AuditEvent
from safereport.core.referrals import LegalRoute, ReferralKind, plan_deadline
from safereport.core.vocabulary import Section
from safereport.referrals.models import LegalTask

pytestmark = pytest.mark.django_db


def _legal_referral(personas, partners, report):  # type: ignore[no-untyped-def]
    return send(
        personas,
        report,
        service=partners.legal_adviser_org,
        kind=ReferralKind.IMMIGRATION_LEGAL_ADVISER,
        sections=(Section.INCIDENT,),
    )


def _task_url(referral) -> str:  # type: ignore[no-untyped-def]
    return reverse("staff:referral_legal_task", kwargs={"referral_id": referral.pk})


def test_the_adviser_tracks_a_route_and_the_caseworker_sees_it(personas, partners, report):
    referral = _legal_referral(personas, partners, report)
    adviser = client_for(partners.legal_adviser)
    page = adviser.get(referral_url(referral)).content.decode()
    assert "never sends anything to an immigration authority" in page
    # not before the referral is accepted
    early = adviser.post(_task_url(referral), {"route": "nrm", "anchor_on": "2026-01-05"})
    assert early.status_code == 400
    assert "only while the referral is accepted or in progress" in early.content.decode()
    assert not LegalTask.objects.exists()
    act(adviser, referral, "accept")
    today = timezone.localdate()
    response = adviser.post(
        _task_url(referral),
        {
            "route": "domestic_abuse_concession",
            "anchor_on": today.isoformat(),
            "note": "canary-legal-note: bring the letters",
        },
    )
    assert response.status_code == 302
    task = LegalTask.objects.get()
    assert b"canary-legal-note" not in bytes(task.for_service)
    report.refresh_from_db()
    assert report.legal_hold == "legal"  # kept whatever its retention date, until released
    adviser_page = adviser.get(referral_url(referral)).content.decode()
    assert "canary-legal-note" in adviser_page
    assert date_format(today + dt.timedelta(days=14), "j M Y") in adviser_page
    caseworker = client_for(personas.caseworker)
    assert "canary-legal-note" in caseworker.get(referral_url(referral)).content.decode()
    case = caseworker.get(reverse("staff:case", kwargs={"public_id": report.public_id}))
    html = case.content.decode()
    assert "Domestic abuse concession" in html and "not done yet" in html
    # the caseworker cannot set tasks
    refused = caseworker.post(_task_url(referral), {"route": "nrm", "anchor_on": today.isoformat()})
    assert refused.status_code == 400
    assert "Only the legal adviser can set legal-route tasks." in refused.content.decode()
    # done
    done = adviser.post(
        reverse(
            "staff:referral_legal_task_done",
            kwargs={"referral_id": referral.pk, "task_id": task.pk},
        )
    )
    assert done.status_code == 302
    assert LegalTask.objects.get().done_at is not None
    html = caseworker.get(reverse("staff:case", kwargs={"public_id": report.public_id}))
    assert "Domestic abuse concession · deadline" in html.content.decode()


def test_a_future_starting_date_is_refused_and_input_kept(personas, partners, report):
    referral = _legal_referral(personas, partners, report)
    adviser = client_for(partners.legal_adviser)
    act(adviser, referral, "accept")
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = adviser.post(_task_url(referral), {"route": "nrm", "anchor_on": future})
    assert response.status_code == 400
    assert "the starting date is in the future" in response.content.decode()
    bad = adviser.post(_task_url(referral), {"route": "nrm", "anchor_on": "5 March"})
    assert bad.status_code == 400
    assert "Enter the date as year-month-day" in bad.content.decode()
    assert 'value="5 March"' in bad.content.decode()
    assert not LegalTask.objects.exists()


def test_no_legal_tasks_on_other_kinds(personas, partners, report):
    referral = send(personas, report)
    service = client_for(personas.service_staff)
    act(service, referral, "accept")
    response = service.post(
        _task_url(referral), {"route": "nrm", "anchor_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400
    assert "only on a referral to a legal adviser" in response.content.decode()


def _every_value(model) -> list[str]:  # type: ignore[no-untyped-def]
    """Every column of every row of ``model``'s table, as text (bytes decoded loosely)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a table name from the model
        rows = cursor.fetchall()
    values = []
    for row in rows:
        for value in row:
            if isinstance(value, memoryview):
                value = bytes(value)
            if isinstance(value, bytes):
                values.append(value.decode("latin-1"))
            else:
                values.append(str(value))
    return values


def test_the_route_and_its_dates_are_never_stored_in_clear(personas, partners, report):
    referral = _legal_referral(personas, partners, report)
    adviser = client_for(partners.legal_adviser)
    act(adviser, referral, "accept")
    today = timezone.localdate()
    anchor = today - dt.timedelta(days=5)
    route = LegalRoute.DOMESTIC_ABUSE_CONCESSION
    plan = plan_deadline(route, anchor, today=today)
    dates = [d for d in (anchor, plan.due_on, plan.hard_limit) if d is not None]
    assert today not in dates  # so that created_at cannot match by chance
    response = adviser.post(
        _task_url(referral),
        {"route": route.value, "anchor_on": anchor.isoformat(), "note": "canary-task-note"},
    )
    assert response.status_code == 302
    assert LegalTask.objects.count() == 1
    stored = _every_value(LegalTask) + _every_value(AuditEvent)
    secrets = [route.value, "canary-task-note", *(d.isoformat() for d in dates)]
    for secret in secrets:
        assert not [value for value in stored if secret in value], secret
    # both readers still see the route, the deadline and the note
    for client in (adviser, client_for(personas.caseworker)):
        page = client.get(referral_url(referral)).content.decode()
        assert "Domestic abuse concession" in page
        assert date_format(plan.due_on, "j M Y") in page
        assert "canary-task-note" in page


def test_the_inbox_lists_reports_with_an_open_legal_deadline(personas, partners, report):
    """The deadline's date is sealed; the filter is "a legal task not yet done"."""
    from safereport.cases.selectors import inbox_page

    def listed() -> bool:
        page = inbox_page(personas.caseworker, view="deadline")
        return report in page.reports

    referral = _legal_referral(personas, partners, report)
    adviser = client_for(partners.legal_adviser)
    act(adviser, referral, "accept")
    assert not listed()
    today = timezone.localdate().isoformat()
    adviser.post(_task_url(referral), {"route": "nrm", "anchor_on": today})
    task = LegalTask.objects.get()
    assert listed()
    assert report not in inbox_page(personas.other_caseworker, view="deadline").reports
    adviser.post(
        reverse(
            "staff:referral_legal_task_done",
            kwargs={"referral_id": referral.pk, "task_id": task.pk},
        )
    )
    assert not listed()
