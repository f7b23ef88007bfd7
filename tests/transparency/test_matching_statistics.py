"""The matching table: details named and matches found, by month, with noise (issue 16 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from safereport.accounts.models import AuditEvent
from safereport.core.events import EventKind
from safereport.core.ledger import decode_entry
from safereport.core.matching import normalise_business_line, normalise_phone
from safereport.matching.actions import do_add_identifiers
from safereport.transparency import statistics as sr_stats
from safereport.transparency.actions import month_of_week, this_week
from safereport.transparency.models import LogEntry, StatisticCell
from sr_testing.reports import submit

ADDED, FOUND = EventKind.MATCHING_ENTRY_ADDED.value, EventKind.MATCH_FOUND.value
# The discrete Laplace noise at scale 1/ε: |noise| > 30 has probability below 1e-12.
NOISE_BOUND = 30 / sr_stats.EPSILON
EMPLOYER, SPELLED_AGAIN, OTHER = (
    "A-1 Canarycleaning Ltd, E1 6AN",
    "a1 canarycleaning limited e16an",
    "B2 Canarycleaning Ltd, E1 6AN",
)
PHONE = "07700 900123"


def _a_week_after(month: str) -> dt.date:
    """The first day ``month`` is released (``statistics.last_releasable_month``)."""
    year, number = (int(part) for part in month.split("-"))
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return following + dt.timedelta(days=sr_stats.RELEASE_DELAY_DAYS + 1)


def _three_reports_two_name_one_employer(personas):  # type: ignore[no-untyped-def]
    """Four details named (an employer twice, spelled differently, by two organisations'
    reports; another employer; a phone number) and one match, all through the action."""
    first, _ = submit(personas, org=personas.support_org)
    second, _ = submit(personas, org=personas.other_support_org)
    third, _ = submit(personas, org=personas.support_org)
    do_add_identifiers(
        first, [normalise_business_line(EMPLOYER), normalise_phone(PHONE)], acting_user=None
    )
    do_add_identifiers(third, [normalise_business_line(OTHER)], acting_user=None)
    paired = do_add_identifiers(second, [normalise_business_line(SPELLED_AGAIN)], acting_user=None)
    assert len(paired.matches) == 1
    return first, second, third


@pytest.mark.django_db
def test_details_and_matches_from_the_action_are_counted_by_the_month_of_their_week(personas):
    _three_reports_two_name_one_employer(personas)
    month = month_of_week(this_week())  # the month of this ISO week's Thursday
    assert sr_stats.matching_counts([month]) == {(ADDED, month): 4, (FOUND, month): 1}
    assert sr_stats.matching_counts(["2001-01"]) == {}


@pytest.mark.django_db
def test_the_exact_counts_feed_the_mechanism_and_the_noisy_ones_are_published(
    personas, client, monkeypatch
):
    _three_reports_two_name_one_employer(personas)
    month = month_of_week(this_week())
    matching = [t for t in sr_stats.TABLES if t.key == "matching"]
    monkeypatch.setattr(sr_stats, "TABLES", tuple(matching))
    drawn: list[tuple[list[int], float, list[int]]] = []
    mechanism = sr_stats.noisy_counts

    def recorded(counts: list[int], epsilon: float) -> list[int]:
        noisy = mechanism(counts, epsilon)  # the real OpenDP draw
        drawn.append((list(counts), epsilon, noisy))
        return noisy

    monkeypatch.setattr(sr_stats, "noisy_counts", recorded)
    # One month released, even when the suite began in the week before (its
    # Thursday in the month before): the page's row then has one cell.
    monkeypatch.setattr(sr_stats, "first_month", lambda: month)
    sr_stats.do_release_statistics(_a_week_after(month))

    exact, epsilon, noisy = drawn[-1]  # months are released oldest first
    assert exact == [1, 4]  # categories sorted: match_found, matching_entry_added
    assert epsilon == sr_stats.EPSILON
    cells = {c.category: c for c in StatisticCell.objects.filter(table="matching", month=month)}
    assert [cells[FOUND].noisy_count, cells[ADDED].noisy_count] == noisy
    assert all(c.epsilon == sr_stats.EPSILON for c in cells.values())
    for true, shown in zip(exact, noisy, strict=True):
        assert shown >= 0 and abs(shown - true) <= NOISE_BOUND
    released = AuditEvent.objects.filter(kind=EventKind.STATISTICS_RELEASED.value)
    assert {(e.detail["table"], e.detail["month"]) for e in released} >= {("matching", month)}

    html = client.get("/en/transparency/").content.decode()
    assert "Matching: details named and matches found" in html
    assert f'<tr><th scope="row">Details named for matching</th><td>{noisy[1]}</td>' in html
    assert f'<tr><th scope="row">Matches found</th><td>{noisy[0]}</td>' in html
    assert "a week counts in the month of its Thursday" in html


@pytest.mark.django_db
def test_the_table_never_counts_by_identifier_or_organisation(personas, client):
    reports = _three_reports_two_name_one_employer(personas)
    month = month_of_week(this_week())
    table = next(t for t in sr_stats.TABLES if t.key == "matching")
    assert sorted(table.labels()) == [FOUND, ADDED]  # its only categories

    # What it counts carries nothing else: the log's matching entries hold kind and week.
    for data in LogEntry.objects.values_list("data", flat=True):
        entry = decode_entry(bytes(data))
        if entry.kind in (ADDED, FOUND):
            assert set(entry.to_json_dict()) == {"v", "kind", "week"}

    sr_stats.do_release_statistics(_a_week_after(month))
    categories = set(
        StatisticCell.objects.filter(table="matching").values_list("category", flat=True)
    )
    assert categories == {FOUND, ADDED}
    html = client.get("/en/transparency/").content.decode()
    named = [
        "canarycleaning",
        "Canarycleaning",
        "7700 900123",  # as typed, and as normalised: never a run of a hash's digits
        "7700900123",
        "E1 6AN",
        personas.support_org.name,
        personas.other_support_org.name,
        personas.support_org.slug,
        personas.other_support_org.slug,
        *(report.public_id for report in reports),
    ]
    assert [word for word in named if word in html] == []
