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

import pytest

from safereport.accounts.demo import DEMO_PASSWORD, _demo_backup_codes
from sr_testing.redis_store import REDIS_URL, redis_or_skip
from sr_testing.servers import (
    Browser,
    Server,
    journey_steps,
    manage,
    passphrase_in,
    server_env,
    submit_form,
    token_in,
)

# Two neighbouring ports for the two servers.
FIRST_PORT = int(os.environ.get("SAFEREPORT_TEST_PORT", "8300"))
CANARY = "canary-any-worker-5b1e"
ORGANISATION = "Puerta Abierta Women's Network"  # the reporter's page names her report's custodian


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


JOURNEY = journey_steps(f"He took my passport. {CANARY}")


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
