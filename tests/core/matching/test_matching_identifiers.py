"""Normalisation: the spellings that must meet, and the identifiers that must not."""

from __future__ import annotations

import pytest

from safereport.core.matching import (
    IdentifierKind,
    InvalidIdentifier,
    Platform,
    normalise,
    normalise_address,
    normalise_business,
    normalise_business_line,
    normalise_company_number,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    normalise_social,
    normalise_vehicle,
)


def test_the_issue_example_names_one_business() -> None:
    assert normalise_business_line("A-1 Cleaning Ltd, E1 6AN") == normalise_business_line(
        "a1 cleaning limited e16an"
    )


@pytest.mark.parametrize(
    "spelling",
    [
        "A-1 Cleaning Ltd, E1 6AN",
        "A1 CLEANING LIMITED E1 6AN",
        "A.1 Cleaning Ltd. (E1 6AN)",
        "The A-1 Cleaning Limited,  e1  6an",
        "A1 Cleaning, E16AN",
        "A1 Cleaning Ltd e1-6an",
        "a1 cleaning ltd\te16an",
        "A1 Cleaning UK Ltd E1 6AN",
    ],
)
def test_business_spellings_meet(spelling: str) -> None:
    assert normalise_business_line(spelling).value == "a1cleaning|pc:E1 6AN"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("A1 Cleaning Ltd, E1 6AN", "A1 Cleaning Ltd, E1 6AB"),  # another postcode
        ("A1 Cleaning Ltd, E1 6AN", "A2 Cleaning Ltd, E1 6AN"),  # another name
        ("A1 Cleaning Ltd, E1 6AN", "A1 Cleaners Ltd, E1 6AN"),
        ("A1 Cleaning, Leeds", "A1 Cleaning, Leeds Bradford"),  # another town
        ("A1 Cleaning, Leeds", "A1 Cleaning, E1 6AN"),  # a town is not a postcode
        ("Limited Cleaning Ltd, Leeds", "Cleaning Ltd, Leeds"),  # a suffix only at the end
    ],
)
def test_businesses_that_must_not_meet(first: str, second: str) -> None:
    assert normalise_business_line(first) != normalise_business_line(second)


def test_business_by_fields_and_by_line_agree() -> None:
    assert normalise_business("Smith & Sons Recruitment Limited", "Boston") == (
        normalise_business_line("smith and sons recruitment, BOSTON")
    )
    assert normalise_business("Café Nero Ltd", "PE21 6QS").value == "cafenero|pc:PE21 6QS"


@pytest.mark.parametrize("text", ["A1 Cleaning", "Ltd, E1 6AN", ", Leeds", "A1 Cleaning,  "])
def test_a_business_needs_a_name_and_a_place(text: str) -> None:
    with pytest.raises(InvalidIdentifier):
        normalise_business_line(text)


@pytest.mark.parametrize(
    "spelling",
    [
        "07700 900123",
        "+44 7700 900123",
        "0044 (0)7700-900-123",
        "+447700900123",
        "07700 900123 ext. 5",  # an extension names the same line
        "０７７００ ９００１２３",  # full-width digits, as some keyboards type them
    ],
)
def test_phone_numbers_in_e164(spelling: str) -> None:
    assert normalise_phone(spelling).value == "+447700900123"


def test_phone_numbers_that_must_not_meet() -> None:
    assert normalise_phone("07700 900123") != normalise_phone("07700 900124")
    # a number written with its country is that country's, whatever the default region
    assert normalise_phone("+48 600 700 800").value == "+48600700800"
    assert normalise_phone("+48 600 700 800") != normalise_phone("600 700 800")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "call me",
        "12",
        "+44 1",
        "0770 09",  # possible only as a local number: a half-remembered mobile
        "12345",
        "07700 9OO123",  # letter O for zero: not read as a keypad's 6
        "0800-FLOWERS",
    ],
)
def test_impossible_phone_numbers_are_refused(text: str) -> None:
    with pytest.raises(InvalidIdentifier):
        normalise_phone(text)


