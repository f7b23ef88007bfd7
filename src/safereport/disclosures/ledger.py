"""The one place this app writes to the public transparency log.

It calls ``safereport.transparency.actions.append_entry`` (issue 5) inside
the caller's transaction, so the entry is committed with the decision it
records or not at all (DESIGN.md invariant 6). There is no switch: if the
log cannot be written, the action fails and nothing is recorded or shared.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

from django.utils import timezone

from safereport.accounts.models import Organisation
from safereport.core.crypto import UnlockedReport
from safereport.core.events import EventKind
from safereport.core.ledger import Commitment, Entry, iso_week, make_commitment
from safereport.core.ledger import Decision as LedgerDecision
from safereport.core.vocabulary import OrgKind, Purpose, Section
from safereport.transparency.actions import append_entry


def commitment_for(report: UnlockedReport | None) -> Commitment | None:
    """A fresh per-report commitment (the reporter can find the entry with the
    receipt), or None when the report could not be opened by the actor."""
    if report is None:
        return None
    return make_commitment(report.ledger_commitment_key(), os.urandom)


def append(
    kind: EventKind,
    *,
    custodian: Organisation,
    recipient_kind: OrgKind | None = None,
    purpose: Purpose | None = None,
    sections: Iterable[Section] = (),
    allowed: bool | None = None,
    policy_hash: str | None = None,
    rule_ids: Iterable[str] = (),
    commitment: Commitment | None = None,
) -> int:
    """Append one entry (no personal data: the Entry type is an allow-list)."""
    chosen = tuple(sorted(set(sections)))
    ids = tuple(sorted(set(rule_ids)))
    entry = Entry(
        kind=kind,
        week=iso_week(timezone.now().astimezone(dt.UTC)),
        org=custodian.slug,
        recipient_kind=recipient_kind,
        purpose=purpose,
        sections=chosen or None,
        decision=None
        if allowed is None
        else (LedgerDecision.ALLOW if allowed else LedgerDecision.DENY),
        policy_hash=bytes.fromhex(policy_hash) if policy_hash else None,
        rule_ids=ids or None,
        commitment=commitment,
    )
    return append_entry(entry)
