"""Every task the worker runs (``safereport worker``). Each is idempotent and retried.

* ``send_notification``: one notification mail (``accounts.notify``), enqueued
  when the action that caused it commits. Sent at least once: a retry after a
  server that took the mail but dropped the connection sends the same fixed
  text again, which carries nothing personal.
* ``release_statistics``: every hour, releases each finished month not yet
  released (``transparency.statistics``); a month is drawn once, ever.
* ``sign_tree_head``: signs a tree head over the log when it has grown
  (``transparency.actions.do_sign_tree_head``). Enqueued when a transaction
  that appended to the log commits (``request_tree_head``), so a head follows
  within the worker's poll delay (at most 1 s with SQLite; at once with
  Redis); and every minute, in case a request was lost (docs/transparency.md).

Each task imports the code it runs when it runs, so apps can import this
module without import cycles.
"""

from __future__ import annotations

from django.db import transaction
from huey import crontab

from safereport.jobs.queue import job, periodic_job


@job(retries=5, retry_delay=60, retry_backoff=2)  # after 1, 2, 4, 8 and 16 minutes
def send_notification(*, organisation_id: int, notice: str, path: str) -> None:
    from safereport.accounts.notify import deliver

    deliver(organisation_id, notice, path)


@periodic_job(crontab(minute="17"), retries=3, retry_delay=300)
def release_statistics() -> None:
    from safereport.transparency import statistics

    statistics.release_statistics()


@periodic_job(crontab(minute="*"), retries=3, retry_delay=5)
def sign_tree_head() -> None:
    from safereport.transparency.actions import do_sign_tree_head

    do_sign_tree_head()


def request_tree_head() -> None:
    """Ask the worker for a tree head once the current transaction commits."""
    transaction.on_commit(sign_tree_head, robust=True)
