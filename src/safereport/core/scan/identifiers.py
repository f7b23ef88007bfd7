"""The identifier scanner: patterns, context rules and removal.

What is looked for, and how false alarms are kept down:

- **National Insurance number** (always): two letters, six digits, a final
  letter A-D, with spaces or hyphens allowed between the pairs
  (``QQ 12 34 56 C``). The prefix follows HMRC's rules: D, F, I, Q, U and V
  are never first or second letter, O is never second, and BG, GB, KN, NK,
  NT, TN and ZZ are never issued. Without its final letter it is found only
  next to words such as "National Insurance" or "NINO".
- **BRP number** (always, capital letters): two letters then seven digits
  (``ZR1234567``); in lower case only next to "BRP" or "residence permit".
- **Home Office reference** (always, capital letter): one letter then seven
  digits (``B1234567``, ``H1234567``), and a GWF visa application reference
  (``GWF012345678``). A plain number of 6 to 10 digits (a CID person or case
  ID) only next to "Home Office", "CID", "UKVI", "immigration", "visa",
  "asylum" or "reference" - and "reference" does not count when "crime",
  "police" or "incident" is nearby, so police crime references stay.
- **Application number (UAN)** (always): 16 digits in four groups of four
  joined by hyphens (``1234-5678-9012-3456``).
- **Passport number** only next to the word "passport" (in several
  languages): a UK number of nine digits or an alphanumeric number of 6 to 9
  characters with at least one digit.

Phone numbers, dates and ordinary words are not matched: every pattern needs
digits in a fixed shape, numbers beginning with 0 and 10 or more digits (UK
phone numbers) and 8-digit numbers that read as dates are never taken for
references, amounts of money (after a currency sign) are not references,
and bare digits without a context word are left alone.
Digits from other scripts (Arabic-Indic, Devanagari, full-width...) are read
as their ASCII values.

Removal replaces each match with a marker that contains no digit. Every match
contains a digit, so removal repeated until nothing is found ends, and ends
with no match left (removing text can bring a context word near another
number; the repetition catches that).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from safereport.core.i18n import gettext_noop

DEFAULT_MARKER = "[removed]"


class IdentifierKind(StrEnum):
    PASSPORT_NUMBER = "passport_number"
    BRP_NUMBER = "brp_number"
    HOME_OFFICE_REFERENCE = "home_office_reference"
    APPLICATION_NUMBER = "application_number"
    NATIONAL_INSURANCE_NUMBER = "national_insurance_number"


DESCRIPTIONS: dict[IdentifierKind, str] = {
    IdentifierKind.PASSPORT_NUMBER: gettext_noop(
        "This looks like a passport number. You do not need to give it, and we never ask "
        "for it. You can remove it."
    ),
    IdentifierKind.BRP_NUMBER: gettext_noop(
        "This looks like the number of a residence permit card (BRP). You do not need to "
        "give it, and we never ask for it. You can remove it."
    ),
    IdentifierKind.HOME_OFFICE_REFERENCE: gettext_noop(
        "This looks like a Home Office reference number. You do not need to give it, and "
        "we never ask for it. You can remove it."
    ),
    IdentifierKind.APPLICATION_NUMBER: gettext_noop(
        "This looks like a Home Office application number. You do not need to give it, "
        "and we never ask for it. You can remove it."
    ),
    IdentifierKind.NATIONAL_INSURANCE_NUMBER: gettext_noop(
        "This looks like a National Insurance number. You do not need to give it here. "
        "You can remove it."
    ),
}


@dataclass(frozen=True, slots=True)
class IdentifierMatch:
    """One identifier found: ``text[start:end]`` is ``matched``."""

    kind: IdentifierKind
    start: int
    end: int
    matched: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def description(self) -> str:
        """Plain English (marked for translation) to show the writer."""
        return DESCRIPTIONS[self.kind]


# -- patterns ---------------------------------------------------------------

_L = r"(?<![A-Za-z0-9])"  # left boundary: not inside a word or number
_R = r"(?![A-Za-z0-9])"  # right boundary
_SEP = r"[ \-]?"

_NINO_FIRST = "A-CEGHJ-PR-TW-Z"  # not D F I Q U V
_NINO_SECOND = "A-CEGHJ-NPR-TW-Z"  # not D F I O Q U V
_NINO_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NINO = re.compile(
    _L
    + rf"(?P<prefix>[{_NINO_FIRST}][{_NINO_SECOND}]){_SEP}"
    + rf"[0-9]{{2}}{_SEP}[0-9]{{2}}{_SEP}[0-9]{{2}}(?:{_SEP}(?P<suffix>[A-D]))?"
    + _R,
    re.IGNORECASE,
)
_BRP = re.compile(_L + r"[A-Za-z]{2} ?[0-9]{7}" + _R)
_HO_LETTER = re.compile(_L + r"[A-Za-z][0-9]{7}" + _R)
_GWF = re.compile(_L + r"GWF ?[0-9]{9}" + _R, re.IGNORECASE)
_UAN = re.compile(_L + r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{4}" + _R)
_DIGITS = re.compile(_L + r"[0-9]{6,10}" + _R)
_PASSPORT = re.compile(_L + r"(?=[A-Za-z0-9]*[0-9])[A-Za-z0-9]{6,9}" + _R)

_PASSPORT_WORDS = re.compile(
    r"passport|pasaporte|passeport|passaporte|passaporto|paszport|pa[sș]aport|paspoort"
    r"|reisepass|pasport|паспорт|جواز|护照|護照|pasipoti|pasaporti",
    re.IGNORECASE,
)
_NINO_WORDS = re.compile(r"national\s+insurance|\bnino\b|\bni\s+(?:no|num)", re.IGNORECASE)
_BRP_WORDS = re.compile(r"\bbrp\b|residence\s+permit|residence\s+card", re.IGNORECASE)
_HOME_OFFICE_WORDS = re.compile(
    r"home\s*office|\bho\b|\bcid\b|ukvi|immigration|\bvisa|asylum|person\s+id|port\s+ref",
    re.IGNORECASE,
)
_REFERENCE_WORDS = re.compile(r"reference|\bref\b", re.IGNORECASE)
_POLICE_WORDS = re.compile(r"crime|police|incident", re.IGNORECASE)

_CURRENCY = re.compile(r"[£$€¥₹₦][ ]?$")  # an amount of money, not a reference

_BEFORE = 40  # characters of context looked at before a candidate
_AFTER = 40  # and after it


def _ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script replaced by its ASCII
    digit; the length and every offset stay the same."""
    if text.isascii():
        return text
    out = []
    for char in text:
        value = unicodedata.decimal(char, None) if not char.isascii() else None
        out.append(str(value) if value is not None else char)
    return "".join(out)


