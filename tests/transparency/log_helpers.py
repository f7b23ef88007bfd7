"""Helpers for the transparency tests: real entries through the real append API."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from safereport.core.events import EventKind
from safereport.core.ledger import Decision, Entry, iso_week
from safereport.core.vocabulary import OrgKind, Purpose, Section
from safereport.transparency.actions import append_entry, do_sign_tree_head

KINDS = [
    EventKind.DISCLOSURE_ALLOWED,
    EventKind.DISCLOSURE_REFUSED,
    EventKind.CONSENT_GIVEN,
    EventKind.REFERRAL_SENT,
]


def sample_entry(i: int, *, day: dt.date | None = None, commitment=None) -> Entry:  # type: ignore[no-untyped-def]
    kind = KINDS[i % len(KINDS)]
    disclosure = kind in (EventKind.DISCLOSURE_ALLOWED, EventKind.DISCLOSURE_REFUSED)
    return Entry(
        kind=kind,
        week=iso_week(day or dt.date(2026, 11, 18)),
        org="test-support-centre",
        recipient_kind=OrgKind.POLICE_FORCE if disclosure else None,
        purpose=Purpose.CRIME_INVESTIGATION if disclosure else None,
        sections=(Section.INCIDENT,) if disclosure else None,
        decision=(
            (Decision.ALLOW if kind == EventKind.DISCLOSURE_ALLOWED else Decision.DENY)
            if disclosure
            else None
        ),
        commitment=commitment,
    )


def append_samples(count: int, *, sign: bool = True, **kwargs) -> list[int]:  # type: ignore[no-untyped-def]
    """Append ``count`` sample entries, then (unless ``sign=False``) sign one head over them,
    as the job queue's next ``do_sign_tree_head`` would."""
    indexes = [append_entry(sample_entry(i, **kwargs)) for i in range(count)]
    if sign:
        do_sign_tree_head()
    return indexes


def tamper_entry(index: int, data: bytes) -> None:
    """Change a stored entry behind the application's back, as someone with the database might.

    On PostgreSQL the append-only trigger refuses; a superuser can switch it
    off first, which is what this does.
    """
    trigger = "transparency_logentry_append_only"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE transparency_logentry DISABLE TRIGGER {trigger}")
        cursor.execute(
            'UPDATE transparency_logentry SET data = %s WHERE "index" = %s', [data, index]
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE transparency_logentry ENABLE TRIGGER {trigger}")
