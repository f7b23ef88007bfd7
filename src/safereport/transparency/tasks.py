"""The transparency log's work for the job queue (``safereport worker``).

* ``release_statistics``: every hour, releases each finished month not yet
  released (``transparency.statistics``); a month is drawn once, ever.
* ``sign_tree_head``: signs a tree head over the log when it has grown
  (``transparency.actions.do_sign_tree_head``). Enqueued when a transaction
  that appended to the log commits (``request_tree_head``), so a head follows
  within the worker's poll delay (at most 1 s with SQLite; at once with
  Redis); and every minute, in case a request was lost (docs/transparency.md).
"""

from __future__ import annotations

from django.db import transaction
from huey import crontab

from safereport.jobs.queue import periodic_job


@periodic_job(crontab(minute="17"), retries=3, retry_delay=300)
def release_statistics() -> None:
    from safereport.transparency import statistics

    statistics.do_release_statistics()


@periodic_job(crontab(minute="*"), retries=3, retry_delay=5)
def sign_tree_head() -> None:
    from safereport.transparency.actions import do_sign_tree_head  # actions queue this task

    do_sign_tree_head()


def request_tree_head() -> None:
    """Ask the worker for a tree head once the current transaction commits."""
    transaction.on_commit(sign_tree_head, robust=True)
