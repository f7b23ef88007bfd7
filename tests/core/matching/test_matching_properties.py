"""Hypothesis: formatting noise never changes a tag; distinct identifiers never share one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from safereport.core.matching import (
    MatchingKey,
    normalise_business,
    normalise_business_line,
    normalise_phone,
    normalise_vehicle,
)

KEY = MatchingKey(bytes(range(32)))
# Timing is bench/'s business: on a loaded machine one example may take longer than
# Hypothesis's default 200 ms deadline, which would fail a test that is about equality.
UNTIMED = settings(deadline=None)

# Words that are not company suffixes, so the "true" name is known exactly.
_word = st.text(alphabet="abcdefghjkmnpqrsuvwxyz0123456789", min_size=2, max_size=8).filter(
    lambda w: w not in {"co", "lp", "cic", "cio", "inc", "ccc", "cyf", "the", "uk", "and"}
)
_names = st.lists(_word, min_size=1, max_size=4)
_outward = st.sampled_from(["E1", "SW1A", "B33", "M1", "LS6", "EH12", "CR2", "W1D"])
_digit = st.sampled_from("0123456789")
_letter = st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")
_postcodes = st.builds(lambda o, d, a, b: f"{o} {d}{a}{b}", _outward, _digit, _letter, _letter)
_suffix = st.sampled_from(["", " Ltd", " Limited", " ltd.", " LIMITED", " PLC", " LLP", " Co."])


def _noisy(words: list[str], upper: list[bool], joiner: str) -> str:
    flags = upper + [False] * len(words)
    return joiner.join(w.upper() if up else w for w, up in zip(words, flags, strict=False))


@UNTIMED
@given(
    words=_names,
    postcode=_postcodes,
    suffix=_suffix,
    cases=st.lists(st.booleans(), max_size=4),
    joiner=st.sampled_from([" ", "  ", " \t"]),
    separator=st.sampled_from([", ", " ", " - ", ",", "  "]),
    postcode_spacing=st.sampled_from(["", " ", "  ", "-"]),
    lower_postcode=st.booleans(),
)
def test_formatting_noise_never_changes_a_business_tag(
    words: list[str],
    postcode: str,
    suffix: str,
    cases: list[bool],
    joiner: str,
    separator: str,
    postcode_spacing: str,
    lower_postcode: bool,
) -> None:
    clean = normalise_business(" ".join(words), postcode)
    outward, inward = postcode.split(" ")
    noisy_postcode = outward + postcode_spacing + inward
    if lower_postcode:
        noisy_postcode = noisy_postcode.lower()
    noisy = normalise_business_line(
        _noisy(words, cases, joiner) + suffix + separator + noisy_postcode
    )
    assert KEY.tag(noisy).value == KEY.tag(clean).value


@UNTIMED
@given(
    first=st.tuples(_names, _postcodes),
    second=st.tuples(_names, _postcodes),
)
def test_distinct_businesses_never_share_a_tag(
    first: tuple[list[str], str], second: tuple[list[str], str]
) -> None:
    same = "".join(first[0]) == "".join(second[0]) and first[1] == second[1]
    one = KEY.tag(normalise_business(" ".join(first[0]), first[1]))
    other = KEY.tag(normalise_business(" ".join(second[0]), second[1]))
    assert (one.value == other.value) == same


_mobile = st.integers(min_value=0, max_value=999_999).map(lambda n: f"7700{n:06d}")


@UNTIMED
@given(
    national=_mobile,
    style=st.sampled_from(["0{a} {b}", "+44 {a} {b}", "0044 {a}-{b}", "+44 (0){a}{b}", "0{a}.{b}"]),
)
def test_formatting_noise_never_changes_a_phone_tag(national: str, style: str) -> None:
    noisy = style.format(a=national[:4], b=national[4:])
    assert KEY.tag(normalise_phone(noisy)).value == KEY.tag(normalise_phone("0" + national)).value


@UNTIMED
@given(first=_mobile, second=_mobile)
def test_distinct_phone_numbers_never_share_a_tag(first: str, second: str) -> None:
    one = KEY.tag(normalise_phone("0" + first)).value
    other = KEY.tag(normalise_phone("0" + second)).value
    assert (one == other) == (first == second)


_plates = st.text(alphabet="ABCDEFGHJKLMNOPRSTUVWXYZ0123456789", min_size=2, max_size=8)


@UNTIMED
@given(plate=_plates, lower=st.booleans(), gap=st.sampled_from(["", " ", "-", "  "]))
def test_formatting_noise_never_changes_a_vehicle_tag(plate: str, lower: bool, gap: str) -> None:
    noisy = plate[:4] + gap + plate[4:]
    noisy = noisy.lower() if lower else noisy
    assert KEY.tag(normalise_vehicle(noisy)).value == KEY.tag(normalise_vehicle(plate)).value


@UNTIMED
@given(first=_plates, second=_plates)
def test_distinct_vehicles_never_share_a_tag(first: str, second: str) -> None:
    one = KEY.tag(normalise_vehicle(first)).value
    other = KEY.tag(normalise_vehicle(second)).value
    assert (one == other) == (first == second)
