"""The referrals app's work for the job queue (``safereport worker``).

* ``remind_legal_deadlines``: every hour, sends the 7-day and 1-day reminders
  of open legal tasks to the adviser (``actions.do_remind_legal_deadline``),
  read from the two reminder dates kept in clear for it (the deadline and the
  route stay sealed; docs/threat-model.md).
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab

from safereport.jobs.queue import periodic_job
from safereport.referrals import actions


@periodic_job(crontab(minute="17"), retries=1, retry_delay=300)
def remind_legal_deadlines() -> None:
    today = timezone.localdate()
    for task in actions.tasks_due_for_reminder(today):
        actions.do_remind_legal_deadline(task, today=today)
