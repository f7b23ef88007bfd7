"""Secrets the server keeps for one browser, sealed under a key only that browser holds.

An unlocked staff key, an opened receipt or a reporter's draft must survive
from one request to the next on any worker of any machine, so it is kept in
a shared store (Redis, or process memory in the one-process demo). The store
is not trusted: each value is sealed (XChaCha20-Poly1305) under a random
*wrapping key* that lives only in the browser's cookie, never on the server,
and the sealed value names its slot and purpose in the authenticated data, so
it does not open under another slot or purpose. Reading the store, the
database, or both, opens nothing.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from safereport.core.crypto.errors import DecryptionFailed
from safereport.core.crypto.vault import KEY_BYTES, RandomBytes, _aead_open, _aead_seal, _frame

SLOT_BYTES = 18


def new_wrapping_key(random_bytes: RandomBytes = secrets.token_bytes) -> bytes:
    return random_bytes(KEY_BYTES)


def new_slot_id() -> str:
    """Where a browser's sealed values are kept: random, unrelated to any cookie."""
    return secrets.token_urlsafe(SLOT_BYTES)


def wrapping_key_to_cookie(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii").rstrip("=")


def wrapping_key_from_cookie(value: str | None) -> bytes | None:
    """The key a cookie carries, or None for a missing or malformed cookie."""
    if not value or len(value) > 64:
        return None
    try:
        key = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == KEY_BYTES else None


def _context(slot: str, purpose: str) -> bytes:
    return _frame("browser-custody", slot, purpose)


def seal_for_browser(
    key: bytes,
    plaintext: bytes,
    *,
    slot: str,
    purpose: str,
    random_bytes: RandomBytes = secrets.token_bytes,
) -> bytes:
    if len(key) != KEY_BYTES:
        raise ValueError(f"a wrapping key is {KEY_BYTES} bytes")
    return _aead_seal(key, plaintext, _context(slot, purpose), random_bytes)


def open_for_browser(key: bytes, sealed: bytes, *, slot: str, purpose: str) -> bytes:
    """The plaintext, or ``DecryptionFailed`` for another key, slot or purpose."""
    if len(key) != KEY_BYTES:
        raise DecryptionFailed("a wrapping key is 32 bytes")
    return _aead_open(key, sealed, _context(slot, purpose), DecryptionFailed)
