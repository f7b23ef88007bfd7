"""Proof of work without addresses: small puzzles the server signs and forgets.

A page that leads to an expensive or abusable request (starting a report,
sending it, trying a receipt phrase) carries two signed tokens:

- a **work challenge**: find a counter such that
  ``SHA-256(seed || counter)`` starts with ``bits`` zero bits, where
  ``seed = SHA-256(token)`` and the counter is 8 bytes, big-endian. A tiny
  script served by the site solves it in the browser; the server checks a
  solution with one HMAC and one hash.
- a **wait ticket** for browsers without JavaScript: it becomes valid at its
  ``not_before`` time, so the cost is time (the server times it), not work.

Both are stateless: the purpose, difficulty, times and a random nonce are
in the token, authenticated with HMAC-SHA256 under a key the caller derives
from the server's secret. Nothing in a token says anything about the client.
The caller keeps the nonces of spent tokens until they expire (single use)
and counts recent attempts to raise the difficulty with load
(``difficulty``, ``wait_seconds``).

Pure: no Django, no clock (``now`` is passed in), no storage.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from enum import StrEnum

VERSION = "pow1"
NONCE_BYTES = 16
MAC_BYTES = 16
MAX_BITS = 40
MAX_COUNTER = 2**53 - 1  # what a browser's Number holds exactly


class ProofPurpose(StrEnum):
    START = "start"  # the first answer of a new report (makes the draft)
    SEND = "send"  # sending the report (one Argon2id derivation, a report row)
    RETURN = "return"  # one try of a receipt phrase (one Argon2id derivation)
    NAME = "name"  # details of who is responsible, added later (tags from an hourly budget)


class TokenKind(StrEnum):
    WORK = "work"
    WAIT = "wait"


class Refusal(StrEnum):
    """Why a proof was not accepted; the apps turn each into a plain message."""

    MISSING = "missing"
    MALFORMED = "malformed"
    TAMPERED = "tampered"
    EXPIRED = "expired"
    WRONG_PURPOSE = "wrong_purpose"
    TOO_EASY = "too_easy"
    WRONG_ANSWER = "wrong_answer"
    NOT_YET = "not_yet"
    SPENT = "spent"


class ProofRefused(Exception):
    def __init__(self, reason: Refusal, token: Token | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.token = token


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    purpose: ProofPurpose
    bits: int
    not_before: int
    expires_at: int
    nonce: str  # hex; the id a spent token is remembered by
    text: str  # the whole token as sent

    @property
    def seed(self) -> bytes:
        return hashlib.sha256(self.text.encode("ascii")).digest()


def _mac(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()[:MAC_BYTES].hex()


def _issue(
    key: bytes,
    kind: TokenKind,
    purpose: ProofPurpose,
    *,
    bits: int,
    not_before: int,
    expires_at: int,
    nonce: bytes | None,
) -> str:
    nonce_hex = (nonce if nonce is not None else secrets.token_bytes(NONCE_BYTES)).hex()
    body = ".".join(
        [VERSION, kind.value, purpose.value, str(bits), str(not_before), str(expires_at), nonce_hex]
    )
    return f"{body}.{_mac(key, body)}"


def issue_challenge(
    key: bytes,
    purpose: ProofPurpose,
    *,
    bits: int,
    now: float,
    ttl: int,
    nonce: bytes | None = None,
) -> str:
    """A work challenge of ``bits`` leading zero bits, valid for ``ttl`` seconds."""
    if not 0 <= bits <= MAX_BITS:
        raise ValueError(f"bits must be between 0 and {MAX_BITS}")
    return _issue(
        key,
        TokenKind.WORK,
        purpose,
        bits=bits,
        not_before=int(now),
        expires_at=int(now) + ttl,
        nonce=nonce,
    )


def issue_ticket(
    key: bytes,
    purpose: ProofPurpose,
    *,
    now: float,
    wait: int,
    ttl: int,
    nonce: bytes | None = None,
) -> str:
    """A wait ticket that becomes valid ``wait`` seconds from ``now`` (its
    ``bits`` field holds the wait, so a check can ask for a long enough one)."""
    start = math.ceil(now) + wait
    return _issue(
        key,
        TokenKind.WAIT,
        purpose,
        bits=wait,
        not_before=start,
        expires_at=start + ttl,
        nonce=nonce,
    )


def parse(key: bytes, text: str) -> Token:
    """The token's fields, once its MAC is checked (MALFORMED or TAMPERED otherwise)."""
    parts = text.split(".")
    if len(parts) != 8 or parts[0] != VERSION or not text.isascii():
        raise ProofRefused(Refusal.MALFORMED)
    body, mac = text.rsplit(".", 1)
    if not hmac.compare_digest(_mac(key, body), mac):
        raise ProofRefused(Refusal.TAMPERED)
    # Signed by us, so the fields are well formed; parse them anyway.
    try:
        return Token(
            kind=TokenKind(parts[1]),
            purpose=ProofPurpose(parts[2]),
            bits=int(parts[3]),
            not_before=int(parts[4]),
            expires_at=int(parts[5]),
            nonce=parts[6],
            text=text,
        )
    except ValueError:
        raise ProofRefused(Refusal.MALFORMED) from None


def leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def work_digest(seed: bytes, counter: int) -> bytes:
    return hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()


def solves(seed: bytes, counter: int, bits: int) -> bool:
    return 0 <= counter <= MAX_COUNTER and leading_zero_bits(work_digest(seed, counter)) >= bits


def solve(token_text: str, bits: int, start: int = 0) -> int:
    """The first counter from ``start`` that solves a challenge (the reference solver)."""
    seed = hashlib.sha256(token_text.encode("ascii")).digest()
    limit = 1 << (256 - bits)
    sha = hashlib.sha256
    counter = start
    while int.from_bytes(sha(seed + counter.to_bytes(8, "big")).digest(), "big") >= limit:
        counter += 1
    return counter


def _usable(
    key: bytes, text: str, kind: TokenKind, purpose: ProofPurpose, now: float, minimum: int
) -> Token:
    """The token, if it is ours, of this kind, for ``purpose``, not expired, and
    at least ``minimum`` hard (bits for a challenge, seconds for a ticket)."""
    token = parse(key, text)
    if token.kind is not kind:
        raise ProofRefused(Refusal.MALFORMED, token)
    if token.purpose is not purpose:
        raise ProofRefused(Refusal.WRONG_PURPOSE, token)
    if now >= token.expires_at:
        raise ProofRefused(Refusal.EXPIRED, token)
    if token.bits < minimum:
        raise ProofRefused(Refusal.TOO_EASY, token)
    return token


def check_solution(
    key: bytes,
    text: str,
    counter_text: str,
    *,
    purpose: ProofPurpose,
    now: float,
    min_bits: int,
) -> Token:
    """The challenge a solution answers, if it is usable (``_usable``) and
    solved. Single use is the caller's."""
    token = _usable(key, text, TokenKind.WORK, purpose, now, min_bits)
    if not counter_text.isdigit() or len(counter_text) > 16:
        raise ProofRefused(Refusal.WRONG_ANSWER, token)
    if not solves(token.seed, int(counter_text), token.bits):
        raise ProofRefused(Refusal.WRONG_ANSWER, token)
    return token


def check_ticket(
    key: bytes, text: str, *, purpose: ProofPurpose, now: float, min_wait: int
) -> Token:
    """The wait ticket, if it is usable (``_usable``, at least ``min_wait``
    seconds) and due. Single use is the caller's."""
    token = _usable(key, text, TokenKind.WAIT, purpose, now, min_wait)
    if now < token.not_before:
        raise ProofRefused(Refusal.NOT_YET, token)
    return token


@dataclass(frozen=True)
class LoadRule:
    """How the cost rises with load: ``base_bits`` up to ``threshold`` recent
    attempts, then one more bit (twice the work, twice the wait) each time
    the count doubles, at most ``max_extra_bits`` more."""

    base_bits: int
    threshold: int
    max_extra_bits: int
    base_wait: int
    max_wait: int


def extra_bits(recent: int, rule: LoadRule) -> int:
    if recent < rule.threshold:
        return 0
    return min(rule.max_extra_bits, int(math.log2(recent / rule.threshold)) + 1)


def _extra(recent: int, rule: LoadRule, penalty_bits: int) -> int:
    """Extra bits from load and a penalty together, never more than the rule allows."""
    return min(rule.max_extra_bits, extra_bits(recent, rule) + penalty_bits)


def unit_bits(units: int) -> int:
    """Extra bits for a proof that buys ``units`` things at once (a request
    naming three details buys three tags): ``ceil(log2(units))``, so that the
    work is at least ``units`` times one proof's (2**bits hashes on average).
    Added on top of the load's extra bits, never capped by them: a busy
    server does not make a detail cheaper."""
    return max(0, units - 1).bit_length()


def difficulty(recent: int, rule: LoadRule, penalty_bits: int = 0, units: int = 1) -> int:
    return min(MAX_BITS, rule.base_bits + _extra(recent, rule, penalty_bits) + unit_bits(units))


def wait_seconds(recent: int, rule: LoadRule, penalty_bits: int = 0, units: int = 1) -> int:
    """The no-JavaScript wait: the base wait doubled with each extra bit (at most
    ``max_wait``), once for each of ``units`` things bought."""
    factor: int = 1 << _extra(recent, rule, penalty_bits)
    return min(rule.max_wait, rule.base_wait * factor) * max(1, units)
