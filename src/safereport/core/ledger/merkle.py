"""RFC 9162 Merkle tree hashing, proofs and their verification.

Hashing follows RFC 9162 section 2.1 with SHA-256:

* the hash of the empty tree is ``SHA-256("")``;
* a leaf hash is ``SHA-256(0x00 || leaf data)``;
* an interior node hash is ``SHA-256(0x01 || left || right)``, where a tree
  of ``n > 1`` leaves is split at ``k``, the largest power of two below
  ``n``: the left subtree holds leaves ``[0, k)``, the right ``[k, n)``.

Storage model
-------------
A tree of ``size`` leaves is stored as the hashes of its *complete* subtrees:
node ``(level, index)`` is the root of the perfect subtree over the
``2**level`` leaves ``[index * 2**level, (index + 1) * 2**level)``. Level 0
holds the leaf hashes. Such a node never changes once the leaves under it
exist, which is what makes the log append-only and cheap to store: appending
a leaf adds the leaf and, on average, one more node (amortised O(1) hashes).

Every root, inclusion-proof element and consistency-proof element is either
such a node or a right-hand "ragged" range that folds from O(log n) of them,
so a root or a proof costs O(log n) node reads and hashes. The functions
:func:`nodes_for_root`, :func:`nodes_for_inclusion_proof` and
:func:`nodes_for_consistency_proof` tell a storage adapter exactly which
nodes to fetch (one query), and :class:`Frontier` tells it which nodes an
append creates. :class:`MerkleTree` is the in-memory implementation, used by
the verifier and by tests and benchmarks.

Consistency proofs are generated for ``0 < first < second`` exactly as the
RFC's ``PROOF(m, D[n])``. Two cases the RFC leaves undefined are given a
definition here, and documented in ``docs/transparency.md``: ``first ==
second`` (the proof is empty and the two roots must be equal) and ``first ==
0`` (the proof is empty and the first root must be the empty-tree hash: the
empty tree is a prefix of every tree).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from safereport.core.ledger.errors import (
    ConsistencyProofInvalid,
    InclusionProofInvalid,
    MalformedHash,
    MalformedProof,
    MissingNode,
    TreeRangeError,
)
from safereport.core.ledger.fields import U64_MAX, hex_bytes, sized_bytes, u64

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

# Sizes and indexes travel as unsigned 64-bit integers (tree heads sign them so).
MAX_TREE_SIZE = U64_MAX

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """``SHA-256(0x00 || data)``: the hash of one leaf (one canonical entry)."""
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: the hash of an interior node."""
    return _sha256(NODE_PREFIX + left + right).digest()


@dataclass(frozen=True, slots=True)
class NodeId:
    """The perfect subtree over leaves ``[index << level, (index + 1) << level)``."""

    level: int
    index: int


@dataclass(frozen=True, slots=True)
class Node:
    """A stored node: where it is and its hash."""

    level: int
    index: int
    hash: bytes


class NodeReader(Protocol):
    """What a storage adapter provides so proofs can be built from it.

    ``read_nodes`` returns the hashes of the requested complete-subtree nodes
    in the order requested, or raises :class:`MissingNode` if any is absent.
    """

    def read_nodes(self, ids: Sequence[NodeId]) -> Sequence[bytes]: ...


# --- planning: which nodes make up a range ---------------------------------


def _largest_power_of_two_below(n: int) -> int:
    """The RFC's ``k``: the largest power of two strictly smaller than ``n >= 2``."""
    return 1 << ((n - 1).bit_length() - 1)


def _range_node_ids(start: int, end: int) -> list[NodeId]:
    """The complete subtrees whose right-fold is ``MTH(D[start:end])``.

    Valid for the ranges that occur as subtrees of an RFC 9162 tree: ``start``
    is a multiple of the largest power of two not above ``end - start``. The
    subtrees come largest first, and ``MTH`` of the range is
    ``H(c0, H(c1, ... H(c_{k-1}, c_k)))``.
    """
    ids: list[NodeId] = []
    while start < end:
        width = 1 << ((end - start).bit_length() - 1)
        if start & (width - 1):
            raise ValueError(f"range [{start}, {end}) is not a subtree of an RFC 9162 tree")
        level = width.bit_length() - 1
        ids.append(NodeId(level, start >> level))
        start += width
    return ids