def _near(words: re.Pattern[str], text: str, start: int, end: int) -> bool:
    return words.search(text, max(0, start - _BEFORE), min(len(text), end + _AFTER)) is not None


def _looks_like_phone_or_date(digits: str) -> bool:
    if digits.startswith("0") and len(digits) >= 10:
        return True
    if len(digits) == 8:
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        if 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
            return True
        day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
        if 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
            return True
    return False


def _candidates(text: str) -> list[IdentifierMatch]:
    found: list[IdentifierMatch] = []

    def add(kind: IdentifierKind, start: int, end: int) -> None:
        found.append(IdentifierMatch(kind, start, end, text[start:end]))

    for m in _NINO.finditer(text):
        if m.group("prefix").upper() in _NINO_BAD_PREFIXES:
            continue
        if m.group("suffix") is None and not _near(_NINO_WORDS, text, m.start(), m.end()):
            continue
        add(IdentifierKind.NATIONAL_INSURANCE_NUMBER, m.start(), m.end())
    for m in _UAN.finditer(text):
        add(IdentifierKind.APPLICATION_NUMBER, m.start(), m.end())
    for m in _GWF.finditer(text):
        add(IdentifierKind.HOME_OFFICE_REFERENCE, m.start(), m.end())
    for m in _BRP.finditer(text):
        letters = m.group()[:2]
        if letters.isupper() or _near(_BRP_WORDS, text, m.start(), m.end()):
            add(IdentifierKind.BRP_NUMBER, m.start(), m.end())
    for m in _HO_LETTER.finditer(text):
        if m.group()[0].isupper() or _near(_HOME_OFFICE_WORDS, text, m.start(), m.end()):
            add(IdentifierKind.HOME_OFFICE_REFERENCE, m.start(), m.end())
    for m in _PASSPORT.finditer(text):
        if _near(_PASSPORT_WORDS, text, m.start(), m.end()):
            if _BRP.fullmatch(m.group()) and _near(_BRP_WORDS, text, m.start(), m.end()):
                continue  # named a BRP: leave it to the BRP rule
            add(IdentifierKind.PASSPORT_NUMBER, m.start(), m.end())
    for m in _DIGITS.finditer(text):
        if _looks_like_phone_or_date(m.group()) or _CURRENCY.search(text, 0, m.start()):
            continue
        if _near(_HOME_OFFICE_WORDS, text, m.start(), m.end()) or (
            _near(_REFERENCE_WORDS, text, m.start(), m.end())
            and not _near(_POLICE_WORDS, text, m.start(), m.end())
        ):
            add(IdentifierKind.HOME_OFFICE_REFERENCE, m.start(), m.end())
    return found


# When candidates overlap, the earliest wins, then the longest, then this order.
_PRIORITY = {
    IdentifierKind.NATIONAL_INSURANCE_NUMBER: 0,
    IdentifierKind.APPLICATION_NUMBER: 1,
    # Next to the word "passport", two letters and seven digits are more
    # likely a passport than a BRP: say so.
    IdentifierKind.PASSPORT_NUMBER: 2,
    IdentifierKind.BRP_NUMBER: 3,
    IdentifierKind.HOME_OFFICE_REFERENCE: 4,
}


def find_identifiers(text: str) -> list[IdentifierMatch]:
    """Every identifier in ``text``, in order, not overlapping. Spans index
    the original ``text``."""
    scanned = _ascii_digits(text)
    ordered = sorted(
        _candidates(scanned), key=lambda m: (m.start, -(m.end - m.start), _PRIORITY[m.kind])
    )
    chosen: list[IdentifierMatch] = []
    for m in ordered:
        if chosen and m.start < chosen[-1].end:
            continue
        chosen.append(IdentifierMatch(m.kind, m.start, m.end, text[m.start : m.end]))
    return chosen


def _replace(text: str, matches: list[IdentifierMatch], marker: str) -> str:
    out = []
    position = 0
    for m in matches:
        out.append(text[position : m.start])
        out.append(marker)
        position = m.end
    out.append(text[position:])
    return "".join(out)


def remove_identifiers(text: str, marker: str = DEFAULT_MARKER) -> str:
    """``text`` with every identifier replaced by ``marker`` (which must
    contain no digit), repeated until none is left."""
    if any(unicodedata.decimal(c, None) is not None for c in marker):
        raise ValueError("the marker must not contain digits")
    while matches := find_identifiers(text):
        text = _replace(text, matches, marker)
    return text
