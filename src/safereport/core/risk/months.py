"""Calendar-month arithmetic for "within 12 months" style rules.

Risk flags and legal deadlines are stated in calendar months ("a new
incident within 12 months of a MARAC referral", "three months' permission to
stay"), not in fixed numbers of days. A month is added by moving the month
and keeping the day, clamped to the last day of a shorter month: 31 January
plus one month is 28 (or 29) February, 29 February plus twelve months is
28 February.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative moves back)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def within_months_after(start: date, later: date, months: int) -> bool:
    """True when ``later`` falls on or after ``start`` and no more than
    ``months`` calendar months after it (the end day included)."""
    return start <= later <= add_months(start, months)
