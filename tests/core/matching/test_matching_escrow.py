"""The escrow with real crypto: two entries open, one does not, different tags never combine."""

from __future__ import annotations

import dataclasses
import secrets

import pytest

from safereport.core.matching import (
    MatchingKey,
    NoMatch,
    PayloadTooLong,
    SealedEntry,
    new_matching_key,
    normalise_business_line,
    normalise_phone,
    open_entry,
    open_pair,
    recover_secret,
    seal_entry,
)
from safereport.core.matching.escrow import PRIME, SEALED_BYTES


@pytest.fixture
def key() -> MatchingKey:
    return MatchingKey(new_matching_key())


def test_two_reports_naming_one_employer_open_each_other(key: MatchingKey) -> None:
    first = seal_entry(
        key.tag(normalise_business_line("A-1 Cleaning Ltd, E1 6AN")),
        holder=b"report-1",
        payload=b"report 1 at org a",
    )
    second = seal_entry(
        key.tag(normalise_business_line("a1 cleaning limited e16an")),
        holder=b"report-2",
        payload=b"report 2 at org b",
    )
    assert first.index == second.index
    assert open_pair(first, second) == (b"report 1 at org a", b"report 2 at org b")
    assert open_pair(second, first) == (b"report 2 at org b", b"report 1 at org a")


def test_any_two_of_three_entries_open(key: MatchingKey) -> None:
    tag = key.tag(normalise_phone("07700 900123"))
    entries = [seal_entry(tag, holder=bytes([n]), payload=bytes([n]) * 3) for n in range(3)]
    for i in range(3):
        for j in range(3):
            if i != j:
                assert open_pair(entries[i], entries[j]) == (bytes([i]) * 3, bytes([j]) * 3)


def test_one_entry_alone_does_not_open_even_with_the_matching_key(key: MatchingKey) -> None:
    entry = seal_entry(
        key.tag(normalise_phone("07700 900123")), holder=b"report-1", payload=b"secret payload"
    )
    # The holder of the database and the key tries the obvious: wrong guesses of the
    # identifier, forged partner points on its index, and the point itself as a key.
    for guess in ["07700 900124", "07700 900122", "+44 20 7946 0000"]:
        wrong = key.tag(normalise_phone(guess))
        with pytest.raises(NoMatch):
            open_entry(wrong.secret(), entry)
        forged = seal_entry(wrong, holder=b"attacker", payload=b"x")
        with pytest.raises(NoMatch):
            open_pair(entry, dataclasses.replace(forged, index=entry.index))
    for _ in range(20):
        partner = SealedEntry(
            index=entry.index,
            x=(secrets.randbelow(PRIME - 1) + 1).to_bytes(32, "big"),
            y=secrets.randbelow(PRIME).to_bytes(32, "big"),
            sealed=entry.sealed,
        )
        with pytest.raises(NoMatch):
            open_pair(entry, partner)
    for candidate in (int.from_bytes(entry.x, "big"), int.from_bytes(entry.y, "big"), 0):
        with pytest.raises(NoMatch):
            open_entry(candidate, entry)
    # ... and no payload text is in what the database stores.
    stored = entry.index + entry.x + entry.y + entry.sealed
    assert b"secret payload" not in stored
    assert len(entry.sealed) == SEALED_BYTES


def test_one_point_is_consistent_with_every_secret(key: MatchingKey) -> None:
    """Shamir, threshold 2: for any secret an attacker picks there is a line through the
    stored point, so the point alone cannot prefer the true one."""
    entry = seal_entry(key.tag(normalise_phone("07700 900123")), holder=b"r", payload=b"p")
    x, y = int.from_bytes(entry.x, "big"), int.from_bytes(entry.y, "big")
    for candidate in (1, 2, secrets.randbelow(PRIME)):
        slope = (y - candidate) * pow(x, -1, PRIME) % PRIME
        assert (slope * x + candidate) % PRIME == y


def test_different_tags_never_combine(key: MatchingKey) -> None:
    first = seal_entry(
        key.tag(normalise_business_line("A1 Cleaning Ltd, E1 6AN")), holder=b"1", payload=b"one"
    )
    second = seal_entry(
        key.tag(normalise_business_line("A1 Cleaning Ltd, E1 6AB")), holder=b"2", payload=b"two"
    )
    assert first.index != second.index
    with pytest.raises(NoMatch):
        open_pair(first, second)
    # even when the index is forged to agree, the points lie on different lines
    with pytest.raises(NoMatch):
        open_pair(first, dataclasses.replace(second, index=first.index))


def test_one_report_naming_an_identifier_twice_never_matches_itself(key: MatchingKey) -> None:
    tag = key.tag(normalise_phone("07700 900123"))
    once = seal_entry(tag, holder=b"report-1", payload=b"a")
    again = seal_entry(tag, holder=b"report-1", payload=b"b")
    assert (once.x, once.y) == (again.x, again.y)
    with pytest.raises(NoMatch):
        open_pair(once, again)


def test_another_matching_key_gives_other_tags() -> None:
    identifier = normalise_phone("07700 900123")
    one, other = MatchingKey(new_matching_key()), MatchingKey(new_matching_key())
    first = seal_entry(one.tag(identifier), holder=b"1", payload=b"one")
    second = seal_entry(other.tag(identifier), holder=b"2", payload=b"two")
    assert first.index != second.index
    with pytest.raises(NoMatch):
        open_pair(first, dataclasses.replace(second, index=first.index))


def test_tampered_entries_open_nothing(key: MatchingKey) -> None:
    tag = key.tag(normalise_phone("07700 900123"))
    first = seal_entry(tag, holder=b"1", payload=b"one")
    second = seal_entry(tag, holder=b"2", payload=b"two")
    flipped = bytearray(second.sealed)
    flipped[-1] ^= 1
    with pytest.raises(NoMatch):
        open_pair(first, dataclasses.replace(second, sealed=bytes(flipped)))
    with pytest.raises(NoMatch):
        open_pair(first, dataclasses.replace(second, y=(PRIME + 1).to_bytes(32, "big")))


def test_payload_lengths_are_hidden_and_bounded(key: MatchingKey) -> None:
    tag = key.tag(normalise_phone("07700 900123"))
    short = seal_entry(tag, holder=b"1", payload=b"")
    long = seal_entry(tag, holder=b"2", payload=b"x" * 150)
    assert len(short.sealed) == len(long.sealed)
    with pytest.raises(PayloadTooLong):
        seal_entry(tag, holder=b"3", payload=b"x" * 1000)


def test_keys_and_tags_do_not_print_themselves() -> None:
    raw = new_matching_key()
    key = MatchingKey(raw)
    tag = key.tag(normalise_phone("07700 900123"))
    assert raw.hex() not in repr(key)
    assert tag.value.hex() not in repr(tag)
    with pytest.raises(ValueError):
        MatchingKey(b"short")


def test_recovered_secret_is_the_tags(key: MatchingKey) -> None:
    tag = key.tag(normalise_phone("07700 900123"))
    a = seal_entry(tag, holder=b"1", payload=b"")
    b = seal_entry(tag, holder=b"2", payload=b"")
    assert recover_secret(a, b) == tag.secret()
