"""Transparency-log entries: an allow-list of fields and one canonical encoding.

An entry records one decision or event in words that identify nobody: what
happened (an :class:`EventKind`), in which ISO week, at which organisation
(its public slug), to which kind of recipient, for which purpose, which
sections, the decision, the hash of the policy that made it and the rules
that fired, a count for aggregate events, and optionally a per-report
commitment. Nothing else can be put in: unknown fields and malformed values
raise :class:`EntryError` subclasses.

Canonical encoding (the leaf data of the Merkle tree)
-----------------------------------------------------
* A JSON object (RFC 8259) holding only the fields that are present; an
  absent optional field is omitted, never ``null``.
* Keys sorted by code point (they are all lowercase ASCII, so this is byte
  order); no whitespace anywhere; separators ``,`` and ``:``.
* Values are ASCII strings drawn from fixed alphabets (so no escape sequence
  ever appears), non-negative integers in shortest decimal form (no sign,
  no leading zeros, no fraction or exponent), or arrays of such strings
  sorted by code point without duplicates. There are no floats, booleans or
  nulls.
* Encoded as UTF-8 (which, given the alphabets, is plain ASCII).

``decode_entry`` accepts exactly the bytes ``encode_entry`` produces and
rejects every other spelling of the same content, so one entry has one leaf
hash.

Fields (``docs/transparency.md`` has the full table)
-----------------------------------------------------
``v`` (1), ``kind``, ``week`` are required; ``org``, ``recipient_kind``,
``purpose``, ``sections``, ``decision``, ``policy_hash``, ``rule_ids``,
``count``, and the pair ``commitment`` + ``nonce`` are optional.

Commitments
-----------
``tag = HMAC-SHA256(key, b"safereport/commitment/v1" || nonce)`` with a
fresh random 16-byte ``nonce``; the entry stores ``nonce`` (32 hex digits)
and ``tag`` as ``commitment`` (64 hex digits). Whoever holds the report's
commitment key can recognise the report's entries; without the key, tags
under fresh nonces are unlinkable to each other and to the report.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import itertools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from safereport.core.events import EventKind
from safereport.core.ledger.errors import (
    CommitmentKeyError,
    EntryInvalidValue,
    EntryNotCanonical,
    EntryUnknownField,
)
from safereport.core.vocabulary import OrgKind, Purpose, Section

ENTRY_VERSION = 1
COMMITMENT_LABEL = b"safereport/commitment/v1"
COMMITMENT_NONCE_SIZE = 16
COMMITMENT_KEY_MIN_SIZE = 32
MAX_COUNT = 2**53 - 1  # the largest integer every JSON reader holds exactly
MAX_RULE_IDS = 64
MAX_ENTRY_BYTES = 8192

_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_RULE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_SLUG_MAX = 64
_RULE_ID_MAX = 64


class Decision(StrEnum):
    """What the firewall decided."""

    ALLOW = "allow"
    DENY = "deny"


@dataclass(frozen=True, slots=True)
class Commitment:
    """A per-report commitment: a random nonce and the HMAC tag over it (both bytes)."""

    nonce: bytes
    tag: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.nonce, bytes) or len(self.nonce) != COMMITMENT_NONCE_SIZE:
            raise EntryInvalidValue(f"commitment nonce must be {COMMITMENT_NONCE_SIZE} bytes")
        if not isinstance(self.tag, bytes) or len(self.tag) != hashlib.sha256().digest_size:
            raise EntryInvalidValue("commitment tag must be 32 bytes")


def _commitment_tag(key: bytes, nonce: bytes) -> bytes:
    if not isinstance(key, bytes) or len(key) < COMMITMENT_KEY_MIN_SIZE:
        raise CommitmentKeyError(f"commitment key must be at least {COMMITMENT_KEY_MIN_SIZE} bytes")
    return hmac.new(key, COMMITMENT_LABEL + nonce, hashlib.sha256).digest()


def make_commitment(key: bytes, rng: Callable[[int], bytes]) -> Commitment:
    """A fresh commitment under ``key``; ``rng(n)`` must return ``n`` random bytes.

    Pass a cryptographic source such as ``os.urandom`` or
    ``nacl.utils.random``; tests may pass a deterministic one.
    """
    nonce = rng(COMMITMENT_NONCE_SIZE)
    if not isinstance(nonce, bytes) or len(nonce) != COMMITMENT_NONCE_SIZE:
        raise CommitmentKeyError(f"rng({COMMITMENT_NONCE_SIZE}) must return that many bytes")
    return Commitment(nonce=nonce, tag=_commitment_tag(key, nonce))


def iso_week(day: dt.date) -> str:
    """The ISO week of a date or datetime as ``YYYY-Www`` (e.g. ``2026-W47``).

    For a datetime the caller decides the zone: pass an aware datetime
    already converted to the zone the log uses (UTC).
    """
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _fail(name: str, why: str) -> EntryInvalidValue:
    return EntryInvalidValue(f"{name}: {why}")


def _check_str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(name, "must be a string")
    return value


def _check_week(value: object) -> str:
    return _check_week_text(_check_str("week", value))


@functools.lru_cache(maxsize=1024)
def _check_week_text(text: str) -> str:
    match = _WEEK.fullmatch(text)
    if match is None:
        raise _fail("week", f"must look like 2026-W47, got {text!r}")
    try:
        dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as error:
        raise _fail("week", f"{text!r} is not an ISO week") from error
    return text


def _check_enum[E: StrEnum](name: str, enum: type[E], value: object) -> E:
    text = _check_str(name, value)
    try:
        return enum(text)
    except ValueError as error:
        raise _fail(name, f"{text!r} is not one of {[m.value for m in enum]}") from error


def _check_sorted_unique(name: str, values: Sequence[str]) -> None:
    if not values:
        raise _fail(name, "must not be empty (leave the field out instead)")
    if any(a >= b for a, b in itertools.pairwise(values)):
        raise _fail(name, "must be sorted and without duplicates")


def _check_hex(name: str, value: object, pattern: re.Pattern[str]) -> bytes:
    text = _check_str(name, value)
    if pattern.fullmatch(text) is None:
        raise _fail(name, "must be lowercase hexadecimal of the right length")
    return bytes.fromhex(text)


def _check_count(value: object) -> int:
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise _fail("count", f"must be an integer in [0, {MAX_COUNT}]")
    return value


@dataclass(frozen=True, slots=True)
class Entry:
    """One transparency-log entry. Construct it with the shared enums.

    ``sections`` and ``rule_ids`` may be given in any order; they are stored
    sorted. Duplicates, unknown values and malformed strings raise
    :class:`EntryInvalidValue`.
    """

    kind: EventKind
    week: str
    org: str | None = None
    recipient_kind: OrgKind | None = None
    purpose: Purpose | None = None
    sections: tuple[Section, ...] | None = None
    decision: Decision | None = None
    policy_hash: bytes | None = None
    rule_ids: tuple[str, ...] | None = None
    count: int | None = None
    commitment: Commitment | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _check_enum("kind", EventKind, self.kind))
        _check_week(self.week)
        if self.org is not None:
            org = _check_str("org", self.org)
            if len(org) > _SLUG_MAX or _SLUG.fullmatch(org) is None:
                raise _fail("org", f"must be a public slug like 'southall-black-sisters': {org!r}")
        if self.recipient_kind is not None:
            object.__setattr__(
                self, "recipient_kind", _check_enum("recipient_kind", OrgKind, self.recipient_kind)
            )
        if self.purpose is not None:
            object.__setattr__(self, "purpose", _check_enum("purpose", Purpose, self.purpose))
        if self.sections is not None:
            sections = [_check_enum("sections", Section, s) for s in self.sections]
            if len(set(sections)) != len(sections):
                raise _fail("sections", "must not repeat a section")
            object.__setattr__(self, "sections", tuple(sorted(sections)))
            _check_sorted_unique("sections", [s.value for s in self.sections])
        if self.decision is not None:
            object.__setattr__(self, "decision", _check_enum("decision", Decision, self.decision))
        if self.policy_hash is not None and (
            not isinstance(self.policy_hash, bytes) or len(self.policy_hash) != 32
        ):
            raise _fail("policy_hash", "must be 32 bytes (a SHA-256 digest)")
        if self.rule_ids is not None:
            if isinstance(self.rule_ids, str) or len(self.rule_ids) > MAX_RULE_IDS:
                raise _fail("rule_ids", f"must be a sequence of at most {MAX_RULE_IDS} ids")
            ids = [_check_str("rule_ids", r) for r in self.rule_ids]
            for rule_id in ids:
                if len(rule_id) > _RULE_ID_MAX or _RULE_ID.fullmatch(rule_id) is None:
                    raise _fail("rule_ids", f"{rule_id!r} is not a rule id")
            if len(set(ids)) != len(ids):
                raise _fail("rule_ids", "must not repeat an id")
            object.__setattr__(self, "rule_ids", tuple(sorted(ids)))
            _check_sorted_unique("rule_ids", list(self.rule_ids))
        if self.count is not None:
            _check_count(self.count)
        if self.commitment is not None and not isinstance(self.commitment, Commitment):
            raise _fail("commitment", "must be a Commitment")

    def to_json_dict(self) -> dict[str, Any]:
        """The entry as a JSON-ready dict holding only the present fields."""
        obj: dict[str, Any] = {"v": ENTRY_VERSION, "kind": str(self.kind), "week": self.week}
        if self.org is not None:
            obj["org"] = self.org
        if self.recipient_kind is not None:
            obj["recipient_kind"] = str(self.recipient_kind)
        if self.purpose is not None:
            obj["purpose"] = str(self.purpose)
        if self.sections is not None:
            obj["sections"] = [str(s) for s in self.sections]
        if self.decision is not None:
            obj["decision"] = str(self.decision)
        if self.policy_hash is not None:
            obj["policy_hash"] = self.policy_hash.hex()
        if self.rule_ids is not None:
            obj["rule_ids"] = list(self.rule_ids)
        if self.count is not None:
            obj["count"] = self.count
        if self.commitment is not None:
            obj["nonce"] = self.commitment.nonce.hex()
            obj["commitment"] = self.commitment.tag.hex()
        return obj

    @classmethod
    def from_json_dict(cls, obj: object) -> Entry:
        """Parse a decoded JSON object strictly: allow-listed keys, exact types."""
        if not isinstance(obj, dict):
            raise EntryInvalidValue("an entry must be a JSON object")
        unknown = sorted(set(obj) - _FIELDS)
        if unknown:
            raise EntryUnknownField(f"fields not allowed in a log entry: {unknown}")
        for required in ("v", "kind", "week"):
            if required not in obj:
                raise EntryInvalidValue(f"{required}: missing")
        if type(obj["v"]) is not int or obj["v"] != ENTRY_VERSION:
            raise _fail("v", f"must be {ENTRY_VERSION}")
        if ("nonce" in obj) != ("commitment" in obj):
            raise _fail("commitment", "commitment and nonce come together or not at all")

        def str_list(name: str) -> list[str] | None:
            value = obj.get(name)
            if value is None:
                return None
            if not isinstance(value, list):
                raise _fail(name, "must be a list")
            items = [_check_str(name, item) for item in value]
            _check_sorted_unique(name, items)
            return items

        for key, value in obj.items():
            if value is None:
                raise _fail(key, "must not be null (leave the field out instead)")
        sections = str_list("sections")
        rule_ids = str_list("rule_ids")
        commitment = None
        if "commitment" in obj:
            commitment = Commitment(
                nonce=_check_hex("nonce", obj["nonce"], _HEX32),
                tag=_check_hex("commitment", obj["commitment"], _HEX64),
            )
        return cls(
            kind=_check_enum("kind", EventKind, obj["kind"]),
            week=_check_week(obj["week"]),
            org=_check_str("org", obj["org"]) if "org" in obj else None,
            recipient_kind=(
                _check_enum("recipient_kind", OrgKind, obj["recipient_kind"])
                if "recipient_kind" in obj
                else None
            ),
            purpose=_check_enum("purpose", Purpose, obj["purpose"]) if "purpose" in obj else None,
            sections=(
                tuple(_check_enum("sections", Section, s) for s in sections)
                if sections is not None
                else None
            ),
            decision=(
                _check_enum("decision", Decision, obj["decision"]) if "decision" in obj else None
            ),
            policy_hash=(
                _check_hex("policy_hash", obj["policy_hash"], _HEX64)
                if "policy_hash" in obj
                else None
            ),
            rule_ids=tuple(rule_ids) if rule_ids is not None else None,
            count=_check_count(obj["count"]) if "count" in obj else None,
            commitment=commitment,
        )


_FIELDS = frozenset(
    {
        "v",
        "kind",
        "week",
        "org",
        "recipient_kind",
        "purpose",
        "sections",
        "decision",
        "policy_hash",
        "rule_ids",
        "count",
        "commitment",
        "nonce",
    }
)


def encode_entry(entry: Entry) -> bytes:
    """The canonical bytes of an entry: the leaf data hashed into the tree."""
    return _ENCODER.encode(entry.to_json_dict()).encode("utf-8")


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise EntryNotCanonical(f"key {key!r} appears twice")
        obj[key] = value
    return obj


def _reject_float(text: str) -> Any:
    raise EntryInvalidValue(f"numbers in entries are integers, got {text!r}")


_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
)
_DECODER = json.JSONDecoder(
    object_pairs_hook=_reject_duplicates,
    parse_float=_reject_float,
    parse_constant=_reject_float,
)


def decode_entry(data: bytes) -> Entry:
    """Parse canonical entry bytes; reject anything that is not exactly canonical."""
    if not isinstance(data, bytes):
        raise EntryInvalidValue("entry data must be bytes")
    if len(data) > MAX_ENTRY_BYTES:
        raise EntryInvalidValue(f"entry is longer than {MAX_ENTRY_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise EntryNotCanonical("entry is not UTF-8") from error
    try:
        obj = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise EntryNotCanonical(f"entry is not JSON: {error}") from error
    entry = Entry.from_json_dict(obj)
    if encode_entry(entry) != data:
        raise EntryNotCanonical("entry is not in canonical form (key order, spacing, escapes)")
    return entry


_COMMITMENT_VALUE = re.compile(rb'"commitment":"[0-9a-f]{64}"')
_NONCE_VALUE = re.compile(rb'"nonce":"[0-9a-f]{32}"')
_ZERO_COMMITMENT = b'"commitment":"' + b"0" * 64 + b'"'
_ZERO_NONCE = b'"nonce":"' + b"0" * 32 + b'"'


def check_entry(data: bytes) -> None:
    """Raise what :func:`decode_entry` raises for ``data``, and nothing otherwise; fast.

    For verifying a whole log: entries differ from one another mostly in
    their commitment and nonce, so those (when they are well-formed hex
    of the right length, which is all that is checked of them) are set to
    zeros and the rest is checked once per distinct shape.
    """
    if not isinstance(data, bytes):
        raise EntryInvalidValue("entry data must be bytes")
    shape = _NONCE_VALUE.sub(_ZERO_NONCE, _COMMITMENT_VALUE.sub(_ZERO_COMMITMENT, data, 1), 1)
    _check_shape(shape)


@functools.lru_cache(maxsize=4096)
def _check_shape(shape: bytes) -> None:
    decode_entry(shape)


def matches_commitment(key: bytes, entry: Entry) -> bool:
    """Whether ``entry`` carries a commitment made under ``key`` (constant-time compare)."""
    if entry.commitment is None:
        _commitment_tag(key, b"")  # still reject an unusable key
        return False
    expected = _commitment_tag(key, entry.commitment.nonce)
    return hmac.compare_digest(expected, entry.commitment.tag)


def find_committed(key: bytes, entries: Iterable[tuple[int, Entry]]) -> list[int]:
    """The indexes of the entries whose commitment was made under ``key``.

    ``entries`` yields ``(index, entry)`` pairs, e.g. ``enumerate(entries)``.
    """
    return [index for index, entry in entries if matches_commitment(key, entry)]


def entries_page_to_json(start: int, entries: Sequence[bytes]) -> dict[str, Any]:
    """The JSON shape of ``/transparency/entries``: ``{"start": i, "entries": [text, ...]}``.

    Each element is the canonical entry as a JSON string; its UTF-8 bytes are
    exactly the leaf data, so a verifier hashes them without re-encoding.
    """
    if type(start) is not int or start < 0:
        raise EntryInvalidValue("start must be a non-negative integer")
    return {"start": start, "entries": [data.decode("utf-8") for data in entries]}


def entries_page_from_json(obj: object) -> tuple[int, list[bytes]]:
    """Parse ``entries_page_to_json`` output into ``(start, [entry bytes, ...])``.

    Only the shape is checked here; decode each entry with ``decode_entry``
    (``audit_log`` does) to check the entries themselves.
    """
    if not isinstance(obj, dict) or set(obj) != {"start", "entries"}:
        raise EntryInvalidValue('an entries page is {"start": int, "entries": [str, ...]}')
    start, texts = obj["start"], obj["entries"]
    if type(start) is not int or start < 0:
        raise EntryInvalidValue("start must be a non-negative integer")
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise EntryInvalidValue("entries must be a list of strings")
    return start, [text.encode("utf-8") for text in texts]
