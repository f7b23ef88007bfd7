"""Retention helpers: close a case and move its closing back in time; the log's counts."""

from __future__ import annotations

import datetime as dt

from safereport.cases.actions import do_change_status
from safereport.cases.models import Report, ReportStatus
from safereport.core.events import EventKind
from safereport.core.ledger import Entry, decode_entry
from safereport.core.retention import add_months
from safereport.transparency.models import LogEntry


def close(report: Report, user, *, months_ago: int = 0, days: int = 0) -> Report:  # type: ignore[no-untyped-def]
    """Close the case through the action, then move its closing back in time
    (the same as moving the clock forward)."""
    do_change_status(report, ReportStatus.CLOSED, acting_user=user)
    report.refresh_from_db()
    if months_ago or days:
        report.closed_at = add_months(report.closed_at, -months_ago) - dt.timedelta(days=days)
        report.save(update_fields=["closed_at"])
    return report


def retention_entries() -> list[Entry]:
    """The public log's retention-deletion entries, decoded."""
    return [
        decode_entry(bytes(e.data))
        for e in LogEntry.objects.filter(kind=EventKind.RETENTION_DELETION.value)
    ]
