"""Hypothesis: proofs read from the database verify against the heads do_sign_tree_head signs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from log_helpers import append_samples

from safereport.core.ledger import InclusionProof, leaf_hash, verify_tree_head
from safereport.transparency import selectors
from safereport.transparency.actions import do_sign_tree_head, verify_key

pytestmark = pytest.mark.django_db


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    batches=st.lists(st.integers(1, 9), min_size=1, max_size=5),
    picks=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=6),
)
def test_proofs_verify_against_signed_heads(
    batches: list[int], picks: list[tuple[float, float]]
) -> None:
    heads = []
    for batch in batches:
        append_samples(batch, sign=False)
        head = do_sign_tree_head()
        assert head is not None and head.tree_size == selectors.appended_size()
        verify_tree_head(head, verify_key())
        heads.append(head)
    for a, b in picks:
        later = heads[int(b * (len(heads) - 1))]
        earlier = heads[int(a * (len(heads) - 1))]
        if earlier.tree_size > later.tree_size:
            earlier, later = later, earlier
        index = int(a * (later.tree_size - 1))
        proof = selectors.inclusion_proof_for(index, later.tree_size)
        data = selectors.entry_data(index)
        assert data is not None
        proof.verify(leaf_hash(data), later.root_hash)
        # The proof travels as JSON and still verifies.
        InclusionProof.from_json_dict(proof.to_json_dict()).verify(leaf_hash(data), later.root_hash)
        selectors.consistency_proof_for(earlier.tree_size, later.tree_size).verify(
            earlier.root_hash, later.root_hash
        )
