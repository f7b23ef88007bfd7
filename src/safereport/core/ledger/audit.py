"""Recompute a whole log from its entries and check every tree head against it.

This is the pure heart of ``safereport ledger verify``: the command fetches
the entries, the published tree heads and the public key (from a server or
an export), and :func:`audit_log` says whether they agree, and if not, where
they first disagree: which entry, which tree head.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import zip_longest

from nacl.signing import VerifyKey

from safereport.core.ledger.entries import check_entry
from safereport.core.ledger.errors import (
    EntryError,
    TreeHeadKeyMismatch,
    TreeHeadSignatureInvalid,
)
from safereport.core.ledger.merkle import EMPTY_ROOT, MerkleTree, leaf_hash
from safereport.core.ledger.treehead import SignedTreeHead, verify_tree_head

PROGRESS_EVERY = 4096
MAX_PROBLEMS = 100


class ProblemKind(StrEnum):
    """What went wrong, in the order :func:`audit_log` checks."""

    ENTRY_MALFORMED = "entry_malformed"  # not a canonical, allow-listed entry
    ENTRY_HASH_MISMATCH = "entry_hash_mismatch"  # entry bytes do not hash to the stored leaf hash
    NO_TREE_HEAD = "no_tree_head"  # nothing signed: nothing can be trusted
    TREE_HEAD_WRONG_KEY = "tree_head_wrong_key"
    TREE_HEAD_BAD_SIGNATURE = "tree_head_bad_signature"
    TREE_HEAD_BEYOND_LOG = "tree_head_beyond_log"  # signs more entries than were served
    TREE_HEAD_ROOT_MISMATCH = "tree_head_root_mismatch"  # entries do not give the signed root
    TREE_HEADS_OUT_OF_ORDER = "tree_heads_out_of_order"  # a larger tree has an earlier time
    EARLIER_HEAD_WRONG_KEY = "earlier_head_wrong_key"
    EARLIER_HEAD_BAD_SIGNATURE = "earlier_head_bad_signature"
    EARLIER_HEAD_BEYOND_LOG = "earlier_head_beyond_log"  # the log shrank since it was saved
    EARLIER_HEAD_INCONSISTENT = "earlier_head_inconsistent"  # history was rewritten


@dataclass(frozen=True, slots=True)
class Problem:
    """One mismatch, located as precisely as the evidence allows.

    ``entry_index`` names the entry when it is known exactly;
    ``entry_range`` (start inclusive, end exclusive) bounds it otherwise.
    ``tree_head_index`` is the position in the list of tree heads given.
    """

    kind: ProblemKind
    message: str
    entry_index: int | None = None
    entry_range: tuple[int, int] | None = None
    tree_head_index: int | None = None


@dataclass(frozen=True, slots=True)
class AuditReport:
    entries_checked: int
    tree_heads_checked: int
    root_hash: bytes  # MTH of every entry served
    latest_tree_head: SignedTreeHead | None  # the largest verified head
    unsigned_entries: int  # entries after the largest verified head
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def audit_log(
    entries: Iterable[bytes],
    tree_heads: Sequence[SignedTreeHead],
    verify_key: VerifyKey,
    *,
    since: SignedTreeHead | None = None,
    leaf_hashes: Iterable[bytes] | None = None,
    check_entries: bool = True,
    progress: Callable[[int], None] | None = None,
) -> AuditReport:
    """Check a complete log: every entry, every tree head, and an earlier head.

    ``entries`` are the canonical entry bytes in log order (index 0 first),
    read once and not kept (only their leaf hashes are: 32 bytes each), so a
    streamed export of any size fits in memory.
    ``tree_heads`` are the signed heads the log published, in any order.
    ``since`` is a head saved earlier by the auditor: it must still be
    signed, not beyond the log, and its root must be the root of the first
    ``since.tree_size`` entries now (that is consistency, checked from the
    entries themselves rather than from a proof the server supplies).
    ``leaf_hashes``, if the export carries them (in step with ``entries``),
    let a changed entry be named exactly even between two tree heads.
    ``progress(n)`` is called as entries are hashed (every 4096 and at the end).

    Problems are listed in check order: entries (by index), then tree heads
    (by size), then ``since``; at most 100 are kept.
    """
    problems: list[Problem] = []

    def report(problem: Problem) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(problem)

    tree = MerkleTree()
    stored: Iterable[bytes | None] = leaf_hashes if leaf_hashes is not None else ()
    count = stored_count = 0
    for index, (data, expected) in enumerate(zip_longest(entries, stored)):
        if expected is not None:
            stored_count += 1
        if data is None:  # more stored hashes than entries
            continue
        count += 1
        if check_entries:
            try:
                check_entry(data)
            except EntryError as error:
                report(
                    Problem(
                        ProblemKind.ENTRY_MALFORMED,
                        f"entry {index}: {error}",
                        entry_index=index,
                    )
                )
        computed = leaf_hash(data) if isinstance(data, bytes) else b""
        if expected is not None and not hmac.compare_digest(computed, expected):
            report(
                Problem(
                    ProblemKind.ENTRY_HASH_MISMATCH,
                    f"entry {index} does not hash to its stored leaf hash: it was changed",
                    entry_index=index,
                )
            )
        tree.append_leaf_hash(computed if len(computed) == 32 else bytes(32))
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if progress is not None:
        progress(count)
    if leaf_hashes is not None and stored_count != count:
        report(
            Problem(
                ProblemKind.ENTRY_HASH_MISMATCH,
                f"{stored_count} leaf hashes were given for {count} entries",
            )
        )

    if not tree_heads:
        report(Problem(ProblemKind.NO_TREE_HEAD, "the log published no signed tree head"))

    # Tree heads, smallest first; remember the original positions for reporting.
    order = sorted(range(len(tree_heads)), key=lambda i: tree_heads[i].tree_size)
    last_good_size = 0  # every entry below this is covered by a verified head
    latest: SignedTreeHead | None = None
    previous_time: tuple[int, int] | None = None  # (timestamp, position) of the last head
    for position in order:
        sth = tree_heads[position]
        size = sth.tree_size
        try:
            verify_tree_head(sth, verify_key)
        except TreeHeadKeyMismatch as error:
            report(Problem(ProblemKind.TREE_HEAD_WRONG_KEY, str(error), tree_head_index=position))
            continue
        except TreeHeadSignatureInvalid as error:
            report(
                Problem(ProblemKind.TREE_HEAD_BAD_SIGNATURE, str(error), tree_head_index=position)
            )
            continue
        if previous_time is not None and sth.timestamp_ms < previous_time[0]:
            report(
                Problem(
                    ProblemKind.TREE_HEADS_OUT_OF_ORDER,
                    f"tree head {position} (size {size}) is dated before tree head "
                    f"{previous_time[1]}, which signs fewer entries",
                    tree_head_index=position,
                )
            )
        previous_time = (sth.timestamp_ms, position)
        if size > count:
            report(
                Problem(
                    ProblemKind.TREE_HEAD_BEYOND_LOG,
                    f"tree head {position} signs {size} entries but only {count} were served",
                    entry_range=(count, size),
                    tree_head_index=position,
                )
            )
            continue
        if hmac.compare_digest(tree.root(size), sth.root_hash):
            last_good_size = max(last_good_size, size)
            if latest is None or size >= latest.tree_size:
                latest = sth
            continue
        report(_root_mismatch(position, size, last_good_size))

    if since is not None:
        _check_since(since, verify_key, tree, count, report)

    return AuditReport(
        entries_checked=count,
        tree_heads_checked=len(tree_heads),
        root_hash=tree.root() if count else EMPTY_ROOT,
        latest_tree_head=latest,
        unsigned_entries=count - (latest.tree_size if latest is not None else 0),
        problems=tuple(problems),
    )


def _root_mismatch(position: int, size: int, last_good_size: int) -> Problem:
    if size - last_good_size == 1:
        where = f"entry {last_good_size} was changed (or this head is forged)"
        return Problem(
            ProblemKind.TREE_HEAD_ROOT_MISMATCH,
            f"tree head {position} (size {size}): root does not match the entries; {where}",
            entry_index=last_good_size,
            entry_range=(last_good_size, size),
            tree_head_index=position,
        )
    span: tuple[int, int] | None = None
    if size == 0:
        where = "a tree of size 0 has the empty root, so this head is forged"
    elif size <= last_good_size:
        where = "another verified head of this size agrees with the entries: two views of the log"
    else:
        where = f"one of entries {last_good_size}..{size - 1} was changed (or this head is forged)"
        span = (last_good_size, size)
    return Problem(
        ProblemKind.TREE_HEAD_ROOT_MISMATCH,
        f"tree head {position} (size {size}): root does not match the entries; {where}",
        entry_range=span,
        tree_head_index=position,
    )


def _check_since(
    since: SignedTreeHead,
    verify_key: VerifyKey,
    tree: MerkleTree,
    count: int,
    report: Callable[[Problem], None],
) -> None:
    try:
        verify_tree_head(since, verify_key)
    except TreeHeadKeyMismatch as error:
        report(Problem(ProblemKind.EARLIER_HEAD_WRONG_KEY, f"earlier tree head: {error}"))
        return
    except TreeHeadSignatureInvalid as error:
        report(Problem(ProblemKind.EARLIER_HEAD_BAD_SIGNATURE, f"earlier tree head: {error}"))
        return
    if since.tree_size > count:
        report(
            Problem(
                ProblemKind.EARLIER_HEAD_BEYOND_LOG,
                f"the earlier tree head signs {since.tree_size} entries, the log now has "
                f"only {count}: entries were removed",
                entry_range=(count, since.tree_size),
            )
        )
        return
    if not hmac.compare_digest(tree.root(since.tree_size), since.root_hash):
        report(
            Problem(
                ProblemKind.EARLIER_HEAD_INCONSISTENT,
                f"the first {since.tree_size} entries no longer give the root of the earlier "
                "tree head: the log's history was rewritten",
                entry_range=(0, since.tree_size),
            )
        )
