"""Reads for the matching app: which reports a report matched (never through what)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from safereport.accounts.models import StaffUser
from safereport.cases.models import Report
from safereport.cases.selectors import inbox_for
from safereport.matching.models import Match

# How long a match stays on "Waiting for you" (the case page shows it for good).
RECENT_MATCH_DAYS = 30


def has_match(report: Report) -> bool:
    """True when another report names the same person or business as ``report``.

    Callers have already authorised reading ``report`` (cases.selectors)."""
    return Match.objects.filter(Q(first=report) | Q(second=report)).exists()


def recently_matched_for(actor: StaffUser, today: dt.date) -> QuerySet[Report]:
    """The actor's organisation's reports (``inbox_for``) that matched another report
    in the last ``RECENT_MATCH_DAYS`` days: what a ``match_found`` alert is about."""
    since = today - dt.timedelta(days=RECENT_MATCH_DAYS)
    recent = Match.objects.filter(found_on__gte=since).filter(
        Q(first=OuterRef("pk")) | Q(second=OuterRef("pk"))
    )
    return inbox_for(actor).filter(shredded_at=None).filter(Exists(recent))
