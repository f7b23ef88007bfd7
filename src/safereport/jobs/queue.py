"""The job queue: one Huey instance, configured from settings (docs/operations.md).

Storage is an SQLite file in the data folder by default (one machine, nothing
else to run) and Redis when ``REDIS_URL`` is set (every process on every
machine shares one queue). ``safereport worker`` consumes it.

Tasks are declared with ``job`` and ``periodic_job`` in each app's
``tasks.py`` (the worker imports them all): each closes stale database
connections around its run, as a long-lived worker thread must. This module
imports no app. A task that fails with no retries left is recorded as a
``job_failed`` audit event (its name and the error's type, nothing else) and
shown to organisation admins (``accounts.tasks.record_failure``, connected
when the accounts app is ready), so nothing fails silently.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

logger = logging.getLogger(__name__)

QUEUE_NAME = "safereport"


def _make_huey() -> Huey:
    if settings.REDIS_URL:
        return Huey(QUEUE_NAME, results=False, storage_class=RedisStorage, url=settings.REDIS_URL)
    settings.JOBS_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return Huey(
        QUEUE_NAME,
        results=False,
        storage_class=SqliteStorage,
        filename=str(settings.JOBS_SQLITE_PATH),
    )


huey = _make_huey()


def closing_connections(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if huey.immediate:  # runs inside the caller's request or test
            return fn(*args, **kwargs)
        close_old_connections()
        try:
            return fn(*args, **kwargs)
        finally:
            close_old_connections()

    return run


def job(*, retries: int, retry_delay: int, retry_backoff: float = 1) -> Callable[..., Any]:
    """A task run by the worker, retried ``retries`` times, ``retry_delay`` seconds apart
    (multiplied by ``retry_backoff`` after each try). Call it to enqueue it."""

    def decorate(fn: Callable[..., Any]) -> Any:
        return huey.task(retries=retries, retry_delay=retry_delay, retry_backoff=retry_backoff)(
            closing_connections(fn)
        )

    return decorate


def periodic_job(schedule: Callable[..., bool], *, retries: int, retry_delay: int) -> Any:
    """A task the worker enqueues whenever ``schedule`` (a ``huey.crontab``) says so;
    calling it enqueues it at once as well."""

    def decorate(fn: Callable[..., Any]) -> Any:
        return huey.periodic_task(schedule, retries=retries, retry_delay=retry_delay)(
            closing_connections(fn)
        )

    return decorate
