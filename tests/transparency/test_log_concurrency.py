"""Concurrent appends are serialised: no index taken twice, no fork, every head consistent."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from log_helpers import sample_entry

from safereport.core.ledger import MerkleTree, verify_tree_head
from safereport.transparency import selectors
from safereport.transparency.actions import append_entry, verify_key
from safereport.transparency.models import LogEntry, TreeHead

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 4
EACH = 10


def test_writers_in_parallel_each_get_their_own_index(on_postgresql):
    before = selectors.log_size()
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(offset: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                results.append(append_entry(sample_entry(offset + i)))
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
    size = selectors.log_size()
    assert size == before + WRITERS * EACH
    assert sorted(results) == list(range(before, size))
    data = [bytes(d) for d in LogEntry.objects.order_by("index").values_list("data", flat=True)]
    tree = MerkleTree.from_entries(data)
    heads = TreeHead.objects.filter(tree_size__gt=before).order_by("tree_size")
    assert [h.tree_size for h in heads] == list(range(before + 1, size + 1))
    for row in heads:
        head = selectors.tree_head_of_size(row.tree_size)
        assert head is not None
        verify_tree_head(head, verify_key())
        assert head.root_hash == tree.root(row.tree_size)
