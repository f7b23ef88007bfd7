"""Reads of the transparency log. Everything here is public: no actor needed.

Each function reads only what it returns: a proof reads O(log n) nodes in
one query (``core.ledger.nodes_for_*`` plan them), a page of entries reads
that page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from safereport.core.events import EventKind
from safereport.core.ledger import (
    ConsistencyProof,
    EntryError,
    InclusionProof,
    SignedTreeHead,
    consistency_proof,
    decode_entry,
    inclusion_proof,
)
from safereport.core.ledger import TreeHead as CoreTreeHead
from safereport.transparency.actions import DatabaseNodes
from safereport.transparency.models import LogEntry, LogState, StatisticCell, TreeHead

MAX_ENTRIES_PER_PAGE = 1000
MAX_TREE_HEADS_PER_PAGE = 1000


def log_size() -> int:
    """How many entries the log publishes: the size of its newest signed tree head.

    Entries appended after it wait for the next head (``do_sign_tree_head``);
    until then nothing serves them, so every published entry has a proof.
    """
    size = TreeHead.objects.order_by("-tree_size").values_list("tree_size", flat=True).first()
    return size or 0


def appended_size() -> int:
    """How many entries have been appended, signed or not yet."""
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
    """Signed tree heads in order of size, from position ``start`` (0 = smallest).

    The public endpoint's paging by position; exports use :func:`tree_heads_after`.
    """
    limit = max(0, min(limit, MAX_TREE_HEADS_PER_PAGE))
    rows = TreeHead.objects.order_by("tree_size")[start : start + limit]
    return [_signed(row) for row in rows]


def tree_heads_after(size: int, limit: int = MAX_TREE_HEADS_PER_PAGE) -> list[SignedTreeHead]:
    """Signed tree heads larger than ``size``, smallest first (a keyset page)."""
    rows = TreeHead.objects.filter(tree_size__gt=size).order_by("tree_size")[:limit]
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


def stored_entries(after: int, end: int, limit: int = 10_000) -> list[StoredEntry]:
    """Entries with their stored leaf hashes, index above ``after`` and below ``end``.

    A keyset page (``WHERE index > after ORDER BY index LIMIT n``): each page
    costs the same however far into the log it is, so reading all is linear.
    Plain SQL: a million rows through the ORM's model machinery cost more
    than the query.
    """
    quote = connection.ops.quote_name
    index = quote("index")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {index}, data, leaf_hash FROM {quote(LogEntry._meta.db_table)} "  # noqa: S608 - only placeholders and quoted names
            f"WHERE {index} > %s AND {index} < %s ORDER BY {index} LIMIT %s",
            [after, end, limit],
        )
        return [StoredEntry(i, bytes(d), bytes(h)) for i, d, h in cursor.fetchall()]


@dataclass(frozen=True)
class PageState:
    """What the transparency page shows that can change, read in one query.

    The newest signed head (its size and root name its entries, so the
    count of refused immigration requests too), the newest policy record's
    bytes, and a stamp of the released statistics. Cells are only ever
    added (a release inserts a month's cells at once and nothing updates or
    deletes them), so the newest cell's id and release time change whenever
    a release stores cells, whichever process released: each process sees
    the new stamp on its next request, and a release needs no message to
    reach the servers (docs/transparency.md §12).
    """

    head_size: int | None
    head_root: bytes | None
    policy_record: bytes | None  # the newest firewall_policy_recorded entry's bytes
    statistics: str


def page_state() -> PageState:
    """The ``PageState`` now: one round trip of four index lookups, however big the log."""
    quote = connection.ops.quote_name
    heads = f"FROM {quote(TreeHead._meta.db_table)} ORDER BY {quote('tree_size')} DESC LIMIT 1"
    index = quote("index")
    records = (
        f"FROM {quote(LogEntry._meta.db_table)} WHERE {quote('kind')} = %s "
        f"ORDER BY {index} DESC LIMIT 1"
    )
    cells = f"FROM {quote(StatisticCell._meta.db_table)} ORDER BY {quote('id')} DESC LIMIT 1"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT {quote('tree_size')} {heads}), (SELECT root_hash {heads}), "
            f"(SELECT data {records}), (SELECT {quote('id')} {cells}), "
            f"(SELECT released_at {cells})",
            [EventKind.FIREWALL_POLICY_RECORDED.value],
        )
        size, root, record, cell, released = cursor.fetchone()
    return PageState(
        head_size=size,
        head_root=None if root is None else bytes(root),
        policy_record=None if record is None else bytes(record),
        statistics="-" if cell is None else f"{cell}.{released}",
    )


def iter_stored_entries(end: int, *, after: int = -1, limit: int = 10_000) -> Iterator[StoredEntry]:
    """Every entry above ``after`` and below ``end`` in order, read in keyset pages."""
    last = after
    while page := stored_entries(last, end, limit):
        yield from page
        last = page[-1].index


def entry_data(index: int) -> bytes | None:
    data = LogEntry.objects.filter(index=index).values_list("data", flat=True).first()
    return None if data is None else bytes(data)


def inclusion_proof_for(index: int, size: int) -> InclusionProof:
    """Raises ``core.ledger.TreeRangeError`` for an index or size out of range."""
    return inclusion_proof(DatabaseNodes(), index, size)


def consistency_proof_for(first: int, second: int) -> ConsistencyProof:
    """Raises ``core.ledger.TreeRangeError`` for sizes out of order."""
    return consistency_proof(DatabaseNodes(), first, second)


# kind -> (size of the signed head counted up to, its root, count)
_counted: dict[str, tuple[int, bytes, int]] = {}
_counting = threading.Lock()


def count_of_kind(kind: str, head: SignedTreeHead | None = None) -> int:
    """Entries of ``kind`` among those the newest signed head covers, read from their bytes.

    An entry counts when its own (signed) bytes say ``kind``: no column is
    trusted, so a database edit either changes the bytes (and ``ledger
    verify`` names the entry) or changes nothing shown. Published entries
    never change, so each process counts the log once and then only the
    entries signed since (keyset pages); while the newest head is the one
    already counted up to, nothing more is read. ``head`` is the newest
    signed head when the caller has just read it (read here otherwise).
    """
    wanted = f'"kind":"{kind}"'.encode("ascii")
    with _counting:
        counted, root, count = _counted.get(kind, (0, b"", 0))
        head = head or latest_tree_head()
        if head is None:
            return 0
        if counted == head.tree_size and root == head.root_hash:
            return count  # the same signed head: the same entries
        known = tree_head_of_size(counted) if counted else None
        if known is None or known.root_hash != root:  # not this log's history: count again
            counted, count = 0, 0
        size = head.tree_size
        for row in iter_stored_entries(size, after=counted - 1):
            if wanted in row.data and _kind_of(row.data) == kind:
                count += 1
        _counted[kind] = (size, head.root_hash, count)
        return count


def _kind_of(data: bytes) -> str | None:
    try:
        return str(decode_entry(data).kind)
    except EntryError:
        return None  # a changed entry counts for nothing; verify names it
