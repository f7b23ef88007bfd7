"""The identifier scanner finds what it should, and leaves the rest alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safereport.core.scan import (
    DEFAULT_MARKER,
    DESCRIPTIONS,
    IdentifierKind,
    find_identifiers,
    remove_identifiers,
)

K = IdentifierKind


def kinds(text: str) -> list[tuple[IdentifierKind, str]]:
    return [(m.kind, m.matched) for m in find_identifiers(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # National Insurance numbers
        ("My NI is AB 12 34 56 C, please", [(K.NATIONAL_INSURANCE_NUMBER, "AB 12 34 56 C")]),
        ("ab123456c", [(K.NATIONAL_INSURANCE_NUMBER, "ab123456c")]),
        ("JG-10-33-21-D", [(K.NATIONAL_INSURANCE_NUMBER, "JG-10-33-21-D")]),
        ("national insurance AB123456", [(K.NATIONAL_INSURANCE_NUMBER, "AB123456")]),
        # BRP numbers
        ("card ZR1234567.", [(K.BRP_NUMBER, "ZR1234567")]),
        ("my brp is zr1234567", [(K.BRP_NUMBER, "zr1234567")]),
        ("RF 9876543", [(K.BRP_NUMBER, "RF 9876543")]),
        # Home Office references
        ("letter ref B1234567 came", [(K.HOME_OFFICE_REFERENCE, "B1234567")]),
        ("H1234567", [(K.HOME_OFFICE_REFERENCE, "H1234567")]),
        ("visa GWF012345678", [(K.HOME_OFFICE_REFERENCE, "GWF012345678")]),
        ("Home Office number 12345678", [(K.HOME_OFFICE_REFERENCE, "12345678")]),
        ("my CID is 7654321", [(K.HOME_OFFICE_REFERENCE, "7654321")]),
        ("their reference: 3141592", [(K.HOME_OFFICE_REFERENCE, "3141592")]),
        ("UAN 1234-5678-9012-3456", [(K.APPLICATION_NUMBER, "1234-5678-9012-3456")]),
        # Passport numbers, next to the word in several languages
        ("passport number 123456789", [(K.PASSPORT_NUMBER, "123456789")]),
        ("He keeps my passport (AB1234567)", [(K.PASSPORT_NUMBER, "AB1234567")]),
        ("pasaporte: X1234567Z", [(K.PASSPORT_NUMBER, "X1234567Z")]),
        ("C01X00T47 is the number of my passeport", [(K.PASSPORT_NUMBER, "C01X00T47")]),
        ("паспорт 4510123456", []),  # ten digits: too long for a passport
        ("паспорт 451012345", [(K.PASSPORT_NUMBER, "451012345")]),
        # Digits from other scripts are read as digits
        ("passport ١٢٣٤٥٦٧٨٩", [(K.PASSPORT_NUMBER, "١٢٣٤٥٦٧٨٩")]),
        (
            "my passport 123456789 and my BRP ZR1234567",
            [(K.PASSPORT_NUMBER, "123456789"), (K.BRP_NUMBER, "ZR1234567")],
        ),
        (
            "NI AB123456C and BRP ZR1234567",
            [(K.NATIONAL_INSURANCE_NUMBER, "AB123456C"), (K.BRP_NUMBER, "ZR1234567")],
        ),
    ],
)
def test_finds_identifiers(text: str, expected: list[tuple[IdentifierKind, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # phone numbers
        "Call me on 07700 900123 or +44 7700 900123",
        "my number is 07700900123",
        "text 447700900123 after 9pm",
        "reference 07700900123",
        # dates and times
        "It happened on 12/03/2024 at 10:30, and again 2024-03-15",
        "Home Office letter dated 20240312",
        "reference 12032024",
        # ordinary words and text
        "The passport was taken by my employer last year",
        "my passport expired in 2019",
        "He said the Home Office would deport me",
        "We live at SW1A 1AA near the station",
        "I paid 123456789 in total",  # no context word
        "my visa needs savings of £250000",
        "Nine digits 123456789 but nothing else",
        # National Insurance lookalikes that HMRC never issues
        "GB123456A",
        "DA123456A",
        "AO123456A",
        "ZZ123456B",
        "AB123456E",
        "AB123456",  # no suffix and no context
        # lower case needs context
        "zr1234567",
        "b1234567",
        # police crime references stay
        "crime reference 45678123",
        "police incident reference 4567812",
        # UAN needs hyphens in four groups of four
        "1234 5678 9012",
    ],
)
def test_leaves_ordinary_text_alone(text: str) -> None:
    assert find_identifiers(text) == []


def test_spans_index_the_original_text() -> None:
    text = "Hola. Mi pasaporte es ١٢٣٤٥٦٧٨٩ y NI AB 12 34 56 C."
    for m in find_identifiers(text):
        assert text[m.start : m.end] == m.matched


def test_every_kind_has_plain_words() -> None:
    assert set(DESCRIPTIONS) == set(IdentifierKind)
    for m in find_identifiers("AB123456C ZR1234567 B1234567 1234-5678-9012-3456 passport 12345678"):
        assert m.description == DESCRIPTIONS[m.kind]
        assert "number" in m.description


def test_remove_replaces_with_the_marker() -> None:
    text = "My BRP is ZR1234567 and NI AB 12 34 56 C. Call 07700 900123."
    assert remove_identifiers(text) == (
        f"My BRP is {DEFAULT_MARKER} and NI {DEFAULT_MARKER}. Call 07700 900123."
    )
    assert remove_identifiers(text, "***") == "My BRP is *** and NI ***. Call 07700 900123."


def test_remove_catches_numbers_brought_near_a_context_word() -> None:
    # Removing the long number brings "passport" within reach of the next one.
    text = "passport " + "1234-5678-9012-3456 " * 2 + "and 123456789"
    assert [m.kind for m in find_identifiers(text)] == [K.APPLICATION_NUMBER] * 2
    assert find_identifiers(remove_identifiers(text)) == []
    assert "123456789" not in remove_identifiers(text)


def test_marker_with_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="digits"):
        remove_identifiers("ZR1234567", "[1]")


FRAGMENTS = st.sampled_from(
    [
        "passport",
        "pasaporte",
        "Home Office",
        "reference",
        "crime",
        "national insurance",
        "BRP",
        "ZR1234567",
        "AB 12 34 56 C",
        "AB123456",
        "B1234567",
        "GWF012345678",
        "1234-5678-9012-3456",
        "123456789",
        "07700 900123",
        "12/03/2024",
        "20240312",
        "٣٤٥٦٧٨٩",
        "-",
        " ",
        "  ",
        "\n",
        ".",
        DEFAULT_MARKER,
    ]
)
TEXTS = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=5)), max_size=25).map("".join),
    st.lists(
        st.one_of(FRAGMENTS, st.text(alphabet="0123456789ABZRabz -", max_size=10)), max_size=25
    ).map("".join),
)


@settings(max_examples=300)
@given(TEXTS)
def test_scanner_never_crashes_and_spans_are_ordered(text: str) -> None:
    matches = find_identifiers(text)
    previous_end = 0
    for m in matches:
        assert previous_end <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.matched
        previous_end = m.end


@settings(max_examples=300)
@given(TEXTS)
def test_removing_matches_leaves_no_match(text: str) -> None:
    cleaned = remove_identifiers(text)
    assert find_identifiers(cleaned) == []
    if not find_identifiers(text):
        assert cleaned == text


def test_span_is_start_and_end() -> None:
    (match,) = find_identifiers("BRP ZR1234567")
    assert match.span == (4, 13)
