"""Calendar-month arithmetic behind "within 12 months"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safereport.core.risk.months import add_months, within_months_after


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 3, 15), -12, date(2025, 3, 15)),
        (date(2026, 1, 10), -1, date(2025, 12, 10)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_within_months_after_includes_both_ends() -> None:
    start = date(2025, 6, 1)
    assert within_months_after(start, start, 12)
    assert within_months_after(start, date(2026, 6, 1), 12)
    assert not within_months_after(start, date(2026, 6, 2), 12)
    assert not within_months_after(start, date(2025, 5, 31), 12)


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)),
    st.integers(min_value=-240, max_value=240),
)
def test_adding_months_keeps_the_day_unless_the_month_is_shorter(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    if moved.day != day.day:
        assert moved.day < day.day
        assert (moved + timedelta(days=1)).day == 1  # clamped to the month's last day
