"""Any worker on any server can serve the next request, and a restart loses nothing.

Two separate gunicorn servers (two workers each) and a job worker
(``safereport worker``) share one database (a SQLite file, or a fresh
PostgreSQL database when ``DATABASE_URL`` is set) and one Redis, which also
holds the job queue. A reporter's journey alternates between the servers
request by request, a caseworker signs in on one and opens the case on the
other, and each server is restarted in the middle. The caseworker's refused
disclosures append to the transparency log on either server; each queues a
tree-head signing task (``transparency.tasks.request_tree_head``) that the
one worker runs, so the other server soon serves a signed head covering the
entry and the reporter's return page proves it is in the log.
"""

from __future__ import annotations

import html
import json
import os
import re
import time

import pytest

from safereport.accounts.demo import DEMO_PASSWORD, _demo_backup_codes
from sr_testing.redis_store import REDIS_URL, redis_or_skip
from sr_testing.servers import (
    Browser,
    JobWorker,
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

# Two neighbouring ports for the two servers.
FIRST_PORT = int(os.environ.get("SAFEREPORT_TEST_PORT", "8300"))
CANARY = "canary-any-worker-5b1e"
ORGANISATION = "Puerta Abierta Women's Network"  # the reporter's page names her report's custodian
SIGNED_WITHIN = 90  # seconds: a guard against a hang (the queue runs the task at once)
WAITING = "Waiting to be included"


@pytest.fixture
def two_servers(tmp_path):  # type: ignore[no-untyped-def]
    redis = redis_or_skip()
    redis.flushdb()
    with app_database(server_env(tmp_path), tmp_path, "any_worker") as env:
        env.update(REDIS_URL=REDIS_URL, SAFEREPORT_WORKERS="2")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "demo")
        first = Server(FIRST_PORT, env, tmp_path / "first.log")
        second = Server(FIRST_PORT + 1, env, tmp_path / "second.log")
        worker = JobWorker(env, tmp_path / "worker.log")
        try:
            worker.start()
            first.start()
            second.start()
            yield first, second, env
        finally:
            first.stop()
            second.stop()
            worker.stop()
            redis.flushdb()


def refuse_disclosure(caseworker: Browser, port: int, public_id: str, police: int) -> None:
    """Ask the firewall to share the report with the police without the reporter's
    consent: refused, and recorded in the log under the report's commitment."""
    status, page, _ = caseworker.get(port, f"/staff/cases/{public_id}/")
    assert status == 200, page[:2000]
    status, page, _ = caseworker.post(
        port,
        f"/staff/disclosures/reports/{public_id}/share/",
        {"recipient": str(police), "purpose": "crime_investigation", "sections": "incident"},
        token_in(page),
    )
    assert status == 403, page[:2000]


def wait_for_signed_head(port: int, env: dict[str, str]) -> int:
    """Poll the server's latest signed tree head until it covers the whole log."""
    ((size,),) = query(env, "SELECT COUNT(*) FROM transparency_logentry")
    deadline = time.monotonic() + SIGNED_WITHIN
    signed = 0
    while time.monotonic() < deadline:
        status, body, _ = Browser(timeout=30).get(port, "/transparency/sth")
        if status == 200:
            signed = int(json.loads(body)["tree_size"])
            if signed >= size:
                return signed
        time.sleep(0.2)
    raise AssertionError(f"no signed head covers the log of {size} (latest: {signed})")


JOURNEY = journey_steps(f"He took my passport. {CANARY}")


@pytest.mark.slow
def test_journeys_and_cases_work_on_any_server_and_across_a_restart(
    two_servers: tuple[Server, Server, dict[str, str]],
) -> None:
    first, second, env = two_servers
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
    status, page, _ = post_solving(
        reporter, first.port, "/en/report/submit/", {"draft": draft.group(1)}, page
    )
    assert status == 200, page[:2000]
    passphrase = passphrase_in(page)
    assert passphrase, page[:2000]

    # She comes back with her receipt on one server and reads her report on the other.
    returning = Browser()
    status, location = submit_form(
        returning, second.port, "/en/return/", {"passphrase": passphrase}
    )
    assert status == 302, location
    status, page, _ = returning.get(first.port, "/en/return/report/")
    assert status == 200 and ORGANISATION in html.unescape(page), page[:2000]

    # The case opens on the second server, then on the restarted first one.
    ((public_id,),) = query(env, "SELECT public_id FROM cases_report ORDER BY id DESC LIMIT 1")
    for server in (second, first, second):
        status, page, _ = caseworker.get(server.port, f"/staff/cases/{public_id}/")
        assert status == 200, (server.port, page[:2000])
        assert CANARY in html.unescape(page)

    # A refusal recorded on one server is signed by the worker and proven to the
    # reporter on the other: first on the second server, then (after the second
    # restarts) on the first, so the worker serves the tasks both servers queue.
    ((police,),) = query(env, "SELECT id FROM accounts_organisation WHERE kind = 'police_force'")
    for refused, (here, there) in enumerate([(second, first), (first, second)], start=1):
        if refused == 2:
            second.stop()
            second.start()
        refuse_disclosure(caseworker, here.port, public_id, police)
        ((in_log,),) = query(env, "SELECT COUNT(*) FROM transparency_logentry")
        assert wait_for_signed_head(there.port, env) >= in_log
        status, page, _ = returning.get(there.port, "/en/return/report/")
        page = html.unescape(page)
        assert status == 200 and WAITING not in page, page[:3000]
        assert "In the log (proof checked against the signed log of" in page
        proven = (
            "this decision about your report is in the public log"
            if refused == 1
            else "each of these 2 decisions about your report is in the public log"
        )
        assert proven in page, page[:3000]

    # Both still serve the caseworker and the reporter.
    for server in servers:
        status, page, _ = caseworker.get(server.port, f"/staff/cases/{public_id}/")
        assert status == 200 and CANARY in html.unescape(page)
        status, page, _ = returning.get(server.port, "/en/return/report/")
        assert status == 200 and ORGANISATION in html.unescape(page)
