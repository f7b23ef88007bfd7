"""Killing every app process in the middle of 100+ concurrent submissions loses nothing.

Two gunicorn servers (three workers each) share one database (a SQLite file,
or PostgreSQL when ``DATABASE_URL`` is set) and one Redis. Reporters walk the
real public journey over HTTP, many at once, alternating between the servers;
when a good part of them hold their receipt and at least one submission is in
flight, every master and worker gets SIGKILL. The servers restart and each
reporter carries on from the request that was cut (her draft and cookies
survived). Then:

- every reporter who saw her receipt phrase opens her report with it and
  writes to her caseworker from it; the demo caseworker finds every report
  in the inbox and reads, on its case page, the canary text of exactly one
  journey and, for an acknowledged one, that reporter's message;
- the database holds exactly one report per journey, each with its receipt
  key wrap. A report is written in one transaction together with its receipt
  wrap and sections (``cases.actions.do_submit_report``), so there is no
  report without a receipt. What a kill can do is cut the *page* that shows
  the phrase after the transaction committed: such a report is stored, has a
  receipt, and its reporter never saw the phrase. The test finds exactly
  those: journeys whose submit response was lost and whose retry of the same
  draft was told "already sent" (no second copy). A submit cut before the
  commit stored nothing, and its retry got a receipt.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

import pytest

from safereport.accounts.demo import DEMO_PASSWORD, _demo_backup_codes
from sr_testing.redis_store import REDIS_URL, redis_or_skip
from sr_testing.servers import (
    Browser,
    Server,
    app_database,
    journey_steps,
    manage,
    passphrase_in,
    post_solving,
    query,
    server_env,
    submit_form,
    token_in,
)

# Two ports after the ones test_any_worker uses.
FIRST_PORT = int(os.environ.get("SAFEREPORT_TEST_PORT", "8300")) + 2
SUBMISSIONS = 104
CONCURRENT = 16
KILL_AFTER_RECEIPTS = 35
HARD_LIMIT = 240  # seconds: a guard against a hang (all of it takes ~100 s on 2 cores)
ORGANISATION = "Puerta Abierta Women's Network"
ALREADY_SENT = "Your report was already sent"
CANARY = r"canary-kill-\d+-[0-9a-f]{8}"
T = TypeVar("T")
CUT = (OSError, http.client.HTTPException)  # what a killed server looks like to a client


@dataclass
class Journey:
    n: int
    canary: str
    browser: Browser = field(default_factory=lambda: Browser(timeout=60))
    passphrase: str | None = None
    already_sent: bool = False
    cut: list[str] = field(default_factory=list)  # the requests the kill cut


class Load:
    """What the reporters' threads share with the one that kills the servers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.up = threading.Event()
        self.up.set()
        self.killed = False
        self.receipts = 0
        self.submitting = 0

    def count(self, name: str, step: int) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + step)

    def retried(self, journey: Journey, label: str, request: Callable[[], T]) -> T:
        """Run ``request``; if the kill cuts it, wait for the restart and run it again."""
        for _attempt in range(3):
            assert self.up.wait(HARD_LIMIT), "the servers did not come back"
            try:
                return request()
            except CUT:
                if not self.killed:
                    raise
                journey.cut.append(label)
        raise AssertionError(f"journey {journey.n}: {label} failed three times")


def walk(journey: Journey, ports: list[int], load: Load) -> None:
    """The public journey, request by request alternating between the servers."""
    browser = journey.browser

    def port(k: int) -> int:
        return ports[(journey.n + k) % len(ports)]

    status, _, _ = load.retried(journey, "start", lambda: browser.get(port(0), "/en/report/"))
    assert status == 200
    for k, (slug, data) in enumerate(journey_steps(f"Took my papers. {journey.canary}")):
        cut_step = partial(submit_form, browser, port(k + 1), f"/en/report/{slug}/", data)
        status, location = load.retried(journey, slug, cut_step)
        assert status == 302, (slug, status)
        assert slug == "kind" or "/report/kind/" not in location, "sent back to the start"
    status, page, _ = load.retried(
        journey, "review", lambda: browser.get(port(10), "/en/report/review/")
    )
    assert status == 200 and journey.canary in html.unescape(page), page[:2000]
    draft = re.search(r'name="draft" value="([^"]+)"', page)
    assert draft
    form = {"draft": draft.group(1)}
    review = page

    def submit() -> tuple[int, str, str]:
        load.count("submitting", 1)
        try:
            return post_solving(browser, port(11), "/en/report/submit/", form, review)
        finally:
            load.count("submitting", -1)

    status, page, _ = load.retried(journey, "submit", submit)
    assert status == 200, page[:2000]
    journey.passphrase = passphrase_in(page)
    journey.already_sent = ALREADY_SENT in html.unescape(page)
    assert journey.passphrase or journey.already_sent, page[:2000]
    if journey.passphrase:
        load.count("receipts", 1)


@pytest.fixture
def servers(tmp_path):  # type: ignore[no-untyped-def]
    redis = redis_or_skip()
    redis.flushdb()
    with app_database(server_env(tmp_path), tmp_path, "kill") as env:
        env.update(REDIS_URL=REDIS_URL, SAFEREPORT_WORKERS="3")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "demo")
        pair = [Server(FIRST_PORT + i, env, tmp_path / f"server{i}.log") for i in (0, 1)]
        try:
            for server in pair:
                server.start()
            yield pair, env
        finally:
            for server in pair:
                server.stop()
            redis.flushdb()


