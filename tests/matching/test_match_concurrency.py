"""Both reporters answering at the same moment (PostgreSQL: row locks between
connections). Each answer locks both sides of the match, in key order, in one
query; locking her own side first and then the other would let two answers
wait for each other for ever (PostgreSQL would kill one with a deadlock, and
she would see an error page)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from safereport.accounts.models import AuditEvent
from safereport.core.events import EventKind
from safereport.core.matching import normalise_business_line
from safereport.matching.actions import do_add_identifiers
from safereport.matching.coordination import do_answer_match, do_ask_reporter
from safereport.matching.models import MatchSide
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db(transaction=True)


def _sessions_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction the activity view is a snapshot: take a new one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(cursor.fetchone()[0])


def test_two_reporters_answering_at_once_both_get_through(personas):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: row locks between connections exist only there")
    first, _ = submit(personas, org=personas.support_org)
    second, _ = submit(personas, org=personas.other_support_org)
    for report, line in ((first, "A-1 Cleaning Ltd, E1 6AN"), (second, "a1 cleaning e16an")):
        do_add_identifiers(report, [normalise_business_line(line)], acting_user=None)
    do_ask_reporter(first, acting_user=personas.caseworker)
    do_ask_reporter(second, acting_user=personas.other_caseworker)
    lower = MatchSide.objects.order_by("pk").first()
    assert lower is not None

    failures: list[BaseException] = []

    def answer(report) -> None:  # type: ignore[no-untyped-def]
        try:
            do_answer_match(report, agree=True)
        except BaseException as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connections.close_all()

    # Hold the lower side's row so both answers start and queue behind it; then
    # let go. Locking "mine, then the other" would now deadlock the two.
    with transaction.atomic():
        MatchSide.objects.select_for_update().get(pk=lower.pk)
        threads = [threading.Thread(target=answer, args=(r,)) for r in (first, second)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while _sessions_waiting_for_a_lock() < 2:
            assert time.monotonic() < deadline, "the two answers never waited for the row"
            time.sleep(0.02)
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive()

    assert failures == []
    assert set(MatchSide.objects.values_list("answer", flat=True)) == {"yes"}
    assert AuditEvent.objects.filter(kind=EventKind.MATCH_AGREED).count() == 2
