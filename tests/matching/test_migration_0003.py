"""Migration 0003: a match found before the caseworker's "ask her" step had
already been shown on its reporter's return page, so it counts as asked; a
match found after waits for a caseworker."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safereport.core.matching import normalise_business_line
from safereport.matching.actions import do_add_identifiers
from safereport.matching.models import MatchSide
from safereport.matching.selectors import sides_for_reporter
from sr_testing.reports import submit

BEFORE = [("matching", "0002_match_sides")]
AFTER = [("matching", "0003_reporter_asked_by_caseworker")]


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():  # type: ignore[no-untyped-def]
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_matches_from_before_count_as_asked_and_new_ones_wait(personas):
    first, _ = submit(personas, org=personas.support_org)
    second, _ = submit(personas, org=personas.other_support_org)
    third, _ = submit(personas, org=personas.support_org)
    old = _migrate(BEFORE)
    try:
        match = old.get_model("matching", "Match").objects.create(
            first_id=first.pk, second_id=second.pk, found_on="2026-11-30"
        )
        for report in (first, second):
            old.get_model("matching", "MatchSide").objects.create(
                match=match, report_id=report.pk, answer="yes"
            )
    finally:
        _migrate(AFTER)
        _migrate(_latest())
    assert MatchSide.objects.filter(asked_at__isnull=True).count() == 0
    assert [side.report_id for side in sides_for_reporter(first)] == [first.pk]

    # A match found now is not on the reporter's page until a caseworker asks.
    for report, line in ((first, "Bluebird Farms, PE21 6XX"), (third, "bluebird farms pe21 6xx")):
        do_add_identifiers(report, [normalise_business_line(line)], acting_user=None)
    assert MatchSide.objects.filter(report=third, asked_at__isnull=True).count() == 1
    assert sides_for_reporter(third) == []
