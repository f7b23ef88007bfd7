"""``safereport worker``: run the job queue (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Run the job queue's worker: notification mail, the statistics release and "
        "signing tree heads. Ctrl+C (SIGINT) stops it after the running tasks; SIGTERM at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threads", type=int, default=2, help="tasks run at the same time (default 2)"
        )

    def handle(self, *args: Any, threads: int, **options: Any) -> None:
        from django.utils.module_loading import autodiscover_modules

        from safereport.jobs.queue import huey

        autodiscover_modules("tasks")  # each app's tasks.py registers its tasks

        queue = "Redis" if settings.REDIS_URL else f"SQLite ({settings.JOBS_SQLITE_PATH})"
        self.stdout.write(f"Job worker on the {queue} queue, {threads} threads")
        consumer = huey.create_consumer(
            workers=threads,
            worker_type="thread",
            periodic=True,
            max_delay=1.0,  # an empty SQLite queue is polled at least every second
        )
        consumer.run()
