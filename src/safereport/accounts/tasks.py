"""The accounts app's work for the job queue (``safereport worker``).

* ``send_notification``: one notification mail (``accounts.notify``), enqueued
  when the action that caused it commits. Sent at least once: a retry after a
  server that took the mail but dropped the connection sends the same fixed
  text again, which carries nothing personal.
* ``send_staff_alert``: one alert mail to a staff member's own address, such
  as "someone is trying passwords for your account" (``accounts.notify``).
* ``forget_old_attempts``: every hour, deletes throttle rows (failed sign-ins,
  wrong guesses, receipt phrases) that count nothing any more.
* ``record_failure``: a task that failed for good (no retries left) becomes a
  ``job_failed`` audit event that organisation admins see; connected to the
  queue when the app is ready.
"""

from __future__ import annotations

from huey import crontab
from huey.api import Task

from safereport.jobs.queue import closing_connections, job, periodic_job


@job(retries=5, retry_delay=60, retry_backoff=2)  # after 1, 2, 4, 8 and 16 minutes
def send_notification(*, organisation_id: int, notice: str, path: str) -> None:
    from safereport.accounts.notify import deliver  # notify queues this task

    deliver(organisation_id, notice, path)


@job(retries=5, retry_delay=60, retry_backoff=2)
def send_staff_alert(
    *, staff_id: int, organisation_id: int | None, alert: str, path: str, once: str = ""
) -> None:
    """One alert to one staff member's own address (``accounts.notify.alert_staff``);
    ``organisation_id`` only says whose admins see it if it fails for good; ``once``
    (database numbers only) makes a second run of the same alert send nothing."""
    from safereport.accounts.notify import deliver_staff_alert

    deliver_staff_alert(staff_id, alert, path, once)


@periodic_job(crontab(minute="43"), retries=1, retry_delay=300)
def forget_old_attempts() -> None:
    """Every hour: delete throttle rows that count nothing any more (``throttle.forget_stale``)."""
    from safereport.accounts.throttle import forget_stale

    forget_stale()


def record_failure(signal: str, task: Task, error: BaseException | None = None) -> None:
    """Record a task that failed for good (no retries left) in the audit log."""
    if task.retries:
        return  # it will run again
    from safereport.accounts.actions import do_record_job_failure

    closing_connections(do_record_job_failure)(
        task=task.name,
        error=type(error).__name__ if error is not None else "unknown",
        organisation_id=task.kwargs.get("organisation_id"),
    )
