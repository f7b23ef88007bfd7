"""For the reporter's return page: show that each entry of their report is in the log.

The intake app calls, with the report open through the receipt::

    from safereport.transparency.reporter import check_report_entries

    checked = check_report_entries(unlocked.ledger_commitment_key(), indexes)
    # in the template:
    {% include "transparency/_your_entries.html" with checked=checked %}

``indexes`` are the values ``append_entry`` returned for this report's
entries (store them with the disclosure, consent, ...); if they were not
kept, ``find_report_entries(key)`` finds them by scanning the log's
commitments (O(n) HMACs). For each index the check verifies, on the server,
the latest signed tree head's signature, that the entry carries a commitment
under the report's key (so it is this report's), and its inclusion proof
against that head's root. An entry appended after the latest head is
``WAITING``: the next head (``do_sign_tree_head``, every few seconds) covers
it, and the page then shows its proof.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from safereport.core.ledger import (
    Entry,
    EntryError,
    LedgerError,
    SignedTreeHead,
    decode_entry,
    leaf_hash,
    matches_commitment,
    verify_tree_head,
)
from safereport.transparency import selectors
from safereport.transparency.actions import verify_key
from safereport.transparency.models import LogEntry


class EntryCheck(StrEnum):
    INCLUDED = "included"  # this report's entry, proven in the signed tree
    NOT_THIS_REPORT = "not_this_report"  # the entry's commitment is not under this key
    WAITING = "waiting"  # appended, not yet covered by a signed head (the merge delay)
    NOT_IN_LOG = "not_in_log"  # no such entry
    PROOF_FAILED = "proof_failed"  # the proof or the head does not verify: tell someone


@dataclass(frozen=True)
class CheckedEntry:
    index: int
    status: EntryCheck
    entry: Entry | None
    tree_size: int
    root_hash_hex: str
    proof_length: int

    @property
    def included(self) -> bool:
        return self.status is EntryCheck.INCLUDED


@dataclass(frozen=True)
class ReportEntries:
    tree_head: SignedTreeHead | None
    head_verified: bool
    entries: list[CheckedEntry]

    @property
    def tree_time(self) -> dt.datetime | None:
        if self.tree_head is None:
            return None
        return dt.datetime.fromtimestamp(self.tree_head.timestamp_ms / 1000, tz=dt.UTC)

    @property
    def all_included(self) -> bool:
        return self.head_verified and all(e.included for e in self.entries)

    @property
    def waiting(self) -> bool:
        """Some entries wait for the next signed head, and none failed its check."""
        statuses = {e.status for e in self.entries}
        return EntryCheck.WAITING in statuses and statuses <= {
            EntryCheck.WAITING,
            EntryCheck.INCLUDED,
        }


def find_report_entries(key: bytes) -> list[int]:
    """Indexes of every entry committed under ``key``, oldest first (scans the log)."""
    found = []
    rows = LogEntry.objects.order_by("index").values_list("index", "data")
    for index, data in rows.iterator(chunk_size=2000):
        raw = bytes(data)
        if b'"commitment"' not in raw:
            continue
        try:
            if matches_commitment(key, decode_entry(raw)):
                found.append(index)
        except EntryError:
            continue
    return found


def check_report_entries(key: bytes, indexes: Iterable[int]) -> ReportEntries:
    """Check each entry of a report against the latest signed tree head."""
    head = selectors.latest_tree_head()
    head_ok = False
    if head is not None:
        try:
            verify_tree_head(head, verify_key())
            head_ok = True
        except LedgerError:
            head_ok = False
    checked = [_check_one(key, index, head, head_ok) for index in sorted(set(indexes))]
    return ReportEntries(tree_head=head, head_verified=head_ok, entries=checked)


def _check_one(key: bytes, index: int, head: SignedTreeHead | None, head_ok: bool) -> CheckedEntry:
    size = head.tree_size if head is not None else 0
    root = head.root_hash.hex() if head is not None else ""

    def result(status: EntryCheck, entry: Entry | None = None, length: int = 0) -> CheckedEntry:
        return CheckedEntry(index, status, entry, size, root, length)

    data = selectors.entry_data(index) if index >= 0 else None
    if data is None:
        return result(EntryCheck.NOT_IN_LOG)
    if head is None or index >= size:
        return result(EntryCheck.WAITING)
    try:
        entry = decode_entry(data)
    except EntryError:
        return result(EntryCheck.PROOF_FAILED)
    if not matches_commitment(key, entry):
        return result(EntryCheck.NOT_THIS_REPORT)
    if not head_ok:
        return result(EntryCheck.PROOF_FAILED, entry)
    try:
        proof = selectors.inclusion_proof_for(index, size)
        proof.verify(leaf_hash(data), head.root_hash)
    except LedgerError:
        return result(EntryCheck.PROOF_FAILED, entry)
    return result(EntryCheck.INCLUDED, entry, len(proof.path))
