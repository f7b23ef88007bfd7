"""A flood of 300 report submissions cannot run the server out of memory or lock a reporter out.

One client prepares 300 drafts (one cookie jar each; a draft is what a
submission sends) and sends them all at the same moment to a real gunicorn
(the production configuration, six workers, one shared Redis). Each
submission costs an Argon2id derivation of 64 MiB; the admission gate lets
at most ``SLOTS`` of them run at once (safereport.admission). The test sets
the wait for a slot to 0 s (production: 2 s), so that the flood meets the
limit however fast the machine is (bench/flood_bench.py runs the default).
At the same moment two reporters start: Amira walks the whole journey from
the first page, Beatriz had her draft ready and presses "Send". Then:

- **memory**: the sum of the resident memory of the master and its workers,
  sampled every 10 ms, never exceeds the bound
  ``baseline + SLOTS x 64 MiB + SLACK``, where the baseline is the same sum
  just before the flood (every worker warmed by the 3,300 requests that
  prepared the drafts) and ``SLACK`` (48 MiB) is less than one derivation:
  one derivation beyond the limit would break it. Six workers deriving at
  once, as before the gate, would add 384 MiB (bench/flood_bench.py shows it);
- **no server error**: every answer is a receipt or the busy page (503 with
  ``Retry-After``, the one deliberate refusal), never a 500; every refused
  draft is still kept, and the busy page's button sends that same draft;
- **the reporters get through**: each obtains her receipt phrase, following
  the busy page when she meets it (waiting ``Retry-After`` seconds, then
  pressing "Try again"), within ``HARD_LIMIT`` seconds, and it opens her report.
"""

from __future__ import annotations

import html
import os
import threading
import time
from collections.abc import Callable

import pytest

from safereport.core.admission import DERIVATION_BYTES, MIB
from sr_testing.flood import (
    Answer,
    Draft,
    MemorySampler,
    burst,
    in_parallel,
    post,
    prepare,
    send,
    still_kept,
)
from sr_testing.redis_store import REDIS_URL, redis_or_skip
from sr_testing.servers import Browser, Server, app_database, manage, query, server_env, submit_form

# Four ports after the ones test_any_worker uses (test_kill_during_submissions takes +2, +3).
PORT = int(os.environ.get("SAFEREPORT_TEST_PORT", "8300")) + 4
FLOOD = 300
WORKERS = 6
SLOTS = 2
SLACK = 48 * MIB
RETRY_AFTER = 3  # seconds (production: 60); the reporters wait this long before "Try again"
HARD_LIMIT = 240  # seconds: a guard against a hang (the flood itself takes well under a minute)
ORGANISATION = "Puerta Abierta Women's Network"


@pytest.fixture
def server(tmp_path):  # type: ignore[no-untyped-def]
    redis = redis_or_skip()
    redis.flushdb()
    with app_database(server_env(tmp_path), tmp_path, "flood") as env:
        env.update(
            REDIS_URL=REDIS_URL,
            SAFEREPORT_WORKERS=str(WORKERS),
            SAFEREPORT_KDF_SLOTS=str(SLOTS),
            SAFEREPORT_KDF_RETRY_AFTER_SECONDS=str(RETRY_AFTER),
            SAFEREPORT_KDF_WAIT_SECONDS="0",
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "demo")
        app = Server(PORT, env, tmp_path / "server.log")
        try:
            app.start()
            yield app, env
        finally:
            app.stop()
            redis.flushdb()


def until_sent(draft: Draft, first: Callable[[], Answer], deadline: float) -> tuple[str, int]:
    """Send, and while the answer is the busy page, do what it says: wait
    ``Retry-After`` seconds, press "Try again". The phrase, and how many busy pages."""
    answer, busy_pages = first(), 0
    while answer.busy:
        busy_pages += 1
        assert time.monotonic() < deadline, "still refused at the hard limit"
        time.sleep(int(answer.retry_after or "60"))
        action, fields = answer.again()
        answer = post(draft, PORT, action, fields)
    assert answer.receipt, (answer.status, answer.page[:2000])
    return answer.receipt, busy_pages


