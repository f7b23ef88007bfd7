"""Concurrent appends and signers are serialised: no index taken twice, no fork, every
head consistent, no size signed twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from log_helpers import sample_entry

from safereport.core.ledger import MerkleTree, verify_tree_head
from safereport.transparency import selectors
from safereport.transparency.actions import append_entry, do_sign_tree_head, verify_key
from safereport.transparency.models import LogEntry, TreeHead

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 4
EACH = 10


def test_writers_in_parallel_each_get_their_own_index(on_postgresql):
    before = selectors.appended_size()
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    signed: list[int] = []

    def writer(offset: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                results.append(append_entry(sample_entry(offset + i)))
                # Two of the writers are also signers, as two queue workers would be.
                if offset % (2 * EACH) == 0 and (head := do_sign_tree_head()) is not None:
                    signed.append(head.tree_size)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n * EACH,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    if (last := do_sign_tree_head()) is not None:
        signed.append(last.tree_size)
    size = selectors.log_size()
    assert size == before + WRITERS * EACH == selectors.appended_size()
    assert sorted(results) == list(range(before, size))
    data = [bytes(d) for d in LogEntry.objects.order_by("index").values_list("data", flat=True)]
    tree = MerkleTree.from_entries(data)
    heads = TreeHead.objects.filter(tree_size__gt=before).order_by("tree_size")
    assert sorted(signed) == [h.tree_size for h in heads]  # each size signed once
    assert len(set(signed)) == len(signed) and signed[-1] == size
    for row in heads:
        head = selectors.tree_head_of_size(row.tree_size)
        assert head is not None
        verify_tree_head(head, verify_key())
        assert head.root_hash == tree.root(row.tree_size)
