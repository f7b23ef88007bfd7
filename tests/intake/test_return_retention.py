"""The reporter reads how long her report is kept, and may ask for a shorter time."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.dateformat import format as date_format
from journey import draft_token, open_report, passphrase_from, submit, walk_to_review

from safereport.accounts.models import AuditEvent
from safereport.cases.actions import do_change_status
from safereport.cases.models import Report, ReportStatus
from safereport.core.events import EventKind
from safereport.core.retention import add_months

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(client, personas):  # type: ignore[no-untyped-def]
    walk_to_review(client, personas.support_org)
    passphrase = passphrase_from(submit(client, draft_token(client)))
    reporter = Client()
    assert open_report(reporter, passphrase).status_code == 302
    return reporter, Report.objects.get()


def page_of(reporter: Client) -> str:
    return reporter.get(reverse("public:return_report")).content.decode()


def test_she_reads_the_period_then_the_date_once_closed(opened, personas):
    reporter, report = opened
    page = page_of(reporter)
    assert "How long your report is kept" in page
    assert "When it is closed, it is kept for 72 months and then deleted for good." in page
    do_change_status(report, ReportStatus.CLOSED, acting_user=personas.caseworker)
    report.refresh_from_db()
    when = date_format(add_months(report.closed_at, 72), "j F Y")
    assert f"It will be deleted for good on {when}." in page_of(reporter)


def test_she_may_ask_for_a_shorter_time_and_nothing_else(opened, personas):
    reporter, report = opened
    keep_url = reverse("public:return_keep")
    assert reporter.post(keep_url, {"months": "6"}).status_code == 302
    report.refresh_from_db()
    assert report.retention_months_requested == 6
    assert report.retention.months == 6
    event = AuditEvent.objects.get(kind=EventKind.RETENTION_REQUESTED.value)
    assert event.actor is None and event.detail == {"report": report.public_id, "months": 6}
    assert "deleted 6 months after it is closed" in page_of(reporter)

    for bad in ("72", "500", "2", "-1", "six", ""):
        response = reporter.post(keep_url, {"months": bad}, follow=True)
        assert "Choose one of the shorter periods offered." in response.content.decode()
    report.refresh_from_db()
    assert report.retention_months_requested == 6  # nothing changed
    assert AuditEvent.objects.filter(kind=EventKind.RETENTION_REQUESTED.value).count() == 1


def test_without_the_receipt_nobody_can_shorten_a_report(client, opened):
    _, report = opened
    response = Client().post(reverse("public:return_keep"), {"months": "1"})
    assert response.status_code == 302 and "return" in response["Location"]
    report.refresh_from_db()
    assert report.retention_months_requested is None