def reports(env: dict[str, str]) -> dict[str, tuple[bool, bool]]:
    """Every stored report: public id -> (has its receipt lookup, has its receipt wrap)."""
    rows = query(
        env,
        "SELECT public_id, receipt_lookup_digest IS NOT NULL, receipt_wrap IS NOT NULL "
        "FROM cases_report",
    )
    return {str(public_id): (bool(lookup), bool(wrap)) for public_id, lookup, wrap in rows}


@pytest.mark.slow
def test_every_acknowledged_report_survives_a_kill_of_every_app_process(servers):
    pair, env = servers
    ports = [server.port for server in pair]
    before = reports(env)  # the demo's own reports
    journeys = [Journey(n, f"canary-kill-{n}-{os.urandom(4).hex()}") for n in range(SUBMISSIONS)]
    load = Load()
    started = time.monotonic()

    pool = ThreadPoolExecutor(CONCURRENT)
    try:
        futures = [pool.submit(walk, journey, ports, load) for journey in journeys]
        # In the middle: a good part acknowledged, at least one submission in flight.
        while not (load.receipts >= KILL_AFTER_RECEIPTS and load.submitting > 0):
            assert time.monotonic() - started < HARD_LIMIT, "no submissions to interrupt"
            assert not any(f.done() and f.exception() for f in futures), "a journey failed"
            time.sleep(0.005)
        load.up.clear()
        load.killed = True
        killed = [server.kill() for server in pair]
        receipts_at_kill = load.receipts
        for server in pair:
            server.start()
        load.up.set()
        done, pending = wait_for_futures(
            futures, timeout=HARD_LIMIT - (time.monotonic() - started), return_when=FIRST_EXCEPTION
        )
        assert not pending, f"{len(pending)} journeys still running after {HARD_LIMIT} s"
        for future in done:
            future.result()  # a journey's failure, with its reason
    finally:
        load.up.set()
        pool.shutdown(cancel_futures=True)

    # Every master and all its workers were killed, mid-way through the submissions.
    assert all(len(pids) == 4 for pids in killed), killed
    assert receipts_at_kill < SUBMISSIONS
    cut = [j for j in journeys if j.cut]
    assert any("submit" in j.cut for j in cut), "a submission must have been in flight"

    # Only a submission whose page was lost in flight may be stored unseen:
    # its retry was told "already sent", and it made no second report.
    acknowledged = [j for j in journeys if j.passphrase]
    unseen = [j for j in journeys if j.already_sent]
    assert all("submit" in j.cut for j in unseen), [j.cut for j in unseen]
    assert len(acknowledged) + len(unseen) == SUBMISSIONS
    print(  # shown with -s: what this run's kill cut
        f"killed at {receipts_at_kill} receipts; {len(cut)} journeys cut, "
        f"{sum('submit' in j.cut for j in cut)} in their submit; {len(unseen)} stored unseen"
    )

    # The database: exactly one new report per journey, each with its receipt.
    stored = {k: v for k, v in reports(env).items() if k not in before}
    assert len(stored) == SUBMISSIONS, (len(stored), len(acknowledged), len(unseen))
    assert all(v == (True, True) for v in stored.values()), "a report without its receipt"

    # Every reporter who saw her phrase reopens her report with it, on either
    # server, and writes to her caseworker from it.
    for journey in acknowledged:
        returning = Browser()
        status, location = submit_form(
            returning, ports[journey.n % 2], "/en/return/", {"passphrase": journey.passphrase}
        )
        assert status == 302, (journey.n, location)
        port = ports[(journey.n + 1) % 2]
        status, page, _ = returning.get(port, "/en/return/report/")
        assert status == 200 and ORGANISATION in html.unescape(page), page[:2000]
        status, _, location = returning.post(
            port,
            "/en/return/report/message/",
            {"body": f"Still here, {journey.canary}"},
            token_in(page),
        )
        assert status == 302 and location.endswith("/return/report/"), (journey.n, status)

    # The caseworker finds each report in the inbox and reads exactly one
    # journey's canary in it; for an acknowledged one, her message from the
    # receipt's page too: the phrase opened that very report.
    caseworker = Browser()
    status, location = submit_form(
        caseworker,
        ports[0],
        "/staff/login/",
        {"username": "lucia", "password": DEMO_PASSWORD, "code": _demo_backup_codes("lucia")[0]},
    )
    assert status == 302, location
    read: dict[str, list[str]] = {}
    for n, public_id in enumerate(sorted(stored)):
        # The inbox shows 50 a page: each report is found by its reference.
        status, inbox, _ = caseworker.get(ports[(n + 1) % 2], f"/staff/cases/?ref={public_id}")
        assert status == 200
        assert f"/staff/cases/{public_id}/" in inbox, public_id
        status, page, _ = caseworker.get(ports[n % 2], f"/staff/cases/{public_id}/")
        assert status == 200, page[:2000]
        text = html.unescape(page)
        (canary,) = re.findall(rf"Took my papers\. ({CANARY})", text)
        read[canary] = re.findall(rf"Still here, ({CANARY})", text)
    assert set(read) == {j.canary for j in journeys}
    for journey in journeys:
        assert read[journey.canary] == ([journey.canary] if journey.passphrase else [])
