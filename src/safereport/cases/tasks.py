"""The cases app's work for the job queue (``safereport worker``).

* ``apply_retention``: every day (and whenever called), warns the
  organisations whose closed cases are due within 14 days, then shreds the
  closed cases whose retention period has ended (``core.retention``): each in
  its own transaction, counted in the audit log and the public log.
* ``escalate_unread``: every 10 minutes, tells the organisation's admins about
  each report nobody has opened for 24 hours (2 hours when its risk is high),
  and again each such interval until someone opens it
  (``actions.do_escalate_unread``).
* ``note_possible_duress``: enqueued by the return page for every well-formed
  phrase that opened nothing, so that a wrong phrase and a second (duress)
  phrase cost the request the same; flags the case when it was a second phrase.
* ``alert_new_report``: enqueued when a reporter's report is stored; alerts
  the organisation's caseworkers (``actions.send_new_report_alerts``), so the
  reporter's request does not look them up.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab

from safereport.cases import actions
from safereport.jobs.queue import job, periodic_job


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


@job(retries=3, retry_delay=60)
def note_possible_duress(lookup_digest: bytes) -> None:
    actions.do_note_reporter_under_pressure(lookup_digest)


@job(retries=3, retry_delay=60)
def alert_new_report(*, report_id: int, hour: str) -> None:
    actions.send_new_report_alerts(report_id, hour)
