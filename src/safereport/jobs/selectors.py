"""Authorised reads of the job queue's records."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safereport.accounts.models import AuditEvent, StaffUser
from safereport.core.events import EventKind


def failed_jobs_for(admin: StaffUser) -> QuerySet[AuditEvent]:
    """Tasks that failed for good, as an organisation admin sees them: those that
    worked for the admin's organisation and those of the service itself (no
    organisation, such as signing tree heads), newest first. The caller has
    checked that ``admin`` is an organisation admin (``staff_page``)."""
    return AuditEvent.objects.filter(kind=EventKind.JOB_FAILED.value).filter(
        Q(organisation_id=admin.organisation_id) | Q(organisation__isnull=True)
    )[:20]
