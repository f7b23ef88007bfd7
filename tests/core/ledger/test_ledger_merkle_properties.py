"""Properties of proofs over random trees, and the storage-adapter API."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_rfc_reference import MTH

from safereport.core.ledger import (
    EMPTY_ROOT,
    ConsistencyProof,
    ConsistencyProofInvalid,
    Frontier,
    InclusionProof,
    InclusionProofInvalid,
    MalformedHash,
    MalformedProof,
    MerkleTree,
    MissingNode,
    NodeId,
    TreeRangeError,
    consistency_proof,
    frontier_node_ids,
    inclusion_proof,
    leaf_hash,
    nodes_for_consistency_proof,
    nodes_for_inclusion_proof,
    nodes_for_root,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

MAX_SIZE = 300
_TREE = MerkleTree.from_entries([i.to_bytes(4, "big") for i in range(MAX_SIZE)])


def _flip(data: bytes, position: int, bit: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 1 << bit
    return bytes(changed)


@st.composite
def inclusion_cases(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, MAX_SIZE))
    return draw(st.integers(0, size - 1)), size


@st.composite
def consistency_cases(draw: st.DrawFn) -> tuple[int, int]:
    second = draw(st.integers(0, MAX_SIZE))
    return draw(st.integers(0, second)), second


@settings(max_examples=200, deadline=None)
@given(inclusion_cases(), st.data())
def test_inclusion_proofs_verify_and_any_changed_byte_fails(
    case: tuple[int, int], data: st.DataObject
) -> None:
    index, size = case
    proof = _TREE.inclusion_proof(index, size)
    leaf, root = _TREE.leaf_hash(index), _TREE.root(size)
    proof.verify(leaf, root)

    target = data.draw(
        st.sampled_from(["leaf", "root", "path"] if proof.path else ["leaf", "root"])
    )
    position, bit = data.draw(st.integers(0, 31)), data.draw(st.integers(0, 7))
    path = list(proof.path)
    if target == "leaf":
        leaf = _flip(leaf, position, bit)
    elif target == "root":
        root = _flip(root, position, bit)
    else:
        element = data.draw(st.integers(0, len(path) - 1))
        path[element] = _flip(path[element], position, bit)
    with pytest.raises(InclusionProofInvalid):
        verify_inclusion(leaf, index, size, path, root)


@settings(max_examples=200, deadline=None)
@given(consistency_cases(), st.data())
def test_consistency_proofs_verify_and_any_changed_byte_fails(
    case: tuple[int, int], data: st.DataObject
) -> None:
    first, second = case
    proof = _TREE.consistency_proof(first, second)
    first_root, second_root = _TREE.root(first), _TREE.root(second)
    proof.verify(first_root, second_root)

    # From the empty tree there is nothing to prove about the second root:
    # the empty tree is a prefix of every tree, so only the first root is checked.
    targets = ["first"] + (["second"] if first else []) + (["path"] if proof.path else [])
    target = data.draw(st.sampled_from(targets))
    position, bit = data.draw(st.integers(0, 31)), data.draw(st.integers(0, 7))
    path = list(proof.path)
    if target == "first":
        first_root = _flip(first_root, position, bit)
    elif target == "second":
        second_root = _flip(second_root, position, bit)
    else:
        element = data.draw(st.integers(0, len(path) - 1))
        path[element] = _flip(path[element], position, bit)
    with pytest.raises(ConsistencyProofInvalid):
        verify_consistency(first, second, first_root, second_root, path)


@settings(max_examples=100, deadline=None)
@given(inclusion_cases())
def test_inclusion_proofs_of_the_wrong_length_or_position_fail(case: tuple[int, int]) -> None:
    index, size = case
    proof = _TREE.inclusion_proof(index, size)
    leaf, root = _TREE.leaf_hash(index), _TREE.root(size)
    with pytest.raises(InclusionProofInvalid):
        verify_inclusion(leaf, index, size, [*proof.path, root], root)
    if proof.path:
        with pytest.raises(InclusionProofInvalid):
            verify_inclusion(leaf, index, size, proof.path[:-1], root)
    with pytest.raises(InclusionProofInvalid):
        verify_inclusion(leaf, size, size, proof.path, root)
    if size > 1:
        other = (index + 1) % size
        with pytest.raises(InclusionProofInvalid):
            verify_inclusion(_TREE.leaf_hash(other), index, size, proof.path, root)


@settings(max_examples=100, deadline=None)
@given(consistency_cases())
def test_consistency_proofs_of_the_wrong_length_fail(case: tuple[int, int]) -> None:
    first, second = case
    proof = _TREE.consistency_proof(first, second)
    first_root, second_root = _TREE.root(first), _TREE.root(second)
    with pytest.raises(ConsistencyProofInvalid):
        verify_consistency(first, second, first_root, second_root, [*proof.path, first_root])
    if proof.path:
        with pytest.raises(ConsistencyProofInvalid):
            verify_consistency(first, second, first_root, second_root, proof.path[:-1])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=24), max_size=140))
def test_append_build_and_reference_agree(leaves: list[bytes]) -> None:
    appended = MerkleTree()
    for data in leaves:
        appended.append(data)
    built = MerkleTree.from_leaf_hashes([leaf_hash(d) for d in leaves])
    assert appended.root() == built.root() == MTH(leaves)
    assert appended.leaf_hashes() == built.leaf_hashes()
    assert len(appended) == len(built) == len(leaves)


class DictStore:
    """What a database adapter does, with a dict for the table of nodes."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, int], bytes] = {}
        self.reads = 0

    def read_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        self.reads += 1
        try:
            return [self.rows[(n.level, n.index)] for n in ids]
        except KeyError as error:
            raise MissingNode(str(error)) from error


