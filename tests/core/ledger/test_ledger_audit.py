"""audit_log: a whole log checked from its entries, and mismatches located."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey

from safereport.core.events import EventKind
from safereport.core.ledger import (
    EMPTY_ROOT,
    Decision,
    Entry,
    MerkleTree,
    ProblemKind,
    SignedTreeHead,
    audit_log,
    encode_entry,
    leaf_hash,
    sign_tree_head,
)
from safereport.core.vocabulary import OrgKind, Purpose

LOG_KEY = SigningKey(b"\x07" * 32)
OTHER_KEY = SigningKey(b"\x08" * 32)
START = 1_763_712_000_000


def _entries(n: int) -> list[bytes]:
    return [
        encode_entry(
            Entry(
                kind=EventKind.REFERRAL_SENT,
                week="2026-W47",
                org="kalayaan",
                recipient_kind=OrgKind.LEGAL_ADVISER,
                purpose=Purpose.LEGAL_ADVICE,
                decision=Decision.ALLOW if i % 3 else Decision.DENY,
                count=i,
            )
        )
        for i in range(n)
    ]


def _heads(entries: list[bytes], sizes: list[int]) -> list[SignedTreeHead]:
    tree = MerkleTree.from_entries(entries)
    return [
        sign_tree_head(LOG_KEY, tree_size=s, timestamp_ms=START + s, root_hash=tree.root(s))
        for s in sizes
    ]


def _changed(entries: list[bytes], index: int) -> list[bytes]:
    """Edit one entry in place, the way someone with database access might."""
    tampered = list(entries)
    tampered[index] = tampered[index].replace(b'"decision":"deny"', b'"decision":"allow"')
    assert tampered[index] != entries[index]
    return tampered


def test_an_honest_log_passes() -> None:
    entries = _entries(20)
    heads = _heads(entries, [0, 5, 12, 18])
    seen: list[int] = []
    report = audit_log(
        entries, heads[::-1], LOG_KEY.verify_key, since=heads[1], progress=seen.append
    )
    assert report.ok, report.problems
    assert report.first_problem is None
    assert report.entries_checked == 20
    assert report.latest_tree_head == heads[-1]
    assert report.unsigned_entries == 2
    assert report.root_hash == MerkleTree.from_entries(entries).root()
    assert seen[-1] == 20


def test_a_changed_entry_is_named_when_heads_are_issued_per_entry() -> None:
    entries = _entries(12)
    heads = _heads(entries, list(range(13)))
    report = audit_log(_changed(entries, 6), heads, LOG_KEY.verify_key)
    first = report.first_problem
    assert first is not None
    assert first.kind is ProblemKind.TREE_HEAD_ROOT_MISMATCH
    assert first.entry_index == 6
    assert first.tree_head_index == 7
    assert "entry 6" in first.message
    # Every later head fails too; none before it.
    assert [p.tree_head_index for p in report.problems] == list(range(7, 13))


def test_a_changed_entry_is_bracketed_between_sparse_heads() -> None:
    entries = _entries(40)
    heads = _heads(entries, [10, 20, 30, 40])
    report = audit_log(_changed(entries, 24), heads, LOG_KEY.verify_key)
    first = report.first_problem
    assert first is not None
    assert first.kind is ProblemKind.TREE_HEAD_ROOT_MISMATCH
    assert first.entry_range == (20, 30)
    assert first.entry_index is None
    assert report.latest_tree_head == heads[1]


def test_stored_leaf_hashes_name_the_changed_entry_exactly() -> None:
    entries = _entries(40)
    hashes = [leaf_hash(e) for e in entries]
    heads = _heads(entries, [40])
    report = audit_log(_changed(entries, 24), heads, LOG_KEY.verify_key, leaf_hashes=hashes)
    first = report.first_problem
    assert first is not None
    assert first.kind is ProblemKind.ENTRY_HASH_MISMATCH
    assert first.entry_index == 24


def test_a_malformed_entry_is_named() -> None:
    entries = _entries(8)
    heads = _heads(entries, [8])
    bad = list(entries)
    bad[3] = bad[3].replace(b'"org":"kalayaan"', b'"name":"Maria"')
    report = audit_log(bad, heads, LOG_KEY.verify_key)
    assert report.problems[0].kind is ProblemKind.ENTRY_MALFORMED
    assert report.problems[0].entry_index == 3
    assert report.problems[1].kind is ProblemKind.TREE_HEAD_ROOT_MISMATCH


def test_bad_signatures_and_keys_are_reported_by_position() -> None:
    entries = _entries(10)
    heads = _heads(entries, [4, 10])
    forged = SignedTreeHead(heads[0].head, bytes(64), heads[0].key_id)
    other = sign_tree_head(
        OTHER_KEY, tree_size=10, timestamp_ms=START, root_hash=heads[1].root_hash
    )
    report = audit_log(entries, [forged, heads[1], other], LOG_KEY.verify_key)
    kinds = {(p.kind, p.tree_head_index) for p in report.problems}
    assert kinds == {
        (ProblemKind.TREE_HEAD_BAD_SIGNATURE, 0),
        (ProblemKind.TREE_HEAD_WRONG_KEY, 2),
    }


def test_a_head_beyond_the_served_entries_is_reported() -> None:
    entries = _entries(10)
    heads = _heads(entries, [10])
    report = audit_log(entries[:7], heads, LOG_KEY.verify_key)
    assert report.first_problem is not None
    assert report.first_problem.kind is ProblemKind.TREE_HEAD_BEYOND_LOG
    assert report.first_problem.entry_range == (7, 10)


def test_heads_dated_out_of_order_are_reported() -> None:
    entries = _entries(6)
    tree = MerkleTree.from_entries(entries)
    early = sign_tree_head(LOG_KEY, tree_size=3, timestamp_ms=START + 50, root_hash=tree.root(3))
    late = sign_tree_head(LOG_KEY, tree_size=6, timestamp_ms=START, root_hash=tree.root(6))
    report = audit_log(entries, [late, early], LOG_KEY.verify_key)
    assert [p.kind for p in report.problems] == [ProblemKind.TREE_HEADS_OUT_OF_ORDER]
    assert report.problems[0].tree_head_index == 0


def test_no_tree_head_means_nothing_is_verified() -> None:
    report = audit_log(_entries(3), [], LOG_KEY.verify_key)
    assert [p.kind for p in report.problems] == [ProblemKind.NO_TREE_HEAD]
    assert report.unsigned_entries == 3


def test_an_empty_log_with_a_head_passes() -> None:
    head = sign_tree_head(LOG_KEY, tree_size=0, timestamp_ms=START, root_hash=EMPTY_ROOT)
    report = audit_log([], [head], LOG_KEY.verify_key, since=head)
    assert report.ok
    assert report.root_hash == EMPTY_ROOT


@pytest.mark.parametrize(
    ("since_size", "served", "kind"),
    [
        (8, 10, ProblemKind.EARLIER_HEAD_INCONSISTENT),
        (10, 6, ProblemKind.EARLIER_HEAD_BEYOND_LOG),
    ],
)
def test_an_earlier_head_catches_rewritten_or_shrunk_history(
    since_size: int, served: int, kind: ProblemKind
) -> None:
    original = _entries(10)
    saved = _heads(original, [since_size])[0]
    # The log was rebuilt: entry 3 changed, and new heads signed over the new history.
    rewritten = _changed(original, 3)[:served]
    heads = _heads(rewritten, [served])
    report = audit_log(rewritten, heads, LOG_KEY.verify_key, since=saved)
    assert [p.kind for p in report.problems] == [kind]


def test_an_earlier_head_with_a_bad_signature_is_reported() -> None:
    entries = _entries(5)
    saved = _heads(entries, [3])[0]
    forged = SignedTreeHead(saved.head, bytes(64), saved.key_id)
    report = audit_log(entries, _heads(entries, [5]), LOG_KEY.verify_key, since=forged)
    assert [p.kind for p in report.problems] == [ProblemKind.EARLIER_HEAD_BAD_SIGNATURE]


def test_two_signed_views_of_the_same_size_are_caught() -> None:
    entries = _entries(6)
    honest = _heads(entries, [6])[0]
    other_view = _heads(_changed(entries, 3), [6])[0]
    empty_forged = sign_tree_head(LOG_KEY, tree_size=0, timestamp_ms=START, root_hash=bytes(32))
    report = audit_log(entries, [honest, other_view, empty_forged], LOG_KEY.verify_key)
    assert [(p.kind, p.tree_head_index) for p in report.problems] == [
        (ProblemKind.TREE_HEAD_ROOT_MISMATCH, 2),
        (ProblemKind.TREE_HEAD_ROOT_MISMATCH, 1),
    ]
    assert "size 0" in report.problems[0].message
    assert "two views" in report.problems[1].message


_LOG = _entries(30)
_EVERY_SIZE = _heads(_LOG, list(range(31)))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 29), st.integers(0, 7))
def test_any_changed_entry_is_named_exactly(index: int, bit: int) -> None:
    tampered = list(_LOG)
    changed = bytearray(tampered[index])
    changed[len(changed) // 2] ^= 1 << bit
    tampered[index] = bytes(changed)
    report = audit_log(tampered, _EVERY_SIZE, LOG_KEY.verify_key)
    located = [p for p in report.problems if p.kind is ProblemKind.TREE_HEAD_ROOT_MISMATCH]
    assert located[0].entry_index == index
    assert located[0].tree_head_index == index + 1
