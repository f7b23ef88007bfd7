"""Sealing for a browser: only its key, for the same slot and purpose, opens it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safereport.core.crypto import DecryptionFailed, custody


def test_the_browsers_key_opens_what_was_sealed_and_the_seal_hides_it():
    key, slot = custody.new_wrapping_key(), custody.new_slot_id()
    sealed = custody.seal_for_browser(key, b"canary 4417", slot=slot, purpose="draft")
    assert b"canary 4417" not in sealed
    assert custody.open_for_browser(key, sealed, slot=slot, purpose="draft") == b"canary 4417"


@pytest.mark.parametrize(
    ("key", "slot", "purpose"),
    [
        ("other", "same", "draft"),  # another browser's key
        ("same", "other", "draft"),  # moved to another slot
        ("same", "same", "staff-key"),  # read as another purpose
    ],
)
def test_another_key_slot_or_purpose_opens_nothing(key, slot, purpose):
    own_key, own_slot = custody.new_wrapping_key(), custody.new_slot_id()
    sealed = custody.seal_for_browser(own_key, b"secret", slot=own_slot, purpose="draft")
    with pytest.raises(DecryptionFailed):
        custody.open_for_browser(
            own_key if key == "same" else custody.new_wrapping_key(),
            sealed,
            slot=own_slot if slot == "same" else custody.new_slot_id(),
            purpose=purpose,
        )


def test_an_altered_seal_opens_nothing():
    key, slot = custody.new_wrapping_key(), custody.new_slot_id()
    sealed = bytearray(custody.seal_for_browser(key, b"secret", slot=slot, purpose="receipt"))
    sealed[-1] ^= 1
    with pytest.raises(DecryptionFailed):
        custody.open_for_browser(key, bytes(sealed), slot=slot, purpose="receipt")


def test_each_seal_and_each_key_and_slot_are_new():
    key, slot = custody.new_wrapping_key(), custody.new_slot_id()
    assert custody.seal_for_browser(key, b"x", slot=slot, purpose="p") != custody.seal_for_browser(
        key, b"x", slot=slot, purpose="p"
    )
    assert (
        custody.new_wrapping_key() != custody.new_wrapping_key()
        and custody.new_slot_id() != custody.new_slot_id()
    )


def test_the_cookie_carries_the_key_and_back():
    key = custody.new_wrapping_key()
    value = custody.wrapping_key_to_cookie(key)
    assert value.isascii() and ";" not in value and "=" not in value
    assert custody.wrapping_key_from_cookie(value) == key


@given(st.one_of(st.none(), st.text(max_size=200)))
def test_any_cookie_value_gives_a_32_byte_key_or_none(value):
    found = custody.wrapping_key_from_cookie(value)
    assert found is None or len(found) == 32


@pytest.mark.parametrize("value", ["", "short", "!" * 43, "A" * 44 + "==", "A" * 200])
def test_malformed_cookies_give_no_key(value):
    assert custody.wrapping_key_from_cookie(value) is None
