"""Reads for the matching app: which reports a report matched (never through what)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from safereport.accounts.models import StaffUser
from safereport.cases.models import Report
from safereport.cases.selectors import inbox_for
from safereport.disclosures.models import DisclosureAttempt
from safereport.matching.models import IdentifierAllowance, Match, MatchSide

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
    # ...and, however old the match, one whose reporters both agreed and whose
    # reference this organisation has not shared yet (a ``match_agreed`` alert).
    other_agreed = MatchSide.objects.filter(
        match=OuterRef("match"), answer=MatchSide.Answer.YES
    ).exclude(pk=OuterRef("pk"))
    to_share = MatchSide.objects.filter(
        report=OuterRef("pk"), answer=MatchSide.Answer.YES, shared__isnull=True
    ).filter(Exists(other_agreed))
    return inbox_for(actor).filter(shredded_at=None).filter(Exists(recent) | Exists(to_share))


@dataclass(frozen=True)
class CaseSide:
    """What a caseworker of one matched report sees of the match (case page)."""

    side: MatchSide
    both_agreed: bool
    other_deleted: bool
    # The firewall's allowed decision that told us the other report (theirs to us).
    theirs: DisclosureAttempt | None
    other_reference: str | None

    @property
    def may_share(self) -> bool:
        return self.both_agreed and not self.other_deleted and self.side.shared_id is None


def sides_for_case(report: Report) -> list[CaseSide]:
    """Each match of ``report`` as its own caseworkers may see it. Callers have
    already authorised reading ``report`` (cases.selectors)."""
    found = []
    sides = (
        MatchSide.objects.filter(report=report)
        .select_related("shared", "shared__recipient")
        .order_by("match_id")
    )
    for side in sides:
        other = (
            MatchSide.objects.exclude(pk=side.pk)
            .select_related("report", "shared", "shared__custodian")
            .get(match_id=side.match_id)
        )
        theirs = other.shared
        found.append(
            CaseSide(
                side=side,
                both_agreed=side.answer == other.answer == MatchSide.Answer.YES,
                other_deleted=other.report.is_shredded,
                theirs=theirs,
                other_reference=other.report.public_id if theirs is not None else None,
            )
        )
    return found


def sides_for_reporter(report: Report) -> list[MatchSide]:
    """Her report's matches that her caseworker chose to ask her about, for her
    return page: her answer and whether her caseworker has shared (never the
    other report, its organisation or its answer)."""
    if report.is_shredded:
        return []
    asked = MatchSide.objects.filter(report=report, asked_at__isnull=False)
    return list(asked.order_by("match_id"))


def identifiers_left(report: Report) -> int:
    """How many more identifiers ``report`` may name (a count: which ones it
    named is nowhere to be read). Callers have opened ``report``."""
    named = (
        IdentifierAllowance.objects.filter(report=report).values_list("named", flat=True).first()
    )
    return max(0, settings.MATCHING_IDENTIFIERS_PER_REPORT - (named or 0))
