"""Reads for the matching app: which reports a report matched (never through what)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from safereport.accounts.models import StaffUser
from safereport.cases.models import Report
from safereport.cases.selectors import inbox_for
from safereport.matching.models import IdentifierAllowance, Match

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


def identifiers_left(report: Report) -> int:
    """How many more identifiers ``report`` may name (a count: which ones it
    named is nowhere to be read). Callers have opened ``report``."""
    named = (
        IdentifierAllowance.objects.filter(report=report).values_list("named", flat=True).first()
    )
    return max(0, settings.MATCHING_IDENTIFIERS_PER_REPORT - (named or 0))
