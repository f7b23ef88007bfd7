"""A deliberately naive RFC 9162 reference, written straight from the RFC text.

Recursive over lists of leaf data, no caching, no cleverness: slow on
purpose, so that it is obviously the RFC's definitions (section 2.1.1 MTH,
2.1.3.1 PATH, 2.1.4.1 PROOF/SUBPROOF). The fast implementation in
``safereport.core.ledger.merkle`` is checked against it.
"""

from __future__ import annotations

import hashlib


def HASH(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def largest_power_of_two_smaller_than(n: int) -> int:
    # "k is the largest power of two smaller than n (i.e., k < n <= 2k)"
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def MTH(D: list[bytes]) -> bytes:
    n = len(D)
    if n == 0:
        # "The hash of an empty list is the hash of an empty string"
        return HASH(b"")
    if n == 1:
        # "The hash of a list with one entry (also known as a leaf hash)"
        return HASH(b"\x00" + D[0])
    k = largest_power_of_two_smaller_than(n)
    return HASH(b"\x01" + MTH(D[0:k]) + MTH(D[k:n]))


def PATH(m: int, D: list[bytes]) -> list[bytes]:
    n = len(D)
    if n == 1:
        # "The path for the single leaf in a tree with a one-element input list"
        return []
    k = largest_power_of_two_smaller_than(n)
    if m < k:
        return [*PATH(m, D[0:k]), MTH(D[k:n])]
    return [*PATH(m - k, D[k:n]), MTH(D[0:k])]


def SUBPROOF(m: int, D: list[bytes], b: bool) -> list[bytes]:
    n = len(D)
    if m == n:
        return [] if b else [MTH(D)]
    k = largest_power_of_two_smaller_than(n)
    if m <= k:
        return [*SUBPROOF(m, D[0:k], b), MTH(D[k:n])]
    return [*SUBPROOF(m - k, D[k:n], False), MTH(D[0:k])]


def PROOF(m: int, D: list[bytes]) -> list[bytes]:
    # Defined by the RFC for 0 < m < n; for m == n it is SUBPROOF(n, D, true) = [].
    return SUBPROOF(m, D, True)
