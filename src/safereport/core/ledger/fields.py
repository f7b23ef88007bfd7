"""Checks shared by the ledger's types and their JSON forms: an unsigned
64-bit integer, a byte string of one size, and that byte string as lowercase
hex. Each raises the error type its caller names, so a malformed proof and a
malformed tree head each fail with their own error."""

from __future__ import annotations

from safereport.core.ledger.errors import LedgerError

U64_MAX = 2**64 - 1


def u64(value: object, what: str, error: type[LedgerError]) -> int:
    """``value`` if it is an ``int`` (not a bool) in [0, 2**64)."""
    if type(value) is not int or not 0 <= value <= U64_MAX:
        raise error(f"{what} must be an integer in [0, 2**64)")
    return value


def sized_bytes(value: object, what: str, size: int, error: type[LedgerError]) -> bytes:
    """``value`` if it is ``bytes`` of exactly ``size`` bytes."""
    if not isinstance(value, bytes) or len(value) != size:
        raise error(f"{what} must be {size} bytes")
    return value


def hex_bytes(value: object, what: str, size: int, error: type[LedgerError]) -> bytes:
    """The ``size`` bytes that ``value`` spells in lowercase hex."""
    if (
        not isinstance(value, str)
        or len(value) != 2 * size
        or value.strip("0123456789abcdef") != ""
    ):
        raise error(f"{what} must be {2 * size} lowercase hex digits")
    return bytes.fromhex(value)
