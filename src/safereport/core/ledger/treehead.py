"""Signed tree heads: Ed25519 signatures over (tree size, timestamp, root).

Signed bytes (exactly 66 bytes)::

    b"SafeReport-STH-v1\\x00"      18 bytes, a domain label ending in a zero byte
    tree_size                       8 bytes, unsigned big-endian
    timestamp                       8 bytes, milliseconds since the Unix epoch, unsigned big-endian
    root_hash                      32 bytes, RFC 9162 MTH of the first tree_size entries

The signature is Ed25519 (RFC 8032, as libsodium's ``crypto_sign_detached``)
over those bytes with the log's signing key. JSON uses lowercase hex for every
byte string::

    {"tree_size": 7, "timestamp": 1763712000000, "root_hash": "<64 hex>",
     "signature": "<128 hex>", "key_id": "<64 hex>"}

``key_id`` is ``SHA-256(raw 32-byte Ed25519 public key)``; it is not signed
(it only says which published key to check against) and verification refuses
a head whose ``key_id`` is not the supplied key's.

Keys are passed in as PyNaCl ``SigningKey`` / ``VerifyKey`` objects; this
module never reads settings or files.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from dataclasses import dataclass
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from safereport.core.ledger.errors import (
    MalformedTreeHead,
    TreeHeadKeyMismatch,
    TreeHeadSignatureInvalid,
)
from safereport.core.ledger.fields import hex_bytes, sized_bytes, u64
from safereport.core.ledger.merkle import HASH_SIZE

STH_LABEL = b"SafeReport-STH-v1\x00"
SIGNATURE_SIZE = 64
PUBLIC_KEY_SIZE = 32
KEY_ALGORITHM = "Ed25519"

_U64 = struct.Struct(">Q")


def key_id(verify_key: VerifyKey) -> bytes:
    """``SHA-256`` of the raw public key: a short name for a published key."""
    return hashlib.sha256(bytes(verify_key)).digest()


@dataclass(frozen=True, slots=True)
class TreeHead:
    """What a tree head asserts: the log had ``tree_size`` entries with this root."""

    tree_size: int
    timestamp_ms: int
    root_hash: bytes

    def __post_init__(self) -> None:
        u64(self.tree_size, "tree_size", MalformedTreeHead)
        u64(self.timestamp_ms, "timestamp", MalformedTreeHead)
        sized_bytes(self.root_hash, "root_hash", HASH_SIZE, MalformedTreeHead)

    def signed_bytes(self) -> bytes:
        """The exact bytes the log signs for this head."""
        return STH_LABEL + _U64.pack(self.tree_size) + _U64.pack(self.timestamp_ms) + self.root_hash


@dataclass(frozen=True, slots=True)
class SignedTreeHead:
    """A tree head with the log's signature and the id of the key that made it."""

    head: TreeHead
    signature: bytes
    key_id: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.head, TreeHead):
            raise MalformedTreeHead("head must be a TreeHead")
        sized_bytes(self.signature, "signature", SIGNATURE_SIZE, MalformedTreeHead)
        sized_bytes(self.key_id, "key_id", HASH_SIZE, MalformedTreeHead)

    @property
    def tree_size(self) -> int:
        return self.head.tree_size

    @property
    def timestamp_ms(self) -> int:
        return self.head.timestamp_ms

    @property
    def root_hash(self) -> bytes:
        return self.head.root_hash

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "tree_size": self.head.tree_size,
            "timestamp": self.head.timestamp_ms,
            "root_hash": self.head.root_hash.hex(),
            "signature": self.signature.hex(),
            "key_id": self.key_id.hex(),
        }

    @classmethod
    def from_json_dict(cls, obj: object) -> SignedTreeHead:
        keys = {"tree_size", "timestamp", "root_hash", "signature", "key_id"}
        if not isinstance(obj, dict) or set(obj) != keys:
            raise MalformedTreeHead(f"a signed tree head is a JSON object with keys {sorted(keys)}")
        return cls(
            head=TreeHead(
                tree_size=_json_int(obj["tree_size"], "tree_size"),
                timestamp_ms=_json_int(obj["timestamp"], "timestamp"),
                root_hash=_json_hex(obj["root_hash"], "root_hash", HASH_SIZE),
            ),
            signature=_json_hex(obj["signature"], "signature", SIGNATURE_SIZE),
            key_id=_json_hex(obj["key_id"], "key_id", HASH_SIZE),
        )


def _json_int(value: object, name: str) -> int:
    return u64(value, name, MalformedTreeHead)


def _json_hex(value: object, name: str, size: int) -> bytes:
    return hex_bytes(value, name, size, MalformedTreeHead)


def sign_tree_head(
    signing_key: SigningKey, *, tree_size: int, timestamp_ms: int, root_hash: bytes
) -> SignedTreeHead:
    """Sign a tree head. ``timestamp_ms`` comes from the caller's clock."""
    head = TreeHead(tree_size=tree_size, timestamp_ms=timestamp_ms, root_hash=root_hash)
    signature = signing_key.sign(head.signed_bytes()).signature
    return SignedTreeHead(head=head, signature=signature, key_id=key_id(signing_key.verify_key))


def verify_tree_head(sth: SignedTreeHead, verify_key: VerifyKey) -> None:
    """Raise unless ``sth`` was signed by the key ``verify_key`` names.

    :class:`TreeHeadKeyMismatch` if the head names another key,
    :class:`TreeHeadSignatureInvalid` if the signature is wrong.
    """
    if not hmac.compare_digest(sth.key_id, key_id(verify_key)):
        raise TreeHeadKeyMismatch("tree head was signed under a different key id")
    try:
        verify_key.verify(sth.head.signed_bytes(), sth.signature)
    except BadSignatureError as error:
        raise TreeHeadSignatureInvalid(
            f"signature on tree head of size {sth.head.tree_size} does not verify"
        ) from error


def public_key_to_json(verify_key: VerifyKey) -> dict[str, Any]:
    """The published key: ``{"algorithm": "Ed25519", "public_key": hex, "key_id": hex}``."""
    return {
        "algorithm": KEY_ALGORITHM,
        "public_key": bytes(verify_key).hex(),
        "key_id": key_id(verify_key).hex(),
    }


def public_key_from_json(obj: object) -> VerifyKey:
    """Parse a published key, checking that its ``key_id`` matches the key."""
    keys = {"algorithm", "public_key", "key_id"}
    if not isinstance(obj, dict) or set(obj) != keys:
        raise MalformedTreeHead(f"a public key is a JSON object with keys {sorted(keys)}")
    if obj["algorithm"] != KEY_ALGORITHM:
        raise MalformedTreeHead(f"algorithm must be {KEY_ALGORITHM!r}")
    raw = _json_hex(obj["public_key"], "public_key", PUBLIC_KEY_SIZE)
    verify_key = VerifyKey(raw)
    if not hmac.compare_digest(_json_hex(obj["key_id"], "key_id", HASH_SIZE), key_id(verify_key)):
        raise MalformedTreeHead("key_id does not match public_key")
    return verify_key
