"""Log entries: the allow-list, the one canonical encoding, and commitments."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safereport.core.events import EventKind
from safereport.core.ledger import (
    COMMITMENT_LABEL,
    Commitment,
    CommitmentKeyError,
    Decision,
    Entry,
    EntryError,
    EntryInvalidValue,
    EntryNotCanonical,
    EntryUnknownField,
    check_entry,
    decode_entry,
    encode_entry,
    entries_page_from_json,
    entries_page_to_json,
    find_committed,
    iso_week,
    make_commitment,
    matches_commitment,
)
from safereport.core.vocabulary import OrgKind, Purpose, Section

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
POLICY = hashlib.sha256(b"policy text").digest()


def counter_rng(seed: int = 0) -> random.Random:
    return random.Random(seed)


def test_a_full_entry_has_exactly_this_encoding() -> None:
    entry = Entry(
        kind=EventKind.REFERRAL_SENT,
        week="2026-W47",
        org="southall-black-sisters",
        recipient_kind=OrgKind.POLICE_FORCE,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=(Section.PERPETRATOR, Section.INCIDENT),
        decision=Decision.ALLOW,
        policy_hash=POLICY,
        rule_ids=("permit-consented", "forbid-immigration"),
        count=3,
        commitment=Commitment(nonce=bytes(16), tag=bytes(range(32))),
    )
    expected = (
        '{"commitment":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",'
        '"count":3,"decision":"allow","kind":"referral_sent",'
        '"nonce":"00000000000000000000000000000000","org":"southall-black-sisters",'
        f'"policy_hash":"{POLICY.hex()}","purpose":"crime_investigation",'
        '"recipient_kind":"police_force",'
        '"rule_ids":["forbid-immigration","permit-consented"],'
        '"sections":["incident","perpetrator"],"v":1,"week":"2026-W47"}'
    ).encode()
    assert encode_entry(entry) == expected
    assert decode_entry(expected) == entry


def test_a_minimal_entry_omits_absent_fields() -> None:
    entry = Entry(kind=EventKind.ORGANISATION_CREATED, week="2026-W01")
    assert encode_entry(entry) == b'{"kind":"organisation_created","v":1,"week":"2026-W01"}'


_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_slugs = st.lists(st.text(_ALNUM, min_size=1, max_size=8), min_size=1, max_size=4).map("-".join)
_rule_ids = st.tuples(
    st.text(_ALNUM + "XYZ", min_size=1, max_size=1), st.text(_ALNUM + "_.:-A", max_size=20)
).map("".join)
_weeks = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)).map(iso_week)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    def maybe[T](strategy: st.SearchStrategy[T]) -> T | None:
        return draw(st.none() | strategy)

    commitment = None
    if draw(st.booleans()):
        commitment = Commitment(nonce=draw(st.binary(min_size=16, max_size=16)), tag=bytes(32))
    return Entry(
        kind=draw(st.sampled_from(EventKind)),
        week=draw(_weeks),
        org=maybe(_slugs),
        recipient_kind=maybe(st.sampled_from(OrgKind)),
        purpose=maybe(st.sampled_from(Purpose)),
        sections=maybe(st.sets(st.sampled_from(Section), min_size=1).map(tuple)),
        decision=maybe(st.sampled_from(Decision)),
        policy_hash=maybe(st.binary(min_size=32, max_size=32)),
        rule_ids=maybe(st.sets(_rule_ids, min_size=1, max_size=5).map(tuple)),
        count=maybe(st.integers(0, 2**53 - 1)),
        commitment=commitment,
    )


@settings(max_examples=150, deadline=None)
@given(entries())
def test_encoding_round_trips_and_is_canonical_json(entry: Entry) -> None:
    data = encode_entry(entry)
    assert decode_entry(data) == entry
    parsed = json.loads(data)
    assert list(parsed) == sorted(parsed)
    assert data == json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode()
    assert data.isascii()
    assert b" " not in data and b"\\" not in data


@settings(max_examples=150, deadline=None)
@given(entries(), st.data())
def test_changing_any_byte_is_rejected_or_changes_the_entry(
    entry: Entry, data: st.DataObject
) -> None:
    encoded = bytearray(encode_entry(entry))
    position = data.draw(st.integers(0, len(encoded) - 1))
    replacement = data.draw(st.integers(0, 255).filter(lambda b: b != encoded[position]))
    encoded[position] = replacement
    try:
        decoded = decode_entry(bytes(encoded))
    except EntryError as error:
        # The verifier's fast check (shapes cached, commitment and nonce set aside) agrees.
        with pytest.raises(type(error)):
            check_entry(bytes(encoded))
        return
    check_entry(bytes(encoded))
    assert decoded != entry
    assert encode_entry(decoded) == bytes(encoded)


def test_lists_are_stored_sorted_whatever_order_they_come_in() -> None:
    one = Entry(
        kind=EventKind.REFERRAL_SENT,
        week="2026-W47",
        sections=(Section.SUPPORT_NEEDS, Section.CONTACT),
        rule_ids=("b", "a"),
    )
    two = Entry(
        kind=EventKind.REFERRAL_SENT,
        week="2026-W47",
        sections=(Section.CONTACT, Section.SUPPORT_NEEDS),
        rule_ids=("a", "b"),
    )
    assert one == two
    assert encode_entry(one) == encode_entry(two)
    assert one.sections == (Section.CONTACT, Section.SUPPORT_NEEDS)


BASE = b'{"kind":"organisation_created","v":1,"week":"2026-W47"}'


@pytest.mark.parametrize(
    "data",
    [
        b'{"kind":"organisation_created","name":"Ana","v":1,"week":"2026-W47"}',
        b'{"ip":"10.0.0.1","kind":"organisation_created","v":1,"week":"2026-W47"}',
        b'{"email":"a@b.c","kind":"organisation_created","v":1,"week":"2026-W47"}',
    ],
)
def test_unknown_fields_are_refused(data: bytes) -> None:
    with pytest.raises(EntryUnknownField):
        decode_entry(data)
    with pytest.raises(EntryUnknownField):
        Entry.from_json_dict(json.loads(data))


@pytest.mark.parametrize(
    "data",
    [
        b'{"kind":"organisation_created","v":1,"week":"2026-W54"}',
        b'{"kind":"organisation_created","v":1,"week":"2021-W53"}',  # 2021 had 52 weeks
        b'{"kind":"organisation_created","v":1,"week":"2026-47"}',
        b'{"kind":"organisation_created","v":1,"week":"2026-11-21"}',
        b'{"kind":"made_up_event","v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","v":2,"week":"2026-W47"}',
        b'{"kind":"organisation_created","v":true,"week":"2026-W47"}',
        b'{"kind":"organisation_created","week":"2026-W47"}',
        b'{"kind":"organisation_created","v":1}',
        b'{"count":1.0,"kind":"organisation_created","v":1,"week":"2026-W47"}',
        b'{"count":-1,"kind":"organisation_created","v":1,"week":"2026-W47"}',
        b'{"count":true,"kind":"organisation_created","v":1,"week":"2026-W47"}',
        b'{"count":"3","kind":"organisation_created","v":1,"week":"2026-W47"}',
        b'{"count":9007199254740992,"kind":"organisation_created","v":1,"week":"2026-W47"}',
        b'{"count":NaN,"kind":"organisation_created","v":1,"week":"2026-W47"}',
        b'{"decision":"maybe","kind":"organisation_created","v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","org":"Kalayaan","v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","org":"a b","v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","org":"-lead","v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","org":null,"v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","purpose":"curiosity","v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","recipient_kind":"journalist","v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","sections":[],"v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","sections":"incident","v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","sections":["passport"],"v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","sections":["incident","incident"],"v":1,'
        b'"week":"2026-W47"}',
        b'{"kind":"organisation_created","policy_hash":"ABCD","v":1,"week":"2026-W47"}',
        b'{"kind":"organisation_created","rule_ids":["has space"],"v":1,"week":"2026-W47"}',
        b'{"commitment":"' + b"0" * 64 + b'","kind":"organisation_created","v":1,'
        b'"week":"2026-W47"}',
        b'{"commitment":"' + b"0" * 64 + b'","kind":"organisation_created","nonce":"00",'
        b'"v":1,"week":"2026-W47"}',
        b"[]",
        b'"entry"',
    ],
)
def test_malformed_values_are_refused(data: bytes) -> None:
    with pytest.raises(EntryInvalidValue):
        decode_entry(data)
    with pytest.raises(EntryInvalidValue):
        check_entry(data)


@pytest.mark.parametrize(
    "data",
    [
        b'{"v":1,"kind":"organisation_created","week":"2026-W47"}',  # key order
        b'{"kind": "organisation_created","v":1,"week":"2026-W47"}',  # whitespace
        BASE + b"\n",
        b'{"kind":"organisation_creat\\u0065d","v":1,"week":"2026-W47"}',  # escape
        b'{"kind":"organisation_created","v":1,"week":"2026-W47","week":"2026-W47"}',
        b'{"kind":"organisation_created","v":01,"week":"2026-W47"}',
        b"\xff" + BASE,
        b"{not json",
    ],
)
def test_non_canonical_spellings_are_refused(data: bytes) -> None:
    with pytest.raises(EntryNotCanonical):
        decode_entry(data)
    with pytest.raises(EntryNotCanonical):
        check_entry(data)


@settings(max_examples=150, deadline=None)
@given(entries())
def test_the_fast_check_accepts_every_valid_entry(entry: Entry) -> None:
    check_entry(encode_entry(entry))


def test_the_fast_check_still_checks_commitment_and_nonce() -> None:
    body = b'","kind":"organisation_created","nonce":"'
    good = b'{"commitment":"' + b"a" * 64 + body + b"b" * 32 + b'","v":1,"week":"2026-W47"}'
    check_entry(good)
    for bad in (
        good.replace(b"a" * 64, b"A" * 64),
        good.replace(b"b" * 32, b"b" * 31),
        good.replace(b"a" * 64, b"a" * 63 + b"g"),
    ):
        with pytest.raises(EntryInvalidValue):
            check_entry(bad)


def test_unsorted_lists_are_refused_on_the_wire() -> None:
    data = (
        b'{"kind":"organisation_created","sections":["perpetrator","incident"],'
        b'"v":1,"week":"2026-W47"}'
    )
    with pytest.raises(EntryInvalidValue):
        decode_entry(data)


def test_constructor_refuses_bad_values_too() -> None:
    with pytest.raises(EntryInvalidValue):
        Entry(kind="nope", week="2026-W47")
    with pytest.raises(EntryInvalidValue):
        Entry(kind=EventKind.REFERRAL_SENT, week="2026-W47", policy_hash=b"short")
    with pytest.raises(EntryInvalidValue):
        Entry(kind=EventKind.REFERRAL_SENT, week="2026-W47", sections=(Section.INCIDENT,) * 2)
    with pytest.raises(EntryInvalidValue):
        Entry(kind=EventKind.REFERRAL_SENT, week="2026-W47", rule_ids="abc")
    with pytest.raises(EntryInvalidValue):
        Commitment(nonce=b"short", tag=bytes(32))


def test_iso_week() -> None:
    assert iso_week(dt.date(2026, 11, 21)) == "2026-W47"
    assert iso_week(dt.date(2021, 1, 3)) == "2020-W53"  # belongs to the previous ISO year
    assert iso_week(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)) == "2026-W01"


def test_commitments_let_the_key_holder_find_their_entries_only() -> None:
    rng = counter_rng()
    mine = [make_commitment(KEY, rng.randbytes) for _ in range(3)]
    theirs = make_commitment(OTHER_KEY, rng.randbytes)
    log = [
        Entry(kind=EventKind.REFERRAL_SENT, week="2026-W47", commitment=mine[0]),
        Entry(kind=EventKind.REFERRAL_SENT, week="2026-W47", commitment=theirs),
        Entry(kind=EventKind.REFERRAL_SENT, week="2026-W47"),
        Entry(kind=EventKind.REFERRAL_ACCEPTED, week="2026-W48", commitment=mine[1]),
        Entry(kind=EventKind.REFERRAL_CLOSED, week="2026-W49", commitment=mine[2]),
    ]
    assert find_committed(KEY, enumerate(log)) == [0, 3, 4]
    assert find_committed(OTHER_KEY, enumerate(log)) == [1]
    assert matches_commitment(KEY, decode_entry(encode_entry(log[3])))
    # Fresh nonces make the tags of one report unrelated to each other.
    assert len({c.nonce for c in mine}) == 3
    assert len({c.tag for c in mine}) == 3
    # The tag is exactly the documented HMAC.
    expected = hmac.new(KEY, COMMITMENT_LABEL + mine[0].nonce, hashlib.sha256).digest()
    assert mine[0].tag == expected
    # A changed tag or nonce no longer matches.
    forged = Commitment(nonce=mine[0].nonce, tag=bytes(32))
    assert not matches_commitment(
        KEY, Entry(EventKind.REFERRAL_SENT, "2026-W47", commitment=forged)
    )


def test_commitment_keys_and_nonce_sources_are_checked() -> None:
    with pytest.raises(CommitmentKeyError):
        make_commitment(b"short key", counter_rng().randbytes)
    with pytest.raises(CommitmentKeyError):
        make_commitment(KEY, lambda n: b"\x00" * (n - 1))
    with pytest.raises(CommitmentKeyError):
        matches_commitment(b"", Entry(kind=EventKind.REFERRAL_SENT, week="2026-W47"))


def test_entries_page_json_carries_the_exact_bytes() -> None:
    datas = [
        encode_entry(Entry(kind=EventKind.REFERRAL_SENT, week="2026-W47", count=i))
        for i in range(3)
    ]
    page = entries_page_to_json(10, datas)
    text = json.dumps(page)
    assert entries_page_from_json(json.loads(text)) == (10, datas)
    bad: object
    for bad in ({"start": -1, "entries": []}, {"start": 0, "entries": [1]}, {"entries": []}):
        with pytest.raises(EntryInvalidValue):
            entries_page_from_json(bad)


def test_plain_strings_become_the_shared_enums() -> None:
    entry = Entry(
        kind="referral_sent",
        week="2026-W47",
        recipient_kind="police_force",
        purpose="safeguarding",
        sections=("incident",),
        decision="deny",
    )
    assert entry.kind is EventKind.REFERRAL_SENT
    assert entry.recipient_kind is OrgKind.POLICE_FORCE
    assert entry.purpose is Purpose.SAFEGUARDING
    assert entry.sections == (Section.INCIDENT,)
    assert entry.decision is Decision.DENY
