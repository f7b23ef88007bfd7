"""The information escrow: an entry opens only when a second report names the same one.

After Callisto (Rajan et al., COMPASS 2018; docs/matching.md), with the
pseudorandom function evaluated by the server because the reporter's
journey works without JavaScript:

1. The **tag** of a normalised identifier is HMAC-SHA256 under the
   *matching key*, a server secret kept outside the database (like the
   ledger signing key). Without the key, a stolen database cannot be
   searched by guessing names. The tag itself is never stored.
2. From the tag, three values follow, each a PRF of the tag: the **index**
   (16 bytes, stored, so the server can find entries that share a tag),
   the **slope** ``a`` and the **secret** ``k`` of the line
   ``y = a·x + k`` over the prime field of order 2^255 - 19.
3. Each **entry** stores one point ``(x, y)`` on that line, with ``x`` a PRF
   of the tag and the reporting holder (so one report naming the same
   identifier twice gives the same point, never a second one), and its
   payload (which report, which organisation) sealed with XSalsa20-Poly1305
   under a key derived from ``k``.
4. One point says nothing about ``k``: for every candidate secret there is a
   slope that passes through it (Shamir sharing, threshold 2). Two points
   from different holders with the same index give the line, ``k``, and
   open both entries. Points from different tags do not lie on one line:
   the key they give opens nothing (the MAC fails).

Someone holding the database *and* the matching key can still compute the
tag of a guessed identifier, and from it ``k``: the escrow protects entries
at rest against whoever lacks either, and a live server's tag computations
are rate-limited and logged (docs/threat-model.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

import nacl.exceptions
import nacl.secret
import nacl.utils

from safereport.core.matching.identifiers import Identifier

PRIME = 2**255 - 19  # the field every share lives in
KEY_BYTES = 32
INDEX_BYTES = 16
POINT_BYTES = 32
PAYLOAD_BYTES = 160  # every sealed payload is padded to this, so its length says nothing
SEALED_BYTES = nacl.secret.SecretBox.NONCE_SIZE + nacl.secret.SecretBox.MACBYTES + PAYLOAD_BYTES

_TAG_CONTEXT = b"safereport/matching/tag/v1\x00"


class EscrowError(Exception):
    """Base of the escrow's errors."""


class NoMatch(EscrowError):
    """These entries do not open together: different tags, one holder, or tampered."""


class PayloadTooLong(EscrowError):
    pass


def new_matching_key() -> bytes:
    """32 random bytes: a fresh matching key (demo and tests; production reads its own)."""
    return secrets.token_bytes(KEY_BYTES)


@dataclass(frozen=True, repr=False)
class Tag:
    """The PRF of one identifier. Held in memory only while an entry is made."""

    value: bytes

    def __repr__(self) -> str:  # never print a tag into a log or a traceback
        return "Tag(…)"

    def _prf(self, label: bytes, *parts: bytes) -> bytes:
        message = label + b"\x00" + b"".join(len(p).to_bytes(4, "big") + p for p in parts)
        return hmac.new(self.value, message, hashlib.sha512).digest()

    def index(self) -> bytes:
        """The stored lookup value: equal for equal tags, unrelated otherwise."""
        return self._prf(b"index")[:INDEX_BYTES]

    def _field(self, label: bytes, *parts: bytes) -> int:
        # 512 bits reduced modulo a 255-bit prime: the bias is below 2^-256.
        return int.from_bytes(self._prf(label, *parts), "big") % PRIME

    def slope(self) -> int:
        return self._field(b"slope")

    def secret(self) -> int:
        return self._field(b"secret")

    def x_for(self, holder: bytes) -> int:
        x = self._field(b"x", holder)
        return x or 1  # x = 0 would hand out the secret itself (probability 2^-255)


class MatchingKey:
    """The server's key for computing tags; only the Django adapter reads it from settings."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"the matching key must be {KEY_BYTES} bytes")
        self._key = bytes(key)

    def __repr__(self) -> str:
        return "MatchingKey(…)"

    def tag(self, identifier: Identifier) -> Tag:
        digest = hmac.new(
            self._key, _TAG_CONTEXT + identifier.canonical_bytes(), hashlib.sha256
        ).digest()
        return Tag(digest)


@dataclass(frozen=True)
class SealedEntry:
    """What the database holds for one identifier named in one report."""

    index: bytes
    x: bytes
    y: bytes
    sealed: bytes


def _to_bytes(value: int) -> bytes:
    return value.to_bytes(POINT_BYTES, "big")


def _from_bytes(data: bytes) -> int:
    value = int.from_bytes(data, "big")
    if len(data) != POINT_BYTES or value >= PRIME:
        raise NoMatch("not a point of the field")
    return value


def _box(secret: int) -> nacl.secret.SecretBox:
    key = hashlib.blake2b(
        _to_bytes(secret), digest_size=KEY_BYTES, person=b"sr-match-seal"
    ).digest()
    return nacl.secret.SecretBox(key)


def _pad(payload: bytes) -> bytes:
    if len(payload) > PAYLOAD_BYTES - 2:
        raise PayloadTooLong(f"a payload holds at most {PAYLOAD_BYTES - 2} bytes")
    return len(payload).to_bytes(2, "big") + payload + bytes(PAYLOAD_BYTES - 2 - len(payload))


def _unpad(padded: bytes) -> bytes:
    length = int.from_bytes(padded[:2], "big")
    if length > PAYLOAD_BYTES - 2:
        raise NoMatch("malformed payload")
    return padded[2 : 2 + length]


def seal_entry(tag: Tag, *, holder: bytes, payload: bytes) -> SealedEntry:
    """An entry for ``tag`` by ``holder`` (a value unique to the report) carrying ``payload``."""
    x = tag.x_for(holder)
    secret = tag.secret()
    y = (tag.slope() * x + secret) % PRIME
    nonce = nacl.utils.random(nacl.secret.SecretBox.NONCE_SIZE)
    sealed = bytes(_box(secret).encrypt(_pad(payload), nonce))
    return SealedEntry(index=tag.index(), x=_to_bytes(x), y=_to_bytes(y), sealed=sealed)


def recover_secret(first: SealedEntry, second: SealedEntry) -> int:
    """The line's value at 0 through two points (Lagrange interpolation, threshold 2)."""
    x1, y1 = _from_bytes(first.x), _from_bytes(first.y)
    x2, y2 = _from_bytes(second.x), _from_bytes(second.y)
    if x1 == x2:
        raise NoMatch("one holder's entries never open each other")
    slope = (y2 - y1) * pow(x2 - x1, -1, PRIME) % PRIME
    return (y1 - slope * x1) % PRIME


def open_entry(secret: int, entry: SealedEntry) -> bytes:
    try:
        return _unpad(_box(secret).decrypt(entry.sealed))
    except nacl.exceptions.CryptoError:
        raise NoMatch("this key does not open the entry") from None


def open_pair(first: SealedEntry, second: SealedEntry) -> tuple[bytes, bytes]:
    """Both payloads, when the two entries name the same identifier from different holders.

    Raises ``NoMatch`` otherwise; the indexes are compared first, but the
    answer rests on the MAC: a forged or mismatched point opens nothing.
    """
    if not hmac.compare_digest(first.index, second.index):
        raise NoMatch("different tags")
    secret = recover_secret(first, second)
    return open_entry(secret, first), open_entry(secret, second)