def _store_of(size: int) -> DictStore:
    store = DictStore()
    frontier = Frontier()
    for i in range(size):
        for node in frontier.append(_TREE.leaf_hash(i)):
            assert (node.level, node.index) not in store.rows  # nodes are written once
            store.rows[(node.level, node.index)] = node.hash
        assert frontier.root() == _TREE.root(i + 1)
    return store


STORE = _store_of(MAX_SIZE)


def test_a_store_holds_about_two_nodes_per_leaf() -> None:
    # Every complete subtree is stored once: n leaves give 2n - popcount(n) nodes.
    assert len(STORE.rows) == 2 * MAX_SIZE - bin(MAX_SIZE).count("1")


@settings(max_examples=100, deadline=None)
@given(inclusion_cases(), consistency_cases())
def test_proofs_from_a_store_equal_proofs_from_memory(
    inc: tuple[int, int], con: tuple[int, int]
) -> None:
    index, size = inc
    first, second = con
    before = STORE.reads
    assert inclusion_proof(STORE, index, size) == _TREE.inclusion_proof(index, size)
    assert consistency_proof(STORE, first, second) == _TREE.consistency_proof(first, second)
    assert root_hash(STORE, size) == _TREE.root(size)
    assert STORE.reads - before <= 3  # one batched read per operation
    wanted = nodes_for_inclusion_proof(index, size)
    assert all((n.level, n.index) in STORE.rows for n in wanted)
    assert len(wanted) <= 2 * size.bit_length()
    assert len(nodes_for_consistency_proof(first, second)) <= 3 * max(1, second.bit_length())


@settings(max_examples=50, deadline=None)
@given(st.integers(0, MAX_SIZE), st.integers(1, 20))
def test_a_frontier_loaded_from_a_store_continues_the_tree(size: int, more: int) -> None:
    store = _store_of(size)
    frontier = Frontier.load(store, size)
    assert frontier.size == size
    assert frontier.root() == _TREE.root(size)
    assert [(n.level, n.index) for n in frontier_node_ids(size)] == [
        (n.level, n.index) for n in nodes_for_root(size)
    ]
    for i in range(size, min(size + more, MAX_SIZE)):
        created = frontier.append(_TREE.leaf_hash(i))
        assert created[0].level == 0
        assert created[0].index == i
        assert len(created) == 1 + ((i + 1) & -(i + 1)).bit_length() - 1
        assert frontier.root() == _TREE.root(i + 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=24), max_size=140), st.integers(0, 140))
def test_a_stored_frontier_appends_as_a_full_recomputation(leaves: list[bytes], split: int) -> None:
    # A store keeps only the frontier's bytes between appends (no node reads):
    # every root on the way equals the RFC's MTH recomputed from every leaf,
    # and the nodes written equal those of a tree built from all leaves at once.
    split = min(split, len(leaves))
    built = MerkleTree.from_entries(leaves[:split])
    packed, written = built.frontier().to_bytes(), list(built.nodes())
    for size in range(split, len(leaves)):
        frontier = Frontier.from_bytes(size, packed)
        written += frontier.append(leaf_hash(leaves[size]))
        packed = frontier.to_bytes()
        assert frontier.root() == MTH(leaves[: size + 1])
    whole = MerkleTree.from_entries(leaves)
    assert Frontier.from_bytes(len(leaves), packed).root() == whole.root() == MTH(leaves)
    assert sorted(written, key=lambda n: (n.level, n.index)) == list(whole.nodes())
    assert len(packed) == 32 * bin(len(leaves)).count("1")


