"""Any worker on any server can serve the next request, and a restart loses nothing.

Two separate gunicorn servers (two workers each) share one database and one
Redis. A reporter's journey alternates between them request by request, a
caseworker signs in on one and opens the case on the other, one server is
restarted in the middle, and everything still works.
"""

from __future__ import annotations

import html
import os
import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from test_privacy_of_logs import ROOT, server_env, wait_for

from safereport.accounts.demo import DEMO_PASSWORD, _demo_backup_codes
from sr_testing.redis_store import REDIS_URL, redis_or_skip

# Two neighbouring ports for the two servers.
FIRST_PORT = int(os.environ.get("SAFEREPORT_TEST_PORT", "8300"))
CANARY = "canary-any-worker-5b1e"
ORGANISATION = "Puerta Abierta Women's Network"  # the reporter's page names her report's custodian


class Browser:
    """One browser: one cookie jar for every server (cookies ignore the port)."""

    def __init__(self) -> None:
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
            with self.opener.open(request, timeout=120) as response:
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


def submit_form(browser: Browser, port: int, path: str, data: dict[str, str]) -> tuple[int, str]:
    """GET the page on ``port`` for its form token, then POST to it on the same server."""
    status, page, _ = browser.get(port, path)
    assert status == 200, (port, path, status, page[:2000])
    status, _, location = browser.post(port, path, data, token_in(page))
    return status, location


class Server:
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


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "safereport.manage", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture
def two_servers(tmp_path):  # type: ignore[no-untyped-def]
    redis = redis_or_skip()
    redis.flushdb()
    env = server_env(tmp_path)
    env.update(REDIS_URL=REDIS_URL, SAFEREPORT_WORKERS="2")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "demo")
    first = Server(FIRST_PORT, env, tmp_path / "first.log")
    second = Server(FIRST_PORT + 1, env, tmp_path / "second.log")
    try:
        first.start()
        second.start()
        yield first, second, tmp_path / "safereport.sqlite3"
    finally:
        first.stop()
        second.stop()
        redis.flushdb()


JOURNEY = [
    ("kind", {"crime_type": "domestic_abuse"}),
    ("what-happened", {"what": f"He took my passport. {CANARY}", "when": "", "where": ""}),
    ("person", {"who": "", "relationship": "", "more": ""}),
    ("what-you-want", {"wants": "support_only", "needs": ""}),
    ("safe-contact", {"channel": "", "detail": "", "safe_times": "", "code_word": ""}),
    ("about-you", {"name": "", "other": ""}),
    ("attachments", {"action": "continue"}),
    ("area", {"area": ""}),
    ("organisation", {"organisation": "puerta-abierta"}),
]


@pytest.mark.slow
def test_journeys_and_cases_work_on_any_server_and_across_a_restart(two_servers):
    first, second, database = two_servers
    servers = [first, second]
    reporter, caseworker = Browser(), Browser()

    # The caseworker signs in on the first server.
    status, location = submit_form(
        caseworker,
        first.port,
        "/staff/login/",
        {
            "username": "lucia",
            "password": DEMO_PASSWORD,
            "code": _demo_backup_codes("lucia")[0],
        },
    )
    assert status == 302, location

    # The reporter's steps alternate between the servers; the first restarts halfway.
    for n, (slug, data) in enumerate(JOURNEY):
        if n == 4:
            first.stop()
            first.start()
        server = servers[n % 2]
        status, location = submit_form(reporter, server.port, f"/en/report/{slug}/", data)
        assert status == 302, (slug, server.port, location)
        assert "/report/kind/" not in location or slug == "kind", "sent back to the start"
    status, page, _ = reporter.get(second.port, "/en/report/review/")
    assert status == 200 and CANARY in html.unescape(page)
    draft = re.search(r'name="draft" value="([^"]+)"', page)
    assert draft
    status, page, _ = reporter.post(
        first.port, "/en/report/submit/", {"draft": draft.group(1)}, token_in(page)
    )
    assert status == 200, page[:2000]
    passphrase = re.search(r"data-passphrase>([^<]+)<", page)
    assert passphrase, page[:2000]

    # She comes back with her receipt on one server and reads her report on the other.
    returning = Browser()
    status, location = submit_form(
        returning, second.port, "/en/return/", {"passphrase": passphrase.group(1).strip()}
    )
    assert status == 302, location
    status, page, _ = returning.get(first.port, "/en/return/report/")
    assert status == 200 and ORGANISATION in html.unescape(page), page[:2000]

    # The case opens on the second server, then on the restarted first one.
    with sqlite3.connect(database) as db:
        (public_id,) = db.execute(
            "SELECT public_id FROM cases_report ORDER BY id DESC LIMIT 1"
        ).fetchone()
    for server in (second, first, second):
        status, page, _ = caseworker.get(server.port, f"/staff/cases/{public_id}/")
        assert status == 200, (server.port, page[:2000])
        assert CANARY in html.unescape(page)

    # A restart of the second server: both still serve the caseworker and the reporter.
    second.stop()
    second.start()
    for server in servers:
        status, page, _ = caseworker.get(server.port, f"/staff/cases/{public_id}/")
        assert status == 200 and CANARY in html.unescape(page)
        status, page, _ = returning.get(server.port, "/en/return/report/")
        assert status == 200 and ORGANISATION in html.unescape(page)
