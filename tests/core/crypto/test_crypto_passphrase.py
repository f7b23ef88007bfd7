"""Receipt passphrases: the word list, entropy, generation and normalisation."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safereport.core.crypto import (
    PASSPHRASE_WORDS,
    MalformedPassphrase,
    new_passphrase,
    normalise_passphrase,
    passphrase_entropy_bits,
    wordlist,
)

WORDS = wordlist()


def test_list_has_8192_distinct_sorted_short_lowercase_words() -> None:
    assert len(WORDS) == 8192
    assert len(set(WORDS)) == len(WORDS)
    assert list(WORDS) == sorted(WORDS)
    assert all(re.fullmatch(r"[a-z]{3,8}", w) for w in WORDS)


def test_entropy_is_exactly_91_bits_and_above_80() -> None:
    assert passphrase_entropy_bits() == 91.0
    assert passphrase_entropy_bits() == PASSPHRASE_WORDS * math.log2(len(WORDS))
    assert passphrase_entropy_bits() > 80


def test_entropy_counts_distinct_words_only() -> None:
    assert passphrase_entropy_bits(["a", "a", "b", "b"]) == PASSPHRASE_WORDS * 1.0


@pytest.mark.parametrize(
    "word",
    ["visa", "passport", "police", "kill", "rape", "escape", "divorce", "fuck", "refugee"],
)
def test_list_leaves_out_upsetting_and_revealing_words(word: str) -> None:
    assert word not in WORDS


def test_list_keeps_one_spelling_of_common_homophones() -> None:
    assert not {"night", "knight"} <= set(WORDS)
    assert not {"whole", "hole"} <= set(WORDS)


def test_new_passphrase_draws_seven_words_with_the_given_randomness() -> None:
    calls: list[int] = []

    def fixed(n: int) -> int:
        calls.append(n)
        return len(calls) - 1

    phrase = new_passphrase(fixed)
    assert calls == [8192] * 7
    assert phrase == " ".join(WORDS[:7])


def test_new_passphrase_default_is_random_and_valid() -> None:
    phrases = {new_passphrase() for _ in range(50)}
    assert len(phrases) == 50
    for phrase in phrases:
        assert normalise_passphrase(phrase) == phrase


def test_normalise_forgives_case_spacing_and_separators() -> None:
    phrase = " ".join(WORDS[100:107])
    messy = "  " + "\t".join(w.upper() for w in WORDS[100:103]) + " - " + "-".join(WORDS[103:107])
    assert normalise_passphrase(messy + "\n") == phrase


def test_normalise_rejects_wrong_count_and_reports_it() -> None:
    with pytest.raises(MalformedPassphrase) as info:
        normalise_passphrase(" ".join(WORDS[:6]))
    assert info.value.word_count == 6
    assert info.value.unknown_positions == ()


def test_normalise_rejects_unknown_words_with_their_positions() -> None:
    words = list(WORDS[:7])
    words[2] = "zzzzzz"
    words[6] = "passport"
    with pytest.raises(MalformedPassphrase) as info:
        normalise_passphrase(" ".join(words))
    assert info.value.unknown_positions == (3, 7)
    assert info.value.word_count == 7


@given(
    st.lists(st.sampled_from(WORDS), min_size=7, max_size=7),
    st.lists(st.sampled_from([" ", "  ", "\t", " - ", "\n"]), min_size=8, max_size=8),
    st.lists(st.booleans(), min_size=7, max_size=7),
)
def test_normalise_round_trips_any_typing(
    words: list[str], gaps: list[str], upper: list[bool]
) -> None:
    typed = gaps[0] + "".join(
        (w.upper() if u else w) + gap for w, u, gap in zip(words, upper, gaps[1:], strict=True)
    )
    assert normalise_passphrase(typed) == " ".join(words)


@given(st.text(max_size=200))
def test_normalise_never_crashes_on_any_text(text: str) -> None:
    try:
        result = normalise_passphrase(text)
    except MalformedPassphrase:
        return
    assert len(result.split(" ")) == 7


def test_missing_spaces_are_forgiven_when_the_reading_is_unique() -> None:
    words = ["glass", "river", "walnut", "table", "orange", "pencil", "garden"]
    assert all(w in WORDS for w in words)
    phrase = " ".join(words)
    assert normalise_passphrase("glassriver walnut table orange pencilgarden") == phrase


def test_run_together_words_with_two_readings_are_refused() -> None:
    # "carpet" is a word, and so are "car" and "pet": no guessing.
    assert {"carpet", "car", "pet"} <= set(WORDS)
    words = ["car", "pet", "walnut", "table", "orange", "pencil"]
    with pytest.raises(MalformedPassphrase) as info:
        normalise_passphrase("carpet walnut table orange pencil garden")
    assert info.value.word_count == 6
    assert normalise_passphrase(" ".join([*words, "garden"])) == " ".join([*words, "garden"])


@given(st.lists(st.sampled_from(WORDS), min_size=7, max_size=7), st.sets(st.integers(0, 5)))
def test_joining_words_never_yields_another_passphrase(words: list[str], joins: set[int]) -> None:
    typed = "".join(w + ("" if i in joins else " ") for i, w in enumerate(words))
    try:
        result = normalise_passphrase(typed)
    except MalformedPassphrase:
        assert joins, "with every space present the passphrase must be read"
        return
    assert result == " ".join(words)
