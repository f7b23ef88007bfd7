"""How long a closed case is kept, and when it is due to be shredded.

Each organisation keeps closed cases for a number of months (six years by
default, a common period for case records; an admin may choose between one
and ten years). A reporter may ask for a shorter time for her own report.
A case under a legal hold (live police or legal proceedings) is kept until
the hold is released, whatever its date. An open case is never due: the
clock starts when the case is closed, and starts again if it is reopened
and closed later.

Pure: dates in, dates out; the apps store the figures and run the schedule.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

DEFAULT_MONTHS = 72
MIN_MONTHS = 12
MAX_MONTHS = 120
# What a reporter may ask for instead (only those shorter than her organisation's).
REPORTER_CHOICES = (1, 3, 6, 12, 24)
WARNING_DAYS = 14


class RetentionError(ValueError):
    """A retention period outside what is allowed; the message says what is."""


def check_organisation_months(months: int) -> int:
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise RetentionError(
            f"Closed cases are kept between {MIN_MONTHS} and {MAX_MONTHS} months, not {months}."
        )
    return months


def reporter_choices(organisation_months: int) -> tuple[int, ...]:
    """The shorter periods a reporter may choose for her own report."""
    return tuple(m for m in REPORTER_CHOICES if m < organisation_months)


def check_reporter_months(months: int, organisation_months: int) -> int:
    if months not in reporter_choices(organisation_months):
        raise RetentionError("Choose one of the shorter periods offered.")
    return months


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """``moment`` plus whole calendar months; the 31st becomes the month's last day."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True, slots=True)
class Retention:
    """The facts that decide one case's deletion date."""

    organisation_months: int
    requested_months: int | None = None
    closed_at: dt.datetime | None = None
    on_hold: bool = False

    @property
    def months(self) -> int:
        if self.requested_months is not None:
            return min(self.requested_months, self.organisation_months)
        return self.organisation_months

    @property
    def delete_on(self) -> dt.datetime | None:
        """When the case is due, or None while it is open or on hold."""
        if self.closed_at is None or self.on_hold:
            return None
        return add_months(self.closed_at, self.months)

    def is_due(self, now: dt.datetime) -> bool:
        due = self.delete_on
        return due is not None and due <= now

    def warn_from(self) -> dt.datetime | None:
        """From when the case's caseworkers are told it will be deleted soon."""
        due = self.delete_on
        return None if due is None else due - dt.timedelta(days=WARNING_DAYS)
