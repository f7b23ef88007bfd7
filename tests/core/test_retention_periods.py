"""core.retention: when a closed case is due, with holds, shorter requests and bounds."""

from __future__ import annotations

import datetime as dt

import pytest

from safereport.core.retention import (
    DEFAULT_MONTHS,
    MAX_MONTHS,
    MIN_MONTHS,
    WARNING_DAYS,
    Retention,
    RetentionError,
    add_months,
    check_organisation_months,
    check_reporter_months,
    reporter_choices,
)

CLOSED = dt.datetime(2020, 1, 31, 12, 0, tzinfo=dt.UTC)


def test_months_are_calendar_months_and_the_31st_becomes_the_last_day():
    assert add_months(CLOSED, 1) == dt.datetime(2020, 2, 29, 12, 0, tzinfo=dt.UTC)  # leap year
    assert add_months(CLOSED, 13) == dt.datetime(2021, 2, 28, 12, 0, tzinfo=dt.UTC)
    assert add_months(CLOSED, 72) == dt.datetime(2026, 1, 31, 12, 0, tzinfo=dt.UTC)
    assert add_months(dt.datetime(2020, 11, 15, tzinfo=dt.UTC), 2) == dt.datetime(
        2021, 1, 15, tzinfo=dt.UTC
    )


def test_an_open_case_is_never_due():
    kept = Retention(organisation_months=DEFAULT_MONTHS, closed_at=None)
    assert kept.delete_on is None
    assert not kept.is_due(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    assert kept.warn_from() is None


def test_a_closed_case_is_due_after_its_organisations_period():
    kept = Retention(organisation_months=DEFAULT_MONTHS, closed_at=CLOSED)
    due = dt.datetime(2026, 1, 31, 12, 0, tzinfo=dt.UTC)
    assert kept.delete_on == due
    assert not kept.is_due(due - dt.timedelta(seconds=1))
    assert kept.is_due(due)
    assert kept.warn_from() == due - dt.timedelta(days=WARNING_DAYS)


def test_a_hold_keeps_a_case_whatever_its_date():
    kept = Retention(organisation_months=MIN_MONTHS, closed_at=CLOSED, on_hold=True)
    assert kept.delete_on is None
    assert not kept.is_due(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))


def test_the_reporter_may_shorten_but_never_lengthen():
    assert Retention(organisation_months=72, requested_months=6, closed_at=CLOSED).months == 6
    # A request longer than the organisation's (its period shortened since) has no effect.
    assert Retention(organisation_months=12, requested_months=24, closed_at=CLOSED).months == 12
    assert reporter_choices(72) == (1, 3, 6, 12, 24)
    assert reporter_choices(12) == (1, 3, 6)
    assert check_reporter_months(3, 72) == 3
    for refused in (0, 2, 24, 72, 100, -1):
        with pytest.raises(RetentionError):
            check_reporter_months(refused, 12)


def test_an_organisation_chooses_within_bounds():
    assert check_organisation_months(MIN_MONTHS) == MIN_MONTHS
    assert check_organisation_months(MAX_MONTHS) == MAX_MONTHS
    for refused in (MIN_MONTHS - 1, MAX_MONTHS + 1, 0, -5):
        with pytest.raises(RetentionError, match="between 12 and 120 months"):
            check_organisation_months(refused)
