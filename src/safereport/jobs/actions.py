"""Writes the job queue makes: recording a task that failed for good."""

from __future__ import annotations

from safereport.accounts.actions import record_event
from safereport.accounts.models import AuditEvent, Organisation
from safereport.core.events import EventKind


def do_record_job_failure(*, task: str, error: str, organisation_id: int | None) -> AuditEvent:
    """An audit row for organisation admins: the task's name and the error's type only
    (never its message, which could quote an address). ``organisation_id`` is the
    organisation the task worked for, if any; without one every admin sees it."""
    organisation = (
        Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    )
    return record_event(EventKind.JOB_FAILED, organisation=organisation, task=task, error=error)
