"""Signed tree heads: the signed bytes, JSON, and that any change is caught."""

from __future__ import annotations

import hashlib
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey

from safereport.core.ledger import (
    STH_LABEL,
    MalformedTreeHead,
    MerkleTree,
    SignedTreeHead,
    TreeHead,
    TreeHeadKeyMismatch,
    TreeHeadSignatureInvalid,
    key_id,
    public_key_from_json,
    public_key_to_json,
    sign_tree_head,
    verify_tree_head,
)

LOG_KEY = SigningKey(b"\x01" * 32)
OTHER_KEY = SigningKey(b"\x02" * 32)
ROOT = MerkleTree.from_entries([b"a", b"b", b"c"]).root()
TIME = 1_763_712_000_000


def _sth() -> SignedTreeHead:
    return sign_tree_head(LOG_KEY, tree_size=3, timestamp_ms=TIME, root_hash=ROOT)


def test_signed_bytes_layout() -> None:
    head = TreeHead(tree_size=3, timestamp_ms=TIME, root_hash=ROOT)
    data = head.signed_bytes()
    assert STH_LABEL == b"SafeReport-STH-v1\x00"
    assert len(data) == 18 + 8 + 8 + 32
    assert data[:18] == STH_LABEL
    assert struct.unpack(">QQ", data[18:34]) == (3, TIME)
    assert data[34:] == ROOT


def test_sign_and_verify() -> None:
    sth = _sth()
    verify_tree_head(sth, LOG_KEY.verify_key)
    assert sth.key_id == hashlib.sha256(bytes(LOG_KEY.verify_key)).digest()
    # The signature is plain Ed25519 over the documented bytes.
    LOG_KEY.verify_key.verify(sth.head.signed_bytes(), sth.signature)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["tree_size", "timestamp", "root_hash", "signature"]),
    st.integers(0, 63),
    st.integers(0, 7),
)
def test_any_changed_byte_fails(field: str, position: int, bit: int) -> None:
    obj = _sth().to_json_dict()
    if field in ("tree_size", "timestamp"):
        obj[field] ^= 1 << (position % 64)
    else:
        raw = bytearray(bytes.fromhex(obj[field]))
        raw[position % len(raw)] ^= 1 << bit
        obj[field] = raw.hex()
    changed = SignedTreeHead.from_json_dict(obj)
    with pytest.raises(TreeHeadSignatureInvalid):
        verify_tree_head(changed, LOG_KEY.verify_key)


def test_other_keys_are_refused() -> None:
    sth = _sth()
    with pytest.raises(TreeHeadKeyMismatch):
        verify_tree_head(sth, OTHER_KEY.verify_key)
    # A head signed by another key but claiming the log's key id fails on the signature.
    forged = sign_tree_head(OTHER_KEY, tree_size=3, timestamp_ms=TIME, root_hash=ROOT)
    relabelled = SignedTreeHead(forged.head, forged.signature, key_id(LOG_KEY.verify_key))
    with pytest.raises(TreeHeadSignatureInvalid):
        verify_tree_head(relabelled, LOG_KEY.verify_key)


def test_json_round_trip_and_shape() -> None:
    sth = _sth()
    obj = sth.to_json_dict()
    assert obj == {
        "tree_size": 3,
        "timestamp": TIME,
        "root_hash": ROOT.hex(),
        "signature": sth.signature.hex(),
        "key_id": key_id(LOG_KEY.verify_key).hex(),
    }
    assert SignedTreeHead.from_json_dict(obj) == sth


@pytest.mark.parametrize(
    "change",
    [
        {"tree_size": -1},
        {"tree_size": 2**64},
        {"tree_size": "3"},
        {"tree_size": True},
        {"timestamp": 1.5},
        {"root_hash": "00"},
        {"root_hash": "G" * 64},
        {"signature": "00" * 63},
        {"key_id": None},
        {"extra": 1},
    ],
)
def test_malformed_json_is_refused(change: dict[str, object]) -> None:
    with pytest.raises(MalformedTreeHead):
        SignedTreeHead.from_json_dict({**_sth().to_json_dict(), **change})


def test_constructors_check_sizes() -> None:
    with pytest.raises(MalformedTreeHead):
        TreeHead(tree_size=1, timestamp_ms=TIME, root_hash=b"short")
    with pytest.raises(MalformedTreeHead):
        sign_tree_head(LOG_KEY, tree_size=-1, timestamp_ms=TIME, root_hash=ROOT)
    with pytest.raises(MalformedTreeHead):
        SignedTreeHead(_sth().head, b"sig", bytes(32))


def test_public_key_json() -> None:
    obj = public_key_to_json(LOG_KEY.verify_key)
    assert obj["algorithm"] == "Ed25519"
    assert public_key_from_json(obj) == LOG_KEY.verify_key
    with pytest.raises(MalformedTreeHead):
        public_key_from_json({**obj, "key_id": key_id(OTHER_KEY.verify_key).hex()})
    with pytest.raises(MalformedTreeHead):
        public_key_from_json({**obj, "algorithm": "RSA"})
    with pytest.raises(MalformedTreeHead):
        public_key_from_json({**obj, "public_key": "00"})