@pytest.mark.slow
def test_a_flood_of_submissions_stays_within_memory_and_the_reporters_still_send(server):
    app, env = server
    demo_reports = query(env, "SELECT COUNT(*) FROM cases_report")[0][0]
    started = time.monotonic()
    drafts = in_parallel(FLOOD, 8, lambda n: prepare(PORT, n))
    beatriz = prepare(PORT, 0, "Beatriz: my employer keeps my passport")
    prepared = time.monotonic() - started

    baseline = max(MemorySampler(app).now() for _ in range(20))
    bound = baseline + SLOTS * DERIVATION_BYTES + SLACK
    phrases: dict[str, tuple[str, int, float]] = {}
    failures: list[BaseException] = []

    def amira() -> None:  # starts her journey at the flood's first moment
        try:
            t0 = time.monotonic()
            draft = prepare(PORT, 0, "Amira: he threatens to call immigration")
            phrase, busy = until_sent(draft, lambda: send(draft, PORT), t0 + HARD_LIMIT)
            phrases["amira"] = (phrase, busy, time.monotonic() - t0)
        except BaseException as error:
            failures.append(error)

    def beatriz_sends() -> None:  # presses "Send" at the flood's first moment
        try:
            t0 = time.monotonic()
            phrase, busy = until_sent(beatriz, lambda: send(beatriz, PORT), t0 + HARD_LIMIT)
            phrases["beatriz"] = (phrase, busy, time.monotonic() - t0)
        except BaseException as error:
            failures.append(error)

    reporters = [threading.Thread(target=amira), threading.Thread(target=beatriz_sends)]
    with MemorySampler(app) as memory:
        flood = burst(drafts, PORT, before_start=lambda: [r.start() for r in reporters])
        for reporter in reporters:
            reporter.join(HARD_LIMIT)
    assert not failures, failures
    assert time.monotonic() - started < HARD_LIMIT + prepared

    print(  # shown with -s: this run's figures
        f"\n{FLOOD} drafts prepared in {prepared:.0f} s; flood answered in {flood.seconds:.1f} s: "
        f"{flood.accepted} accepted, {flood.refused} refused (busy), "
        f"statuses {dict(flood.statuses)}"
        f"\nmemory: baseline {baseline / MIB:.0f} MiB, peak {memory.peak / MIB:.0f} MiB, "
        f"bound {bound / MIB:.0f} MiB ({memory.samples} samples)"
        + "".join(
            f"\n{name}: sent after {busy} busy page(s), {seconds:.1f} s"
            for name, (_, busy, seconds) in sorted(phrases.items())
        )
    )

    # Memory: never more than SLOTS derivations on top of the baseline.
    assert memory.samples > 100
    assert memory.peak <= bound, (memory.peak / MIB, bound / MIB)
    assert memory.peak >= baseline + DERIVATION_BYTES // 2, "the sampler saw no derivation"

    # No server error: a receipt or the busy page, and a refused draft is kept.
    assert set(flood.statuses) <= {200, 503}, flood.statuses
    assert flood.accepted + flood.refused == FLOOD
    assert flood.accepted >= 1 and flood.refused >= 1, "the flood must meet the limit"
    for draft, answer in zip(drafts, flood.answers, strict=True):
        if answer.busy:
            assert answer.again()[1]["draft"] == [draft.token]
            assert still_kept(draft, PORT)

    # The reporters got through, and their phrases open their reports.
    assert set(phrases) == {"amira", "beatriz"}
    for name, (phrase, _, _) in phrases.items():
        returning = Browser()
        status, location = submit_form(returning, PORT, "/en/return/", {"passphrase": phrase})
        assert status == 302, (name, location)
        status, page, _ = returning.get(PORT, "/en/return/report/")
        assert status == 200 and ORGANISATION in html.unescape(page), page[:2000]
    stored = query(env, "SELECT COUNT(*) FROM cases_report")[0][0]
    assert stored == demo_reports + flood.accepted + 2
