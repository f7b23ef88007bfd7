"""Reads of the transparency log. Everything here is public: no actor needed.

Each function reads only what it returns: a proof reads O(log n) nodes in
one query (``core.ledger.nodes_for_*`` plan them), a page of entries reads
that page.
"""

from __future__ import annotations

from dataclasses import dataclass

from safereport.core.ledger import (
    ConsistencyProof,
    InclusionProof,
    SignedTreeHead,
    consistency_proof,
    inclusion_proof,
)
from safereport.core.ledger import TreeHead as CoreTreeHead
from safereport.transparency.actions import DatabaseNodes
from safereport.transparency.models import LogEntry, LogState, TreeHead

MAX_ENTRIES_PER_PAGE = 1000
MAX_TREE_HEADS_PER_PAGE = 1000


def log_size() -> int:
    """How many entries the log holds (the size of its newest tree head)."""
    size = LogState.objects.filter(id=1).values_list("size", flat=True).first()
    return size or 0


def _signed(row: TreeHead) -> SignedTreeHead:
    return SignedTreeHead(
        head=CoreTreeHead(
            tree_size=row.tree_size, timestamp_ms=row.timestamp_ms, root_hash=bytes(row.root_hash)
        ),
        signature=bytes(row.signature),
        key_id=bytes(row.key_id),
    )


def latest_tree_head() -> SignedTreeHead | None:
    """The newest signed tree head, or ``None`` before the first entry."""
    row = TreeHead.objects.order_by("-tree_size").first()
    return None if row is None else _signed(row)


def tree_head_of_size(size: int) -> SignedTreeHead | None:
    row = TreeHead.objects.filter(tree_size=size).first()
    return None if row is None else _signed(row)


def tree_heads(start: int, limit: int = MAX_TREE_HEADS_PER_PAGE) -> list[SignedTreeHead]:
    """Signed tree heads in order of size, from position ``start`` (0 = smallest)."""
    limit = max(0, min(limit, MAX_TREE_HEADS_PER_PAGE))
    rows = TreeHead.objects.order_by("tree_size")[start : start + limit]
    return [_signed(row) for row in rows]


def tree_head_count() -> int:
    return TreeHead.objects.count()


def entries(start: int, end: int) -> list[bytes]:
    """Canonical bytes of entries ``start`` (inclusive) to ``end`` (exclusive), capped."""
    end = min(end, start + MAX_ENTRIES_PER_PAGE)
    rows = (
        LogEntry.objects.filter(index__gte=start, index__lt=end)
        .order_by("index")
        .values_list("index", "data")
    )
    found: list[bytes] = []
    for expected, (index, data) in enumerate(rows, start=start):
        if index != expected:  # a gap: a deleted row; serve what is contiguous
            break
        found.append(_as_utf8(bytes(data)))
    return found


def _as_utf8(data: bytes) -> bytes:
    """Canonical entries are ASCII; a row changed into invalid UTF-8 is still served
    (with replacement characters) so that the verifier names it instead of failing
    to fetch the page."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace").encode("utf-8")
    return data


@dataclass(frozen=True)
class StoredEntry:
    index: int
    data: bytes
    leaf_hash: bytes


def stored_entries(start: int, end: int) -> list[StoredEntry]:
    """Entries with their stored leaf hashes (for exports)."""
    rows = (
        LogEntry.objects.filter(index__gte=start, index__lt=end)
        .order_by("index")
        .values_list("index", "data", "leaf_hash")
    )
    return [StoredEntry(i, bytes(d), bytes(h)) for i, d, h in rows]


def entry_data(index: int) -> bytes | None:
    data = LogEntry.objects.filter(index=index).values_list("data", flat=True).first()
    return None if data is None else bytes(data)


def inclusion_proof_for(index: int, size: int) -> InclusionProof:
    """Raises ``core.ledger.TreeRangeError`` for an index or size out of range."""
    return inclusion_proof(DatabaseNodes(), index, size)


def consistency_proof_for(first: int, second: int) -> ConsistencyProof:
    """Raises ``core.ledger.TreeRangeError`` for sizes out of order."""
    return consistency_proof(DatabaseNodes(), first, second)


def count_of_kind(kind: str) -> int:
    return LogEntry.objects.filter(kind=kind).count()
