"""The cases app's work for the job queue (``safereport worker``).

* ``apply_retention``: every day (and whenever called), warns the
  organisations whose closed cases are due within 14 days, then shreds the
  closed cases whose retention period has ended (``core.retention``): each in
  its own transaction, counted in the audit log and the public log.
* ``escalate_unread``: every 10 minutes, tells the organisation's admins about
  each report nobody has opened for 24 hours (2 hours when its risk is high),
  and again each such interval until someone opens it
  (``actions.do_escalate_unread``).
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


@periodic_job(crontab(minute="*/10"), retries=1, retry_delay=120)
def escalate_unread() -> None:
    now = timezone.now()
    for report in actions.reports_unread_too_long(now):
        actions.do_escalate_unread(report, now=now)