def test_email_folding() -> None:
    assert normalise_email(" Boss@Example.COM ") == normalise_email("boss@example.com")
    assert normalise_email("boss+jobs@example.com") == normalise_email("boss@example.com")
    assert normalise_email("j.smith@googlemail.com").value == "jsmith@gmail.com"
    assert normalise_email("mailto:<boss@example.com>").value == "boss@example.com"
    # dots matter outside Gmail, and domains differ
    assert normalise_email("j.smith@example.com") != normalise_email("jsmith@example.com")
    assert normalise_email("boss@example.com") != normalise_email("boss@example.org")


@pytest.mark.parametrize("text", ["boss", "boss@", "@example.com", "boss@example", "a b@c.com"])
def test_not_email_addresses(text: str) -> None:
    with pytest.raises(InvalidIdentifier):
        normalise_email(text)


def test_social_handles() -> None:
    same = [
        normalise_social(Platform.INSTAGRAM, "@Boss.Jobs"),
        normalise_social("Instagram", "boss.jobs"),
        normalise_social(Platform.INSTAGRAM, "https://www.instagram.com/boss.jobs/"),
        normalise_social(Platform.INSTAGRAM, "instagram.com/Boss.Jobs?igsh=abc"),
    ]
    assert {s.value for s in same} == {"instagram:boss.jobs"}
    assert normalise_social("twitter", "@boss") == normalise_social(Platform.X, "x.com/boss")
    # the same handle on another platform is someone else
    assert normalise_social(Platform.TIKTOK, "boss") != normalise_social(Platform.INSTAGRAM, "boss")
    with pytest.raises(InvalidIdentifier):
        normalise_social("myspace", "boss")
    with pytest.raises(InvalidIdentifier):
        normalise_social(Platform.X, "@")


def test_vehicle_registrations() -> None:
    assert normalise_vehicle("ab12 cde") == normalise_vehicle("AB12-CDE")
    assert normalise_vehicle(" AB12CDE ").value == "AB12CDE"
    assert normalise_vehicle("AB12 CDE") != normalise_vehicle("AB12 CDF")
    with pytest.raises(InvalidIdentifier):
        normalise_vehicle("-")


def test_companies_house_numbers() -> None:
    assert normalise_company_number("1234567").value == "01234567"
    assert normalise_company_number("0123 4567") == normalise_company_number("01234567")
    assert normalise_company_number("sc 12345").value == "SC012345"
    assert normalise_company_number("OC123456") != normalise_company_number("SC123456")
    for text in ["", "ABCDEFGH", "123456789", "0"]:
        with pytest.raises(InvalidIdentifier):
            normalise_company_number(text)


def test_postcodes() -> None:
    assert normalise_postcode("sw1a1aa") == "SW1A 1AA"
    assert normalise_postcode(" E1 6an ") == "E1 6AN"
    with pytest.raises(InvalidIdentifier):
        normalise_postcode("E1")


def test_addresses() -> None:
    same = [
        "Flat 2, 12 High Street, London, E1 6AN",
        "flat 2 12 high st e16an",
        "Apartment 2, 12 High St., E1 6AN",
    ]
    assert {normalise_address(a).value for a in same} == {"E1 6AN|flat212highst"}
    assert normalise_address("12 High Street, E1 6AN") != normalise_address(
        "14 High Street, E1 6AN"
    )
    assert normalise_address("12 High Street, E1 6AN") != normalise_address(
        "12 High Street, E1 6AB"
    )
    assert normalise_address("12 Church Road, Boston") == normalise_address("12 church rd boston")
    with pytest.raises(InvalidIdentifier):
        normalise_address("E1 6AN")


def test_kinds_never_share_canonical_bytes() -> None:
    vehicle = normalise(IdentifierKind.VEHICLE, "AB12CDE")
    number = normalise(IdentifierKind.COMPANY_NUMBER, "AB123456")
    handle = normalise(IdentifierKind.SOCIAL, "AB12CDE", extra="other")
    assert len({vehicle.canonical_bytes(), number.canonical_bytes(), handle.canonical_bytes()}) == 3


def test_overlong_input_is_refused_before_any_work() -> None:
    for kind in IdentifierKind:
        with pytest.raises(InvalidIdentifier):
            normalise(kind, "a" * 5000, extra="Leeds")
