"""The log in the database: appends, nodes, signed tree heads, transactions, the trigger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from log_helpers import append_samples, sample_entry, tamper_entry

from safereport.core.ledger import (
    EntryInvalidValue,
    MerkleTree,
    frontier_node_ids,
    leaf_hash,
    verify_tree_head,
)
from safereport.transparency import selectors
from safereport.transparency.actions import (
    DatabaseNodes,
    append_entry,
    do_sign_tree_head,
    verify_key,
)
from safereport.transparency.models import LogEntry, MerkleNode, StatisticCell, TreeHead

pytestmark = pytest.mark.django_db


def all_entries() -> list[bytes]:
    return [bytes(d) for d in LogEntry.objects.order_by("index").values_list("data", flat=True)]


def test_appends_get_consecutive_indexes_and_wait_for_the_next_signed_head():
    before, signed_before = selectors.appended_size(), selectors.log_size()
    heads_before = TreeHead.objects.count()
    indexes = append_samples(13, sign=False)
    assert indexes == list(range(before, before + 13))
    assert selectors.appended_size() == before + 13
    # Appending signs nothing: the public size is the newest head's until the queue signs.
    assert TreeHead.objects.count() == heads_before
    assert selectors.log_size() == signed_before
    head = do_sign_tree_head()
    assert head is not None and head.tree_size == before + 13
    verify_tree_head(head, verify_key())  # raises if the signature is wrong
    assert head.root_hash == MerkleTree.from_entries(all_entries()).root()
    assert selectors.latest_tree_head() == head
    assert selectors.log_size() == before + 13
    # Idempotent: nothing new, nothing signed.
    assert do_sign_tree_head() is None
    assert TreeHead.objects.count() == heads_before + 1
    append_samples(2, sign=False)
    later = do_sign_tree_head()
    assert later is not None and later.tree_size == before + 15
    assert later.timestamp_ms >= head.timestamp_ms


def test_an_append_reads_only_the_state_row_whatever_the_size():
    append_samples(5, sign=False)
    with CaptureQueriesContext(connection) as small:
        append_entry(sample_entry(0))
    append_samples(70, sign=False)
    with CaptureQueriesContext(connection) as large:
        append_entry(sample_entry(0))
    assert len(large) == len(small)
    selects = [q["sql"] for q in large if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and "transparency_logstate" in selects[0]
    assert "transparency_merklenode" not in " ".join(selects)


def test_stored_bytes_and_leaf_hash_are_the_canonical_entry():
    index = append_entry(sample_entry(0))
    row = LogEntry.objects.get(index=index)
    assert bytes(row.data) == b"".join([bytes(row.data)])  # bytes, not memoryview
    assert bytes(row.leaf_hash) == leaf_hash(bytes(row.data))
    assert row.kind == "disclosure_allowed"
    assert row.recipient_kind == "police_force"
    assert row.month == "2026-11"


def test_proofs_read_from_the_database_equal_the_in_memory_tree():
    append_samples(21)
    size = selectors.log_size()
    assert size == selectors.appended_size()
    tree = MerkleTree.from_entries(all_entries())
    for index in range(size):
        assert selectors.inclusion_proof_for(index, size) == tree.inclusion_proof(index, size)
    for first in range(size + 1):
        assert selectors.consistency_proof_for(first, size) == tree.consistency_proof(first, size)
    # Only complete subtrees are stored: the frontier is read, never rebuilt.
    peaks = DatabaseNodes().read_nodes(frontier_node_ids(size))
    assert len(peaks) == bin(size).count("1")
    assert MerkleNode.objects.count() == sum(size >> level for level in range(size.bit_length()))


def test_an_entry_is_rolled_back_with_the_action_it_records():
    before = selectors.appended_size()

    class ActionFailed(Exception):
        pass

    with pytest.raises(ActionFailed), transaction.atomic():
        append_entry(sample_entry(1))
        raise ActionFailed
    assert selectors.appended_size() == before
    assert LogEntry.objects.count() == before
    assert append_entry(sample_entry(1)) == before  # the next append takes the same index


def test_an_entry_outside_the_allow_list_is_refused():
    with pytest.raises(EntryInvalidValue):
        append_entry(sample_entry(0).__class__(kind="disclosure_allowed", week="2026-W99"))


def test_postgresql_trigger_refuses_update_and_delete(on_postgresql):
    index = append_entry(sample_entry(0))
    do_sign_tree_head()
    statements = [
        ('UPDATE transparency_logentry SET data = %s WHERE "index" = %s', [b"{}", index]),
        ('DELETE FROM transparency_logentry WHERE "index" = %s', [index]),
        ('UPDATE transparency_merklenode SET hash = %s WHERE "index" = %s', [b"0" * 32, index]),
        ("DELETE FROM transparency_merklenode", []),
        ("UPDATE transparency_treehead SET tree_size = tree_size + 1000", []),
        ("DELETE FROM transparency_treehead", []),
    ]
    for sql, params in statements:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    assert bytes(LogEntry.objects.get(index=index).data) != b"{}"


def test_a_superuser_can_switch_the_trigger_off_and_the_change_is_then_visible(on_postgresql):
    index = append_entry(sample_entry(0))
    tamper_entry(index, b'{"kind":"consent_given","v":1,"week":"2026-W47"}')
    assert bytes(LogEntry.objects.get(index=index).data).startswith(b'{"kind":"consent_given"')
    # The trigger is back on afterwards.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(index=index).delete()


def test_postgresql_trigger_refuses_truncate(on_postgresql):
    index = append_entry(sample_entry(0))
    do_sign_tree_head()
    for table in ("transparency_logentry", "transparency_merklenode", "transparency_treehead"):
        with (
            pytest.raises(DatabaseError, match="append-only: TRUNCATE"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            # As the application's session would be: without the test suite's allowance.
            cursor.execute("SET LOCAL safereport.ledger_truncate = ''")
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert LogEntry.objects.filter(index=index).exists()
    assert TreeHead.objects.exists()


def test_the_log_actions_refuse_to_run_inside_another_transaction():
    # durable=True: an action nested in a caller's transaction would commit with it,
    # or roll back with it, unnoticed; each of these must be its own transaction.
    from safereport.transparency.actions import record_firewall_policy
    from safereport.transparency.statistics import do_release_statistics

    append_entry(sample_entry(0))
    for action in (do_sign_tree_head, lambda: record_firewall_policy("ab" * 32)):
        with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
            action()
    StatisticCell.objects.all().delete()
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        do_release_statistics(dt.date(2099, 1, 1))
    assert StatisticCell.objects.count() == 0
    assert do_sign_tree_head() is not None  # on its own, each runs
