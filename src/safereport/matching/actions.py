"""Adding identifiers to a report, and finding the matches they make (docs/matching.md).

``do_add_identifiers(report, identifiers, acting_user=...)`` computes one tag
per identifier under the matching key (each computation an audit row, never
the identifier), seals an entry for it, and tries the entry against every
stored entry with the same lookup value: two that open each other are a
``Match`` between two reports, recorded with an audit row for each
organisation and counted in the public log; each report's caseworkers are
alerted (``StaffAlert.MATCH_FOUND``) once the transaction commits. All in one transaction, whose
lock on the hour's ``TagBudget`` row also bounds how many tags the server
computes per hour.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safereport.accounts.actions import record_event
from safereport.accounts.models import StaffUser
from safereport.accounts.notify import StaffAlert, alert_each, this_hour
from safereport.cases.actions import case_workers_of
from safereport.cases.models import Report
from safereport.core.events import EventKind
from safereport.core.ledger import Entry, iso_week
from safereport.core.matching import Identifier, NoMatch, SealedEntry, open_pair, seal_entry
from safereport.matching.keys import matching_key
from safereport.matching.models import (
    IdentifierAllowance,
    Match,
    MatchEntry,
    MatchSide,
    TagBudget,
)
from safereport.transparency.actions import append_entry


class MatchingRefused(Exception):
    """The identifiers were not added; nothing was stored."""


class MatchingThrottled(MatchingRefused):
    """The server computed as many tags this hour as it may: try later."""


class TooManyIdentifiers(MatchingRefused):
    """This report has named as many identifiers as one report may."""


@dataclass(frozen=True)
class AddedIdentifiers:
    added: int  # new entries stored (an identifier this report named before adds none)
    matches: tuple[Match, ...]  # matches this call found


def _hour(now: dt.datetime) -> dt.datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def _spend(count: int, now: dt.datetime) -> None:
    """Take ``count`` tag computations from this hour's budget, or refuse them all."""
    hour = _hour(now)
    TagBudget.objects.get_or_create(hour=hour)
    budget = TagBudget.objects.select_for_update().get(hour=hour)
    if budget.used + count > settings.MATCHING_TAGS_PER_HOUR:
        raise MatchingThrottled("the hour's tag computations are spent")
    budget.used += count
    budget.save(update_fields=["used"])


def _payload(report: Report) -> bytes:
    return json.dumps({"r": report.public_id, "o": report.custodian.slug}).encode()


def _stored(row: MatchEntry) -> SealedEntry:
    return SealedEntry(
        index=bytes(row.lookup), x=bytes(row.x), y=bytes(row.y), sealed=bytes(row.sealed)
    )


def _record_match(report: Report, other: Report, today: dt.date) -> Match | None:
    first, second = sorted((report, other), key=lambda r: r.pk)
    match, created = Match.objects.get_or_create(
        first=first, second=second, defaults={"found_on": today}
    )
    if not created:
        return None  # these two reports already matched through another identifier
    MatchSide.objects.bulk_create([MatchSide(match=match, report=r) for r in (first, second)])
    hour = this_hour()
    for side in (first, second):
        record_event(EventKind.MATCH_FOUND, organisation=side.custodian, report=side.public_id)
        # Her own organisation's caseworkers, after commit: one fixed sentence, never
        # the other report, its organisation or the identifier (docs/matching.md). At
        # most one an hour per person: many reports naming one identifier make a match
        # with each earlier one, and "Waiting for you" lists them all.
        alert_each(case_workers_of(side), StaffAlert.MATCH_FOUND, once=f"match:{hour}")
    append_entry(Entry(kind=EventKind.MATCH_FOUND, week=iso_week(timezone.now())))
    return match


def _partners(report: Report, entry: SealedEntry, today: dt.date) -> list[Match]:
    """Open ``entry`` against each stored entry with its lookup value."""
    found = []
    for row in MatchEntry.objects.filter(lookup=entry.index):
        try:
            _mine, theirs = open_pair(entry, _stored(row))
        except NoMatch:
            continue
        public_id = json.loads(theirs)["r"]
        other = Report.objects.filter(public_id=public_id, shredded_at__isnull=True).first()
        if other is None:
            row.delete()  # its report is gone: the entry goes too, the first time it opens
            continue
        if other.pk != report.pk:
            match = _record_match(report, other, today)
            if match is not None:
                found.append(match)
    return found


def do_add_identifiers(
    report: Report, identifiers: Sequence[Identifier], *, acting_user: StaffUser | None
) -> AddedIdentifiers:
    """Add ``identifiers`` (normalised by ``core.matching``) to ``report``'s entries.

    ``acting_user`` is None when the reporter adds them herself. Raises
    ``TooManyIdentifiers`` or ``MatchingThrottled`` (nothing stored; the
    throttled refusal is recorded) before any tag is computed.
    """
    unique = list(dict.fromkeys(identifiers))
    try:
        with transaction.atomic(durable=True):
            return _add(report, unique, acting_user)
    except MatchingThrottled:
        with transaction.atomic(durable=True):
            record_event(EventKind.MATCHING_THROTTLED, actor=acting_user, count=len(unique))
        raise


def _add(
    report: Report, identifiers: list[Identifier], acting_user: StaffUser | None
) -> AddedIdentifiers:
    now = timezone.now()
    locked = Report.objects.select_for_update().select_related("custodian").get(pk=report.pk)
    if locked.shredded_at is not None:
        raise MatchingRefused("the report has been deleted")
    IdentifierAllowance.objects.get_or_create(report=locked)
    allowance = IdentifierAllowance.objects.select_for_update().get(report=locked)
    if allowance.named + len(identifiers) > settings.MATCHING_IDENTIFIERS_PER_REPORT:
        raise TooManyIdentifiers("a report may name at most a few identifiers")
    _spend(len(identifiers), now)
    key = matching_key()
    holder = locked.public_id.encode()
    added, matches = 0, []
    for identifier in identifiers:
        tag = key.tag(identifier)
        record_event(EventKind.MATCHING_TAG_COMPUTED, actor=acting_user)
        entry = seal_entry(tag, holder=holder, payload=_payload(locked))
        del tag
        if MatchEntry.objects.filter(lookup=entry.index, x=entry.x).exists():
            continue  # this report named it before
        matches += _partners(locked, entry, now.date())
        MatchEntry.objects.create(lookup=entry.index, x=entry.x, y=entry.y, sealed=entry.sealed)
        append_entry(Entry(kind=EventKind.MATCHING_ENTRY_ADDED, week=iso_week(now)))
        added += 1
    # Every identifier tried counts, new or named before: the count left, shown to
    # whoever holds her phrase, must not tell whether this report named one already.
    allowance.named += len(identifiers)
    allowance.save(update_fields=["named"])
    return AddedIdentifiers(added=added, matches=tuple(matches))
