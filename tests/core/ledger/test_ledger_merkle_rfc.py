"""Known-answer tests: the fast tree against the naive RFC 9162 reference.

The fixed hex vectors below were computed with ``ledger_rfc_reference`` on
the eight leaves used by Certificate Transparency's own test suite; they
agree with the values published there, which is an independent check that
the reference reads the RFC correctly.
"""

from __future__ import annotations

import random

import pytest
from ledger_rfc_reference import MTH, PATH, PROOF

from safereport.core.ledger import (
    EMPTY_ROOT,
    MerkleTree,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    bytes(range(0x60, 0x70)),
]

ROOTS = {
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}

INCLUSION = {
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 3): ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    (6, 7): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (0, 1): [],
}

CONSISTENCY = {
    (1, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (3, 7): [
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e",
    ],
    (4, 8): ["6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}


@pytest.fixture(scope="module")
def ct_tree() -> MerkleTree:
    tree = MerkleTree()
    for data in CT_LEAVES:
        tree.append(data)
    return tree


def test_hash_primitives_follow_the_rfc_prefixes() -> None:
    assert EMPTY_ROOT.hex() == ROOTS[0]
    assert leaf_hash(b"abc") == MTH([b"abc"])
    left, right = leaf_hash(b"a"), leaf_hash(b"b")
    assert node_hash(left, right) == MTH([b"a", b"b"])
    assert node_hash(left, right) != node_hash(right, left)


@pytest.mark.parametrize("size", sorted(ROOTS))
def test_fixed_roots(ct_tree: MerkleTree, size: int) -> None:
    assert MTH(CT_LEAVES[:size]).hex() == ROOTS[size]
    assert ct_tree.root(size).hex() == ROOTS[size]
    assert MerkleTree.from_entries(CT_LEAVES[:size]).root().hex() == ROOTS[size]


@pytest.mark.parametrize(("index", "size"), sorted(INCLUSION))
def test_fixed_inclusion_proofs(ct_tree: MerkleTree, index: int, size: int) -> None:
    expected = INCLUSION[(index, size)]
    assert [h.hex() for h in PATH(index, CT_LEAVES[:size])] == expected
    proof = ct_tree.inclusion_proof(index, size)
    assert [h.hex() for h in proof.path] == expected
    verify_inclusion(leaf_hash(CT_LEAVES[index]), index, size, proof.path, ct_tree.root(size))


@pytest.mark.parametrize(("first", "second"), sorted(CONSISTENCY))
def test_fixed_consistency_proofs(ct_tree: MerkleTree, first: int, second: int) -> None:
    expected = CONSISTENCY[(first, second)]
    assert [h.hex() for h in PROOF(first, CT_LEAVES[:second])] == expected
    proof = ct_tree.consistency_proof(first, second)
    assert [h.hex() for h in proof.path] == expected
    verify_consistency(first, second, ct_tree.root(first), ct_tree.root(second), proof.path)


def _leaves(n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [rng.randbytes(rng.randrange(0, 40)) for _ in range(n)]


def test_every_size_up_to_70_matches_the_reference() -> None:
    leaves = _leaves(70, seed=70)
    appended = MerkleTree()
    for data in leaves:
        appended.append(data)
    for size in range(71):
        prefix = leaves[:size]
        root = MTH(prefix)
        assert appended.root(size) == root, size
        built = MerkleTree.from_entries(prefix)
        assert built.root() == root, size
        for index in range(size):
            proof = appended.inclusion_proof(index, size)
            assert list(proof.path) == PATH(index, prefix), (index, size)
            assert built.inclusion_proof(index).path == proof.path
            proof.verify(leaf_hash(leaves[index]), root)
        for first in range(1, size + 1):
            proof = appended.consistency_proof(first, size)
            assert list(proof.path) == PROOF(first, prefix), (first, size)
            proof.verify(appended.root(first), root)


@pytest.mark.parametrize("size", [127, 128, 129, 255, 256, 257, 1000, 1025])
def test_larger_sizes_match_the_reference(size: int) -> None:
    leaves = _leaves(size, seed=size)
    tree = MerkleTree.from_entries(leaves)
    assert tree.root() == MTH(leaves)
    rng = random.Random(size)
    for index in {0, size - 1, size // 2, *rng.sample(range(size), 12)}:
        assert list(tree.inclusion_proof(index).path) == PATH(index, leaves)
    for first in {1, size - 1, size // 2, *rng.sample(range(1, size), 8)}:
        proof = tree.consistency_proof(first)
        assert list(proof.path) == PROOF(first, leaves)
        proof.verify(tree.root(first), tree.root())
