"""Real app servers for the tests and benchmarks that go over HTTP.

``Server`` starts the production gunicorn configuration as a separate process
(stops it, or kills it and every worker with SIGKILL); ``JobWorker`` runs
``safereport worker`` (the job queue) beside them; ``Browser`` is one
browser's cookie jar and form posts; ``app_database`` gives the servers a
database of their own (a SQLite file, or a fresh PostgreSQL database when
``DATABASE_URL`` is set) and ``query`` reads it directly.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from sr_testing.proofs import solved

ROOT = Path(__file__).resolve().parents[2]


def wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not start within 180 s")


def server_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFEREPORT_", "DATABASE_URL"))}
    env["SAFEREPORT_DATA_DIR"] = str(tmp_path)
    # Proofs of work at the test difficulty (tests/conftest.py), on the real code path.
    env["SAFEREPORT_POW_BASE_BITS"] = "8"
    env["SAFEREPORT_POW_LOAD_THRESHOLD"] = "100000"
    return env


class Browser:
    """One browser: one cookie jar for every server (cookies ignore the port)."""

    def __init__(self, timeout: float = 120) -> None:
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def get(self, port: int, path: str) -> tuple[int, str, str]:
        return self._send(urllib.request.Request(f"http://127.0.0.1:{port}{path}"))

    def post(self, port: int, path: str, data: dict[str, str], token: str) -> tuple[int, str, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}",
            data=body,
            headers={"Origin": f"http://127.0.0.1:{port}"},
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return (
                    response.status,
                    response.read().decode(),
                    response.headers.get("Location", ""),
                )
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read().decode(), refused.headers.get("Location", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def token_in(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, page[:2000]
    return match.group(1)


def post_solving(
    browser: Browser, port: int, path: str, data: dict[str, str], page: str
) -> tuple[int, str, str]:
    """POST the form of ``page`` as a browser with JavaScript would: with its
    proof of work solved when it carries one; when the server answers with its
    wait page instead (a proof spent by a request a restart cut), solve that
    page's and send again, as proof.js does there."""
    proof = solved(page) if "pow_challenge" in page else {}
    status, body, location = browser.post(port, path, {**data, **proof}, token_in(page))
    if "data-proof-wait" in body:
        status, body, location = browser.post(port, path, {**data, **solved(body)}, token_in(body))
    return status, body, location


def submit_form(browser: Browser, port: int, path: str, data: dict[str, str]) -> tuple[int, str]:
    """GET the page on ``port`` for its form token (and proof of work), then POST
    to it on the same server."""
    status, page, _ = browser.get(port, path)
    assert status == 200, (port, path, status, page[:2000])
    status, _, location = post_solving(browser, port, path, data, page)
    return status, location


def journey_steps(what_happened: str) -> list[tuple[str, dict[str, str]]]:
    """The public journey's question pages, in order, with the demo's answers."""
    return [
        ("kind", {"crime_type": "domestic_abuse"}),
        ("what-happened", {"what": what_happened, "when": "", "where": ""}),
        ("person", {"who": "", "relationship": "", "more": ""}),
        ("what-you-want", {"wants": "support_only", "needs": ""}),
        ("safe-contact", {"channel": "", "detail": "", "safe_times": "", "code_word": ""}),
        ("about-you", {"name": "", "other": ""}),
        ("attachments", {"action": "continue"}),
        ("area", {"area": ""}),
        ("organisation", {"organisation": "puerta-abierta"}),
    ]


def passphrase_in(page: str) -> str | None:
    """The receipt's secret phrase on the page shown just after a submission."""
    match = re.search(r"data-passphrase>(?:<bdi>)?([^<]+)<", page)
    return match.group(1).strip() if match else None


class Server:
    """One gunicorn server (the production configuration) as a separate process."""

    def __init__(self, port: int, env: dict[str, str], log: Path) -> None:
        self.port, self.env, self.log = port, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**self.env, "SAFEREPORT_BIND": f"127.0.0.1:{self.port}"}
        command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own server
                [*command, "safereport.wsgi"], env=env, cwd=ROOT, stdout=log, stderr=log
            )
        wait_for(self.port, self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def workers(self) -> list[int]:
        """The process ids of the master's live children (its gunicorn workers)."""
        assert self.process is not None
        return [pid for pid, parent in _parents().items() if parent == self.process.pid]

    def kill(self) -> list[int]:
        """SIGKILL the master and every worker at once, as a power cut would;
        wait until none is left running. Returns the pids killed."""
        assert self.process is not None
        pids = [self.process.pid, *self.workers()]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_running(pid) for pid in pids):
            assert time.monotonic() < deadline, "killed workers still running"
            time.sleep(0.05)
        return pids


class JobWorker:
    """``safereport worker`` as a separate process, with the servers' environment."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "safereport.manage", "worker"],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )

    def stop(self) -> None:
        """SIGTERM (the worker stops at once); SIGKILL if it is still there after 30 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def _parents() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                # The command name (in brackets) may hold spaces: split after it.
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
    return parents


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie holds no socket and runs nothing


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "safereport.manage", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@contextlib.contextmanager
def app_database(env: dict[str, str], tmp_path: Path, suffix: str) -> Iterator[dict[str, str]]:
    """Point ``env`` at a new, empty database for the servers: with ``DATABASE_URL``
    set in this process, a fresh PostgreSQL database named after it plus
    ``suffix`` (dropped afterwards); otherwise the SQLite file in ``tmp_path``."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield {**env, "SAFEREPORT_DATA_DIR": str(tmp_path)}
        return
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    name = f"{parsed.path.lstrip('/') or 'safereport'}_{suffix}"
    admin = parsed._replace(path="/postgres").geturl()

    def recreate(create: bool) -> None:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                db.execute(f'CREATE DATABASE "{name}"')

    recreate(create=True)
    try:
        yield {**env, "DATABASE_URL": parsed._replace(path=f"/{name}").geturl()}
    finally:
        recreate(create=False)


def query(env: dict[str, str], sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` read straight from the servers' database (not through Django)."""
    url = env.get("DATABASE_URL", "")
    if url:
        import psycopg

        with psycopg.connect(url) as db:
            return list(db.execute(sql).fetchall())
    path = Path(env["SAFEREPORT_DATA_DIR"]) / "safereport.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as db:
        return list(db.execute(sql).fetchall())
