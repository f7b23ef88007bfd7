"""Sending to the police places a legal hold: the case is kept, whatever its
retention date, until a caseworker says the proceedings are over."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from liaison_helpers import make_handover

from safereport.accounts.models import AuditEvent
from safereport.cases.actions import do_change_status, reports_due_for_shredding
from safereport.cases.models import Report, ReportStatus
from safereport.core.events import EventKind
from safereport.core.retention import add_months

pytestmark = pytest.mark.django_db


def test_a_handover_holds_the_case_until_the_caseworker_releases_it(personas, report, caseworker):
    make_handover(personas, report)
    report.refresh_from_db()
    assert report.legal_hold == "police"
    event = AuditEvent.objects.get(kind=EventKind.LEGAL_HOLD_PLACED.value)
    assert event.detail == {"report": report.public_id, "reason": "police"}

    do_change_status(report, ReportStatus.CLOSED, acting_user=personas.caseworker)
    Report.objects.filter(pk=report.pk).update(closed_at=add_months(timezone.now(), -200))
    assert reports_due_for_shredding(timezone.now()) == []
    case_url = reverse("staff:case", kwargs={"public_id": report.public_id})
    assert "Legal hold: Police proceedings" in caseworker.get(case_url).content.decode()

    hold_url = reverse("staff:case_hold", kwargs={"public_id": report.public_id})
    assert caseworker.post(hold_url, {"release": "yes"}).status_code == 302
    assert [r.pk for r in reports_due_for_shredding(timezone.now())] == [report.pk]
    page = caseworker.get(case_url).content.decode()
    assert "Due for deletion on" in page and "Place a legal hold" in page
    assert AuditEvent.objects.filter(kind=EventKind.LEGAL_HOLD_RELEASED.value).count() == 1
