"""A real job worker (``safereport worker``, another process) for tests.

``start_worker("sqlite")`` or ``start_worker("redis")`` points this test's
queue at fresh storage (an SQLite file in a temporary folder, or Redis
database 5, emptied first), starts the worker on the same storage and the
same test database, and stops it after the test. Use it in tests marked
``django_db(transaction=True)``: the worker sees only committed rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from huey.storage import RedisStorage, SqliteStorage

from safereport.jobs.queue import QUEUE_NAME, huey

REDIS_URL = os.environ.get("SAFEREPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def worker_database_url() -> str:
    """The test database, as a ``DATABASE_URL`` for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition: Callable[[], Any], what: str, worker: Worker, seconds: float = 90) -> Any:
    """Poll ``condition`` until it is true; fail with the worker's log if it never is.
    The limit only bounds a hung test: nothing here measures speed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if worker.process.poll() is not None:
            break
        time.sleep(0.2)
    pytest.fail(f"the worker never got to: {what}\n--- worker log ---\n{worker.log()}")


def executed(worker: Worker, task: str) -> int:
    """How many runs of ``task`` the worker's log says have finished without an error."""
    return sum(
        1 for line in worker.log().splitlines() if f".{task}: " in line and "executed in" in line
    )


class Worker:
    def __init__(self, process: subprocess.Popen[bytes], log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[[str], Worker]]:
    workers: list[Worker] = []

    def start(kind: str) -> Worker:
        data_dir = tmp_path / "worker-data"
        data_dir.mkdir(exist_ok=True)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SAFEREPORT_", "DATABASE_URL", "REDIS_URL"))
        }
        env.update(
            SAFEREPORT_DATA_DIR=str(data_dir),
            DATABASE_URL=worker_database_url(),
            # The same secrets as this test process (its data folder is another one).
            SAFEREPORT_SECRET_KEY=settings.SECRET_KEY,
            SAFEREPORT_LEDGER_SIGNING_KEY=settings.LEDGER_SIGNING_KEY,
            SAFEREPORT_INSTALLATION_SALT=settings.INSTALLATION_SALT.hex(),
            SAFEREPORT_MATCHING_KEY=settings.MATCHING_KEY.hex(),
            SAFEREPORT_SITE_URL=settings.SITE_URL,
            SAFEREPORT_EMAIL_HOST=settings.EMAIL_HOST,
            SAFEREPORT_EMAIL_PORT=str(settings.EMAIL_PORT),
        )
        huey.immediate = False
        if kind == "redis":
            redis.Redis.from_url(REDIS_URL).flushdb()
            env["REDIS_URL"] = REDIS_URL
            huey.storage = RedisStorage(QUEUE_NAME, url=REDIS_URL)
        else:
            huey.storage = SqliteStorage(QUEUE_NAME, filename=str(data_dir / "jobs.sqlite3"))
        log_path = tmp_path / f"worker-{len(workers)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 - our own command
                [str(Path(sys.executable).parent / "safereport"), "worker"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(process, log_path)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    huey.immediate = True  # back to the suite's default (memory storage)