def _fold(hashes: Sequence[bytes]) -> bytes:
    """Right-fold complete-subtree hashes (largest first) into one subtree hash."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = _sha256(NODE_PREFIX + left + result).digest()
    return result


def _check_size(size: int, name: str = "size") -> None:
    if type(size) is not int or not 0 <= size <= MAX_TREE_SIZE:
        raise TreeRangeError(f"{name} must be an integer in [0, 2**64), got {size!r}")


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """RFC 9162 ``PATH(index, D[size])`` as leaf ranges, leaf-side first."""
    ranges: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        mid = start + _largest_power_of_two_below(end - start)
        if index < mid:
            ranges.append((mid, end))
            end = mid
        else:
            ranges.append((start, mid))
            start = mid
    ranges.reverse()
    return ranges


def _consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """RFC 9162 ``PROOF(first, D[second])`` as leaf ranges, for ``0 < first < second``."""
    ranges: list[tuple[int, int]] = []
    start, end = 0, second
    whole = True  # the RFC's flag b: is [start, end)'s left edge still the old tree's?
    while end != first:
        mid = start + _largest_power_of_two_below(end - start)
        if first <= mid:
            ranges.append((mid, end))
            end = mid
        else:
            ranges.append((start, mid))
            start = mid
            whole = False
    if not whole:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def _check_inclusion_args(index: int, size: int) -> None:
    _check_size(size)
    if type(index) is not int or not 0 <= index < size:
        raise TreeRangeError(f"leaf index must be in [0, {size}), got {index!r}")


def _check_consistency_args(first: int, second: int) -> None:
    _check_size(first, "first")
    _check_size(second, "second")
    if first > second:
        raise TreeRangeError(f"first ({first}) must not exceed second ({second})")


def _plan(ranges: Sequence[tuple[int, int]]) -> list[NodeId]:
    return [node for start, end in ranges for node in _range_node_ids(start, end)]


def nodes_for_root(size: int) -> list[NodeId]:
    """The nodes whose hashes give ``MTH`` of the first ``size`` leaves."""
    _check_size(size)
    return _range_node_ids(0, size)


def nodes_for_inclusion_proof(index: int, size: int) -> list[NodeId]:
    """The nodes an inclusion proof for ``index`` in a tree of ``size`` is made from."""
    _check_inclusion_args(index, size)
    return _plan(_inclusion_ranges(index, size))


def nodes_for_consistency_proof(first: int, second: int) -> list[NodeId]:
    """The nodes a consistency proof from ``first`` to ``second`` is made from."""
    _check_consistency_args(first, second)
    if first in (0, second):
        return []
    return _plan(_consistency_ranges(first, second))


def frontier_node_ids(size: int) -> list[NodeId]:
    """The complete subtrees covering ``[0, size)``, largest first.

    These are the only nodes needed to append to a tree of ``size`` leaves
    (see :class:`Frontier`), and also the nodes of :func:`nodes_for_root`.
    """
    return nodes_for_root(size)


def _read_ranges(reader: NodeReader, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    groups = [_range_node_ids(start, end) for start, end in ranges]
    wanted = [node for group in groups for node in group]
    got = reader.read_nodes(wanted)
    if len(got) != len(wanted):
        raise MissingNode(f"asked for {len(wanted)} nodes, the store returned {len(got)}")
    stored = [_stored_hash(value) for value in got]
    hashes: list[bytes] = []
    pos = 0
    for group in groups:
        hashes.append(_fold(stored[pos : pos + len(group)]))
        pos += len(group)
    return hashes


def _stored_hash(value: object) -> bytes:
    """A hash as a store returned it; database drivers may hand back memoryview."""
    if isinstance(value, bytearray | memoryview):
        value = bytes(value)
    return _check_hash(value, "stored node")


# --- proofs ----------------------------------------------------------------


def _check_hash(value: object, what: str) -> bytes:
    return sized_bytes(value, what, HASH_SIZE, MalformedHash)


def _int_field(obj: dict[str, Any], key: str) -> int:
    return u64(obj[key], key, MalformedProof)


def _path_field(obj: dict[str, Any], key: str) -> tuple[bytes, ...]:
    value = obj[key]
    if not isinstance(value, list) or len(value) > 128:
        raise MalformedProof(f"{key} must be a list of at most 128 hashes")
    try:
        return tuple(hex_bytes(item, f"{key} element", HASH_SIZE, MalformedHash) for item in value)
    except MalformedHash as error:
        raise MalformedProof(str(error)) from error


def _check_keys(obj: object, keys: set[str], what: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise MalformedProof(f"{what} must be a JSON object")
    if set(obj) != keys:
        raise MalformedProof(f"{what} must have exactly the keys {sorted(keys)}, got {sorted(obj)}")
    return obj


@dataclass(frozen=True, slots=True)
class InclusionProof:
    """RFC 9162 inclusion proof: ``path`` leads leaf ``leaf_index`` to the root of ``tree_size``.

    JSON shape (see ``docs/transparency.md``)::

        {"leaf_index": 5, "tree_size": 8, "inclusion_path": ["<64 hex>", ...]}
    """

    leaf_index: int
    tree_size: int
    path: tuple[bytes, ...]

    def verify(self, leaf: bytes, root: bytes) -> None:
        """Raise :class:`InclusionProofInvalid` unless ``leaf`` hashes up to ``root``."""
        verify_inclusion(leaf, self.leaf_index, self.tree_size, self.path, root)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "inclusion_path": [h.hex() for h in self.path],
        }

    @classmethod
    def from_json_dict(cls, obj: object) -> InclusionProof:
        data = _check_keys(obj, {"leaf_index", "tree_size", "inclusion_path"}, "inclusion proof")
        return cls(
            leaf_index=_int_field(data, "leaf_index"),
            tree_size=_int_field(data, "tree_size"),
            path=_path_field(data, "inclusion_path"),
        )


@dataclass(frozen=True, slots=True)
class ConsistencyProof:
    """RFC 9162 consistency proof between the trees of ``first`` and ``second`` leaves.

    JSON shape (see ``docs/transparency.md``)::

        {"first": 3, "second": 7, "consistency_path": ["<64 hex>", ...]}
    """

    first: int
    second: int
    path: tuple[bytes, ...]

    def verify(self, first_root: bytes, second_root: bytes) -> None:
        """Raise :class:`ConsistencyProofInvalid` unless the first tree is a prefix."""
        verify_consistency(self.first, self.second, first_root, second_root, self.path)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "second": self.second,
            "consistency_path": [h.hex() for h in self.path],
        }

    @classmethod
    def from_json_dict(cls, obj: object) -> ConsistencyProof:
        data = _check_keys(obj, {"first", "second", "consistency_path"}, "consistency proof")
        return cls(
            first=_int_field(data, "first"),
            second=_int_field(data, "second"),
            path=_path_field(data, "consistency_path"),
        )


def root_hash(reader: NodeReader, size: int) -> bytes:
    """``MTH`` of the first ``size`` leaves held by ``reader``."""
    _check_size(size)
    if size == 0:
        return EMPTY_ROOT
    return _read_ranges(reader, [(0, size)])[0]


def inclusion_proof(reader: NodeReader, index: int, size: int) -> InclusionProof:
    """RFC 9162 ``PATH(index, D[size])`` from the nodes held by ``reader``."""
    _check_inclusion_args(index, size)
    path = _read_ranges(reader, _inclusion_ranges(index, size))
    return InclusionProof(index, size, tuple(path))


def consistency_proof(reader: NodeReader, first: int, second: int) -> ConsistencyProof:
    """RFC 9162 ``PROOF(first, D[second])`` from the nodes held by ``reader``.

    Empty when ``first == 0`` or ``first == second`` (see the module notes).
    """
    _check_consistency_args(first, second)
    if first in (0, second):
        return ConsistencyProof(first, second, ())
    path = _read_ranges(reader, _consistency_ranges(first, second))
    return ConsistencyProof(first, second, tuple(path))


# --- verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2) -------------------


def root_from_inclusion_proof(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes:
    """The root an inclusion proof leads to, by RFC 9162 section 2.1.3.2.

    Raises :class:`InclusionProofInvalid` if the proof has the wrong length
    for ``index`` and ``size`` or the index is out of range.
    """
    _check_hash(leaf, "leaf hash")
    if type(index) is not int or type(size) is not int or not 0 <= index < size:
        # Step 1: leaf_index >= tree_size fails.
        raise InclusionProofInvalid(f"leaf index {index!r} is not below tree size {size!r}")
    # Step 2.
    fn, sn = index, size - 1
    # Step 3.
    r = leaf
    # Step 4.
    for p in path:
        _check_hash(p, "inclusion path element")
        if sn == 0:  # 4a
            raise InclusionProofInvalid("inclusion path is longer than the tree is deep")
        if fn & 1 or fn == sn:  # 4b
            r = _sha256(NODE_PREFIX + p + r).digest()
            while fn and not fn & 1:  # only when LSB(fn) was not set
                fn >>= 1
                sn >>= 1
        else:  # 4c
            r = _sha256(NODE_PREFIX + r + p).digest()
        fn >>= 1  # 4d
        sn >>= 1
    # Step 5, first half.
    if sn != 0:
        raise InclusionProofInvalid("inclusion path is shorter than the tree is deep")
    return r


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> None:
    """Raise :class:`InclusionProofInvalid` unless ``path`` proves ``leaf`` at ``index``.

    ``leaf`` is the leaf *hash* (``leaf_hash(entry_bytes)``), ``root`` the
    root of the tree of ``size`` leaves.
    """
    _check_hash(root, "root hash")
    computed = root_from_inclusion_proof(leaf, index, size, path)
    if not hmac.compare_digest(computed, root):  # step 5, second half
        raise InclusionProofInvalid(f"leaf {index} does not lead to the root of tree size {size}")


def verify_consistency(
    first: int,
    second: int,
    first_root: bytes,
    second_root: bytes,
    path: Sequence[bytes],
) -> None:
    """Raise :class:`ConsistencyProofInvalid` unless tree ``first`` is a prefix of ``second``.

    For ``0 < first < second`` this is RFC 9162 section 2.1.4.2 step by
    step. ``first == second`` needs an empty path and equal roots;
    ``first == 0`` needs an empty path and the empty-tree root.
    """
    _check_hash(first_root, "first root")
    _check_hash(second_root, "second root")
    for c in path:
        _check_hash(c, "consistency path element")
    if type(first) is not int or type(second) is not int or not 0 <= first <= second:
        raise ConsistencyProofInvalid(f"need 0 <= first <= second, got {first!r}, {second!r}")
    if first == second:
        if path or not hmac.compare_digest(first_root, second_root):
            raise ConsistencyProofInvalid(f"tree heads of equal size {first} differ")
        return
    if first == 0:
        if path or not hmac.compare_digest(first_root, EMPTY_ROOT):
            raise ConsistencyProofInvalid("a tree of size 0 must have the empty root")
        return
    # Step 1.
    if not path:
        raise ConsistencyProofInvalid("consistency path is empty")
    # Step 2.
    nodes = list(path)
    if first & (first - 1) == 0:
        nodes.insert(0, first_root)
    # Step 3.
    fn, sn = first - 1, second - 1
    # Step 4.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # Step 5.
    fr = sr = nodes[0]
    # Step 6.
    for c in nodes[1:]:
        if sn == 0:  # 6a
            raise ConsistencyProofInvalid("consistency path is too long")
        if fn & 1 or fn == sn:  # 6b
            fr = _sha256(NODE_PREFIX + c + fr).digest()
            sr = _sha256(NODE_PREFIX + c + sr).digest()
            while fn and not fn & 1:  # only when LSB(fn) was not set
                fn >>= 1
                sn >>= 1
        else:  # 6c
            sr = _sha256(NODE_PREFIX + sr + c).digest()
        fn >>= 1  # 6d
        sn >>= 1
    # Step 7.
    if sn != 0:
        raise ConsistencyProofInvalid("consistency path is too short")
    if not hmac.compare_digest(fr, first_root):
        raise ConsistencyProofInvalid(f"proof does not lead to the root of tree size {first}")
    if not hmac.compare_digest(sr, second_root):
        raise ConsistencyProofInvalid(f"proof does not lead to the root of tree size {second}")


# --- appending against a store ---------------------------------------------


class Frontier:
    """The right edge of a tree: enough to append and to compute the current root.

    Holds the hashes of the complete subtrees covering ``[0, size)`` (one per
    set bit of ``size``, largest first). A storage adapter loads it with
    :meth:`load` (``popcount(size)`` node reads), calls :meth:`append` for
    each new leaf and stores the returned nodes in the same transaction as
    the entry.
    """

    __slots__ = ("_peaks", "_size")

    def __init__(self, size: int = 0, peaks: Sequence[bytes] = ()) -> None:
        _check_size(size)
        expected = len(_range_node_ids(0, size))
        if len(peaks) != expected:
            raise TreeRangeError(f"a tree of size {size} has {expected} peaks, got {len(peaks)}")
        self._size = size
        self._peaks = [_check_hash(p, "peak") for p in peaks]

    @classmethod
    def load(cls, reader: NodeReader, size: int) -> Frontier:
        ids = frontier_node_ids(size)
        peaks = [_stored_hash(value) for value in reader.read_nodes(ids)] if ids else []
        if len(peaks) != len(ids):
            raise MissingNode(f"asked for {len(ids)} peaks, the store returned {len(peaks)}")
        return cls(size, peaks)

    @classmethod
    def from_bytes(cls, size: int, packed: bytes) -> Frontier:
        """The frontier stored as :meth:`to_bytes` wrote it (its peaks, 32 bytes each)."""
        packed = bytes(packed)
        if len(packed) % HASH_SIZE:
            raise MalformedHash(f"a stored frontier is a multiple of {HASH_SIZE} bytes")
        peaks = [packed[i : i + HASH_SIZE] for i in range(0, len(packed), HASH_SIZE)]
        return cls(size, peaks)

    def to_bytes(self) -> bytes:
        """The peaks, largest first, concatenated: what a store keeps to append without reads."""
        return b"".join(self._peaks)

    @property
    def size(self) -> int:
        return self._size

    def root(self) -> bytes:
        return _fold(self._peaks) if self._peaks else EMPTY_ROOT

    def append(self, leaf: bytes) -> list[Node]:
        """Add one leaf hash; return every node this creates, the leaf first."""
        _check_hash(leaf, "leaf hash")
        index = self._size
        created = [Node(0, index, leaf)]
        peaks = self._peaks
        peaks.append(leaf)
        n, level = index + 1, 0
        while not n & 1:
            right = peaks.pop()
            parent = _sha256(NODE_PREFIX + peaks.pop() + right).digest()
            peaks.append(parent)
            level += 1
            index >>= 1
            n >>= 1
            created.append(Node(level, index, parent))
        self._size += 1
        return created


# --- the in-memory tree ----------------------------------------------------


class MerkleTree:
    """An append-only RFC 9162 tree held in memory.

    Each level of complete-subtree hashes is one contiguous ``bytearray``
    (32 bytes per node), so a million leaves take about 64 MB and no Python
    object per node. Appends are amortised O(1) hashes; roots and proofs for
    any earlier size are O(log n).
    """

    __slots__ = ("_levels", "_size")

    def __init__(self) -> None:
        self._levels: list[bytearray] = [bytearray()]
        self._size = 0

    @classmethod
    def from_leaf_hashes(cls, hashes: Iterable[bytes]) -> MerkleTree:
        """Build a tree from stored leaf hashes, level by level."""
        leaves = hashes if isinstance(hashes, list) else list(hashes)
        try:
            wrong_sizes = set(map(len, leaves)) - {HASH_SIZE}
            level = bytearray().join(leaves)
        except TypeError as error:
            raise MalformedHash("leaf hashes must be bytes") from error
        if wrong_sizes:
            raise MalformedHash(f"leaf hashes must be {HASH_SIZE} bytes, some are {wrong_sizes}")
        tree = cls()
        tree._size = len(leaves)
        tree._levels = [level]
        count = len(leaves)
        while count >= 2:
            pairs = count // 2
            view = memoryview(level)
            base = _sha256(NODE_PREFIX)
            parents = bytearray()
            for offset in range(0, pairs * 2 * HASH_SIZE, 2 * HASH_SIZE):
                h = base.copy()
                h.update(view[offset : offset + 2 * HASH_SIZE])
                parents += h.digest()
            view.release()
            tree._levels.append(parents)
            level, count = parents, pairs
        return tree

    @classmethod
    def from_entries(cls, entries: Iterable[bytes]) -> MerkleTree:
        """Build a tree whose leaves are the given entry bytes (hashed here)."""
        return cls.from_leaf_hashes([_sha256(LEAF_PREFIX + data).digest() for data in entries])

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return self._size

    def append(self, data: bytes) -> int:
        """Append one entry (its bytes are hashed as a leaf); return its index."""
        return self.append_leaf_hash(_sha256(LEAF_PREFIX + data).digest())

    def append_leaf_hash(self, leaf: bytes) -> int:
        """Append one leaf by its hash; return its index."""
        if len(leaf) != HASH_SIZE:
            raise MalformedHash(f"leaf hash must be {HASH_SIZE} bytes")
        levels = self._levels
        levels[0] += leaf
        index = self._size
        n = self._size = index + 1
        level = 0
        while not n & 1:
            pair = levels[level][-2 * HASH_SIZE :]
            level += 1
            if level == len(levels):
                levels.append(bytearray())
            levels[level] += _sha256(NODE_PREFIX + pair).digest()
            n >>= 1
        return index

    def leaf_hash(self, index: int) -> bytes:
        _check_inclusion_args(index, self._size)
        return bytes(self._levels[0][index * HASH_SIZE : (index + 1) * HASH_SIZE])

    def leaf_hashes(self) -> list[bytes]:
        leaves = bytes(self._levels[0])
        return [leaves[i : i + HASH_SIZE] for i in range(0, len(leaves), HASH_SIZE)]

    def nodes(self) -> Iterable[Node]:
        """Every complete-subtree node, level by level: what a store holds for this tree.

        The same nodes, in another order, as appending each leaf to a
        :class:`Frontier` returns; this is how a store is filled in bulk.
        """
        for level, stored in enumerate(self._levels):
            for index, offset in enumerate(range(0, len(stored), HASH_SIZE)):
                yield Node(level, index, bytes(stored[offset : offset + HASH_SIZE]))

    def frontier(self) -> Frontier:
        """The frontier of the whole tree, to carry on appending against a store."""
        return Frontier(self._size, self.read_nodes(frontier_node_ids(self._size)))

    def node(self, level: int, index: int) -> bytes:
        """The hash of complete-subtree node ``(level, index)``."""
        if not 0 <= level < len(self._levels):
            raise MissingNode(f"no node ({level}, {index}) in a tree of size {self._size}")
        stored = self._levels[level]
        start = index * HASH_SIZE
        if not 0 <= start < len(stored):
            raise MissingNode(f"no node ({level}, {index}) in a tree of size {self._size}")
        return bytes(stored[start : start + HASH_SIZE])

    def read_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        return [self.node(node.level, node.index) for node in ids]

    def _size_or_current(self, size: int | None, name: str = "size") -> int:
        if size is None:
            return self._size
        _check_size(size, name)
        if size > self._size:
            raise TreeRangeError(f"{name} {size} is beyond the tree's {self._size} leaves")
        return size

    def _range_hash(self, start: int, end: int) -> bytes:
        """``MTH(D[start:end])`` for a subtree range, read straight from the levels."""
        levels = self._levels
        width = end - start
        if not width & (width - 1):  # a complete subtree: one stored node
            level = width.bit_length() - 1
            offset = (start >> level) * HASH_SIZE
            return bytes(levels[level][offset : offset + HASH_SIZE])
        hashes: list[bytes] = []
        while start < end:
            width = 1 << ((end - start).bit_length() - 1)
            level = width.bit_length() - 1
            offset = (start >> level) * HASH_SIZE
            hashes.append(bytes(levels[level][offset : offset + HASH_SIZE]))
            start += width
        return _fold(hashes)

    def root(self, size: int | None = None) -> bytes:
        """``MTH`` of the first ``size`` leaves (default: all)."""
        size = self._size_or_current(size)
        return self._range_hash(0, size) if size else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> InclusionProof:
        """RFC 9162 ``PATH(index, D[size])`` (default size: all leaves)."""
        size = self._size_or_current(size)
        _check_inclusion_args(index, size)
        ranges = _inclusion_ranges(index, size)
        return InclusionProof(index, size, tuple(self._range_hash(a, b) for a, b in ranges))

    def consistency_proof(self, first: int, second: int | None = None) -> ConsistencyProof:
        """RFC 9162 ``PROOF(first, D[second])`` (default second: all leaves)."""
        second = self._size_or_current(second, "second")
        _check_consistency_args(first, second)
        if first in (0, second):
            return ConsistencyProof(first, second, ())
        ranges = _consistency_ranges(first, second)
        return ConsistencyProof(first, second, tuple(self._range_hash(a, b) for a, b in ranges))
