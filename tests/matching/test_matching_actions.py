"""do_add_identifiers: entries stored, matches found across reports, limits, audit and log."""

from __future__ import annotations

import pytest

from safereport.accounts.models import AuditEvent
from safereport.core.events import EventKind
from safereport.core.matching import normalise_business_line, normalise_phone, normalise_vehicle
from safereport.matching.actions import (
    MatchingThrottled,
    TooManyIdentifiers,
    do_add_identifiers,
)
from safereport.matching.models import Match, MatchEntry
from safereport.matching.selectors import has_match
from safereport.transparency.models import LogEntry
from sr_testing.reports import submit


def _log_kinds() -> list[str]:
    from safereport.core.ledger import decode_entry

    return [decode_entry(bytes(row.data)).kind.value for row in LogEntry.objects.order_by("index")]


def test_three_reports_two_name_one_employer_differently(personas):
    first, _ = submit(personas, org=personas.support_org)
    second, _ = submit(personas, org=personas.other_support_org)
    third, _ = submit(personas, org=personas.support_org)

    alone = do_add_identifiers(
        first, [normalise_business_line("A-1 Cleaning Ltd, E1 6AN")], acting_user=None
    )
    assert alone.added == 1 and alone.matches == ()
    other = do_add_identifiers(
        third, [normalise_business_line("B2 Cleaning Ltd, E1 6AN")], acting_user=None
    )
    assert other.matches == ()
    paired = do_add_identifiers(
        second, [normalise_business_line("a1 cleaning limited e16an")], acting_user=None
    )
    assert len(paired.matches) == 1
    match = paired.matches[0]
    assert {match.first, match.second} == {first, second}
    assert has_match(first) and has_match(second) and not has_match(third)

    found = AuditEvent.objects.filter(kind=EventKind.MATCH_FOUND)
    assert {(e.organisation, e.detail["report"]) for e in found} == {
        (personas.support_org, first.public_id),
        (personas.other_support_org, second.public_id),
    }
    assert AuditEvent.objects.filter(kind=EventKind.MATCHING_TAG_COMPUTED).count() == 3
    kinds = _log_kinds()
    assert kinds.count(EventKind.MATCHING_ENTRY_ADDED.value) == 3
    assert kinds.count(EventKind.MATCH_FOUND.value) == 1


def test_the_same_pair_matches_once_and_a_report_never_matches_itself(personas):
    first, _ = submit(personas)
    second, _ = submit(personas, org=personas.other_support_org)
    phone, car = normalise_phone("07700 900123"), normalise_vehicle("AB12 CDE")
    assert do_add_identifiers(first, [phone, phone, car], acting_user=None).added == 2
    assert (
        do_add_identifiers(first, [normalise_phone("+447700900123")], acting_user=None).added == 0
    )
    assert Match.objects.count() == 0
    result = do_add_identifiers(second, [phone, car], acting_user=None)
    assert len(result.matches) == 1
    assert Match.objects.count() == 1
    assert MatchEntry.objects.count() == 4


def test_a_shredded_reports_entry_never_matches_and_goes(personas):
    from safereport.cases.actions import do_shred_report

    first, _ = submit(personas)
    second, _ = submit(personas, org=personas.other_support_org)
    do_add_identifiers(first, [normalise_phone("07700 900123")], acting_user=None)
    do_shred_report(first, acting_user=personas.caseworker)
    result = do_add_identifiers(second, [normalise_phone("07700 900123")], acting_user=None)
    assert result.matches == ()
    assert MatchEntry.objects.count() == 1  # only the second report's


def test_a_report_names_a_bounded_number_of_identifiers(personas, settings):
    settings.MATCHING_IDENTIFIERS_PER_REPORT = 2
    report, _ = submit(personas)
    do_add_identifiers(report, [normalise_phone("07700 900001")], acting_user=None)
    with pytest.raises(TooManyIdentifiers):
        do_add_identifiers(
            report,
            [normalise_phone("07700 900002"), normalise_phone("07700 900003")],
            acting_user=None,
        )
    assert MatchEntry.objects.count() == 1
    assert AuditEvent.objects.filter(kind=EventKind.MATCHING_TAG_COMPUTED).count() == 1


def test_the_servers_tag_computations_per_hour_are_bounded(personas, settings):
    settings.MATCHING_TAGS_PER_HOUR = 3
    first, _ = submit(personas)
    second, _ = submit(personas)
    do_add_identifiers(
        first, [normalise_phone("07700 900001"), normalise_phone("07700 900002")], acting_user=None
    )
    with pytest.raises(MatchingThrottled):
        do_add_identifiers(
            second,
            [normalise_phone("07700 900003"), normalise_phone("07700 900004")],
            acting_user=None,
        )
    assert MatchEntry.objects.count() == 2
    assert AuditEvent.objects.filter(kind=EventKind.MATCHING_THROTTLED).count() == 1
    assert AuditEvent.objects.filter(kind=EventKind.MATCHING_TAG_COMPUTED).count() == 2
