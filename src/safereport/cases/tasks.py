"""The cases app's work for the job queue (``safereport worker``).

* ``apply_retention``: every day (and whenever called), warns the
  organisations whose closed cases are due within 14 days, then shreds the
  closed cases whose retention period has ended (``core.retention``): each in
  its own transaction, counted in the audit log and the public log.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab

from safereport.cases import actions
from safereport.jobs.queue import periodic_job


@periodic_job(crontab(hour="3", minute="41"), retries=3, retry_delay=600)
def apply_retention() -> None:
    now = timezone.now()
    for report in actions.reports_due_for_warning(now):
        actions.do_warn_retention_due(report, now=now)
    for report in actions.reports_due_for_shredding(now):
        actions.do_shred_for_retention(report, now=now)