def test_a_stored_frontier_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(MalformedHash):
        Frontier.from_bytes(1, bytes(31))
    with pytest.raises(TreeRangeError):
        Frontier.from_bytes(3, bytes(32))


def test_a_store_missing_nodes_says_so() -> None:
    store = _store_of(10)
    with pytest.raises(MissingNode):
        inclusion_proof(store, 3, 16)
    with pytest.raises(MissingNode):
        Frontier.load(store, 12)
    with pytest.raises(MissingNode):
        _TREE.node(0, MAX_SIZE)
    with pytest.raises(MissingNode):
        _TREE.node(40, 0)


def test_empty_tree() -> None:
    tree = MerkleTree()
    assert tree.root() == EMPTY_ROOT
    assert Frontier().root() == EMPTY_ROOT
    assert MerkleTree.from_leaf_hashes([]).root() == EMPTY_ROOT
    proof = _TREE.consistency_proof(0, 5)
    assert proof.path == ()
    proof.verify(EMPTY_ROOT, _TREE.root(5))
    with pytest.raises(ConsistencyProofInvalid):
        proof.verify(_TREE.root(1), _TREE.root(5))
    with pytest.raises(InclusionProofInvalid):
        verify_inclusion(leaf_hash(b""), 0, 0, [], EMPTY_ROOT)


def test_bad_indexes_and_sizes_raise_typed_errors() -> None:
    tree = MerkleTree.from_entries([b"a", b"b", b"c"])
    calls: list[Callable[[], object]] = [
        lambda: tree.inclusion_proof(3),
        lambda: tree.inclusion_proof(-1),
        lambda: tree.inclusion_proof(0, 4),
        lambda: tree.inclusion_proof(0, 0),
        lambda: tree.consistency_proof(3, 2),
        lambda: tree.consistency_proof(1, 4),
        lambda: tree.consistency_proof(-1, 2),
        lambda: tree.root(4),
        lambda: tree.root(-1),
        lambda: tree.leaf_hash(3),
        lambda: nodes_for_inclusion_proof(5, 5),
        lambda: nodes_for_consistency_proof(6, 5),
        lambda: Frontier(3, []),
    ]
    for call in calls:
        with pytest.raises(TreeRangeError):
            call()
    with pytest.raises(MalformedHash):
        tree.append_leaf_hash(b"short")
    with pytest.raises(MalformedHash):
        MerkleTree.from_leaf_hashes([b"x" * 31])
    with pytest.raises(MalformedHash):
        verify_inclusion(b"x" * 31, 0, 1, [], EMPTY_ROOT)


def test_proof_json_round_trips_and_rejects_malformed_shapes() -> None:
    inc = _TREE.inclusion_proof(5, 77)
    con = _TREE.consistency_proof(13, 77)
    assert InclusionProof.from_json_dict(inc.to_json_dict()) == inc
    assert ConsistencyProof.from_json_dict(con.to_json_dict()) == con
    assert inc.to_json_dict()["inclusion_path"][0] == inc.path[0].hex()
    assert set(con.to_json_dict()) == {"first", "second", "consistency_path"}
    good = inc.to_json_dict()
    bad: object
    for bad in (
        {**good, "extra": 1},
        {k: v for k, v in good.items() if k != "tree_size"},
        {**good, "leaf_index": "5"},
        {**good, "leaf_index": True},
        {**good, "tree_size": -1},
        {**good, "inclusion_path": "00"},
        {**good, "inclusion_path": [good["inclusion_path"][0].upper()]},
        {**good, "inclusion_path": [good["inclusion_path"][0][:-2]]},
        [],
    ):
        with pytest.raises(MalformedProof):
            InclusionProof.from_json_dict(bad)
    with pytest.raises(MalformedProof):
        ConsistencyProof.from_json_dict({**con.to_json_dict(), "second": 1.5})


class MemoryviewStore(DictStore):
    """Database drivers (psycopg through Django) return bytea as memoryview."""

    def read_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        return [memoryview(h) for h in super().read_nodes(ids)]  # type: ignore[misc]


def test_stores_may_return_memoryviews() -> None:
    store = MemoryviewStore()
    store.rows = STORE.rows
    assert inclusion_proof(store, 17, 200) == _TREE.inclusion_proof(17, 200)
    assert consistency_proof(store, 17, 200) == _TREE.consistency_proof(17, 200)
    assert Frontier.load(store, 200).root() == _TREE.root(200)
    assert all(type(h) is bytes for h in inclusion_proof(store, 17, 200).path)
