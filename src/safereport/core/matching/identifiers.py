"""What a reporter may name, and the one spelling each is matched under.

Matching works on a canonical form: two people who type the same employer,
phone number or car differently must produce the same bytes, and two
different ones must never. Every function here is pure: text in, canonical
text out, or ``InvalidIdentifier`` when the text cannot name anything of
its kind (an impossible phone number, an e-mail without a domain).

The rules, kind by kind (docs/matching.md):

- phone: parsed by ``phonenumbers`` (Google's libphonenumber), a national
  number read as British unless it says otherwise, written in E.164;
- e-mail: case folded, a ``+tag`` after the mailbox dropped, Gmail's
  ignored dots removed and ``googlemail.com`` read as ``gmail.com``;
- social handle: the platform (X and Twitter are one) and the handle
  without ``@``, a profile address or case;
- vehicle registration: letters and digits only, upper case;
- business: the name folded (case, accents, punctuation, spaces, ``&`` as
  "and", a trailing company suffix such as Ltd or Limited dropped) with
  its postcode (UK format) or its town;
- Companies House number: eight characters, a numeric one padded with
  leading zeros;
- address: the postcode, and the street part folded with the usual
  abbreviations (Street = St, Road = Rd ...), the town dropped when a
  postcode pins the place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers

DEFAULT_REGION = "GB"
MAX_INPUT_CHARS = 300  # nobody's identifier is longer; refusing more bounds the work


class InvalidIdentifier(ValueError):
    """The text does not name anything of the kind asked for."""


class IdentifierKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    SOCIAL = "social"
    VEHICLE = "vehicle"
    BUSINESS = "business"
    COMPANY_NUMBER = "company_number"
    ADDRESS = "address"


class Platform(StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    X = "x"
    TELEGRAM = "telegram"
    SNAPCHAT = "snapchat"
    YOUTUBE = "youtube"
    LINKEDIN = "linkedin"
    OTHER = "other"


_PLATFORM_ALIASES = {"twitter": Platform.X}

# Hosts whose profile addresses a reporter may paste instead of a handle.
_PROFILE_HOSTS = {
    Platform.FACEBOOK: ("facebook.com", "fb.com", "m.facebook.com"),
    Platform.INSTAGRAM: ("instagram.com",),
    Platform.TIKTOK: ("tiktok.com",),
    Platform.X: ("x.com", "twitter.com", "mobile.twitter.com"),
    Platform.TELEGRAM: ("t.me", "telegram.me"),
    Platform.SNAPCHAT: ("snapchat.com/add",),
    Platform.YOUTUBE: ("youtube.com",),
    Platform.LINKEDIN: ("linkedin.com/in", "linkedin.com/company"),
}


@dataclass(frozen=True)
class Identifier:
    """A normalised identifier: its kind and its canonical value."""

    kind: IdentifierKind
    value: str

    def canonical_bytes(self) -> bytes:
        """The bytes the tag is computed over: the kind is part of them, so a
        phone number and a vehicle registration that happen to read alike
        never share a tag."""
        return f"{self.kind.value}\x1f{self.value}".encode()


def _bounded(text: str) -> str:
    if not isinstance(text, str):
        raise InvalidIdentifier("expected text")
    if len(text) > MAX_INPUT_CHARS:
        raise InvalidIdentifier("too long to be an identifier")
    return text


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", kept)


def fold_text(text: str) -> str:
    """Case, accents, punctuation and spacing folded to single spaces between words.

    Hyphens, dots and apostrophes inside a word join it (``A-1`` = ``A1``,
    ``O'Brien`` = ``OBrien``); ``&`` reads as "and"; any other punctuation
    separates words.
    """
    text = _strip_accents(unicodedata.normalize("NFKC", _bounded(text))).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"(?<=\w)[-.'’‘`´](?=\w)", "", text)
    text = re.sub(r"[^\w]+|_", " ", text)
    return " ".join(text.split())


# UK postcodes ------------------------------------------------------------------

_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})")
_TRAILING_POSTCODE = re.compile(
    r"(?:^|[^A-Za-z0-9])([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)[\s\-]*([0-9][A-Za-z]{2})\W*$"
)


def normalise_postcode(text: str) -> str:
    """A UK postcode in its standard form (``e16an`` → ``E1 6AN``)."""
    compact = re.sub(r"[\s\-.]", "", _bounded(text)).upper()
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        raise InvalidIdentifier("not a UK postcode")
    return f"{match.group(1)} {match.group(2)}"


def _split_trailing_postcode(text: str) -> tuple[str, str | None]:
    """The text without a UK postcode at its end, and that postcode (or None)."""
    match = _TRAILING_POSTCODE.search(text)
    if match is None:
        return text, None
    postcode = f"{match.group(1).upper()} {match.group(2).upper()}"
    return text[: match.start(1)], postcode


# Kinds -------------------------------------------------------------------------


# What a written phone number may hold besides digits: an international "+",
# separators, and an extension at its end (dropped: it names the same line).
_PHONE_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x)\s*\d{1,6}\s*$", re.IGNORECASE)
_PHONE_CHARACTERS = re.compile(r"[0-9+()./\-\s]+")


def normalise_phone(text: str, *, region: str = DEFAULT_REGION) -> Identifier:
    """E.164, or refused. Letters are refused rather than read as a keypad's
    (libphonenumber turns "O" into 6), and so is a number that could only be
    dialled locally (too short for a whole number): either would make two
    different people's half-remembered numbers meet."""
    digits = _PHONE_EXTENSION.sub("", unicodedata.normalize("NFKC", _bounded(text)))
    if not _PHONE_CHARACTERS.fullmatch(digits):
        raise InvalidIdentifier("a phone number is written with digits")
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        raise InvalidIdentifier("not a phone number") from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise InvalidIdentifier("not a whole phone number")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Identifier(IdentifierKind.PHONE, e164)


_GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def normalise_email(text: str) -> Identifier:
    text = unicodedata.normalize("NFKC", _bounded(text)).strip().casefold()
    text = re.sub(r"^mailto:", "", text).strip().strip("<>").strip()
    local, at, domain = text.rpartition("@")
    domain = domain.strip().rstrip(".")
    if not at or not local or not re.fullmatch(r"[^\s@]+\.[^\s@.]+", domain):
        raise InvalidIdentifier("not an e-mail address")
    if re.search(r"\s", local):
        raise InvalidIdentifier("not an e-mail address")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidIdentifier("not an e-mail domain") from None
    local = local.split("+", 1)[0]
    if domain in _GMAIL_DOMAINS:
        domain = "gmail.com"
        local = local.replace(".", "")
    if not local:
        raise InvalidIdentifier("not an e-mail address")
    return Identifier(IdentifierKind.EMAIL, f"{local}@{domain}")


def parse_platform(name: str) -> Platform:
    folded = fold_text(name).replace(" ", "")
    if folded in _PLATFORM_ALIASES:
        return _PLATFORM_ALIASES[folded]
    try:
        return Platform(folded)
    except ValueError:
        raise InvalidIdentifier("not a platform we know") from None


def normalise_social(platform: Platform | str, handle: str) -> Identifier:
    chosen = platform if isinstance(platform, Platform) else parse_platform(platform)
    text = unicodedata.normalize("NFKC", _bounded(handle)).strip().casefold()
    text = re.sub(r"^(https?://)?(www\.)?", "", text)
    for host in _PROFILE_HOSTS.get(chosen, ()):
        if text.startswith(host + "/"):
            text = text[len(host) + 1 :]
            break
    text = text.split("?", 1)[0].strip("/")
    text = text.lstrip("@")
    if not text or not re.fullmatch(r"[\w.\-]+", text):
        raise InvalidIdentifier("not a handle")
    return Identifier(IdentifierKind.SOCIAL, f"{chosen.value}:{text}")


def normalise_vehicle(text: str) -> Identifier:
    compact = re.sub(r"[^A-Z0-9]", "", _strip_accents(_bounded(text)).upper())
    if not 2 <= len(compact) <= 10:
        raise InvalidIdentifier("not a vehicle registration")
    return Identifier(IdentifierKind.VEHICLE, compact)


# Company suffixes, as folded words, longest first: dropped from the end of a name
# (repeatedly: "Holdings Ltd" keeps "holdings", "Ltd." and "Limited" both go).
_COMPANY_SUFFIXES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(words.split())
            for words in (
                "ltd",
                "limited",
                "llp",
                "lp",
                "plc",
                "cic",
                "cio",
                "inc",
                "co",
                "and co",
                "company",
                "cyf",
                "cyfyngedig",
                "ccc",
                "uk ltd",
                "uk limited",
                "limited liability partnership",
                "public limited company",
                "community interest company",
                "ltd company",
                "limited company",
            )
        ),
        key=len,
        reverse=True,
    )
)


def fold_business_name(name: str) -> str:
    """A business name folded, a trailing company suffix and a leading "The" dropped,
    and the spaces removed (``A-1 Cleaning Ltd`` → ``a1cleaning``)."""
    words = fold_text(name).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    stripped = True
    while stripped:
        stripped = False
        for suffix in _COMPANY_SUFFIXES:
            if len(words) > len(suffix) and tuple(words[-len(suffix) :]) == suffix:
                words = words[: -len(suffix)]
                stripped = True
                break
    if not words or tuple(words) in _COMPANY_SUFFIXES:
        raise InvalidIdentifier("no business name")
    return "".join(words)


def normalise_business(name: str, place: str) -> Identifier:
    """A business by its name and its town or UK postcode."""
    folded = fold_business_name(name)
    place_text = _bounded(place).strip()
    try:
        where = "pc:" + normalise_postcode(place_text)
    except InvalidIdentifier:
        town = fold_text(place_text).replace(" ", "")
        if not town:
            raise InvalidIdentifier("a business needs its town or postcode") from None
        where = "town:" + town
    return Identifier(IdentifierKind.BUSINESS, f"{folded}|{where}")


def normalise_business_line(text: str) -> Identifier:
    """A business typed on one line: its name, then its postcode or (after a comma) its town.

    ``A-1 Cleaning Ltd, E1 6AN`` and ``a1 cleaning limited e16an`` are one business.
    """
    rest, postcode = _split_trailing_postcode(_bounded(text))
    if postcode is not None:
        return normalise_business(rest, postcode)
    name, comma, town = text.rpartition(",")
    if not comma:
        raise InvalidIdentifier("a business needs its town or postcode")
    return normalise_business(name, town)


def normalise_company_number(text: str) -> Identifier:
    compact = re.sub(r"[\s\-.]", "", _bounded(text)).upper()
    if compact.isdigit() and 1 <= len(compact) <= 8:
        compact = compact.zfill(8)
    else:
        match = re.fullmatch(r"([A-Z]{2})([0-9]{1,6})", compact)
        if match is not None:
            compact = match.group(1) + match.group(2).zfill(6)
    if not re.fullmatch(r"[A-Z0-9]{2}[0-9]{6}", compact) or compact == "00000000":
        raise InvalidIdentifier("not a Companies House number")
    return Identifier(IdentifierKind.COMPANY_NUMBER, compact)


_STREET_WORDS = {
    "street": "st",
    "road": "rd",
    "avenue": "ave",
    "av": "ave",
    "lane": "ln",
    "drive": "dr",
    "court": "ct",
    "place": "pl",
    "square": "sq",
    "crescent": "cres",
    "gardens": "gdns",
    "terrace": "terr",
    "close": "cl",
    "grove": "gr",
    "park": "pk",
    "apartment": "flat",
    "apt": "flat",
    "number": "",
    "no": "",
}


def _fold_street(text: str) -> str:
    words = [_STREET_WORDS.get(word, word) for word in fold_text(text).split()]
    return "".join(words)


def normalise_address(text: str) -> Identifier:
    """An address: with a UK postcode, the postcode and the part before the town;
    without one, the whole address folded."""
    rest, postcode = _split_trailing_postcode(_bounded(text))
    parts = [part for part in (p.strip() for p in rest.split(",")) if fold_text(part)]
    if postcode is not None:
        if len(parts) >= 2 and not re.search(r"[0-9]", parts[-1]):
            parts = parts[:-1]  # the town: the postcode already says where
        street = _fold_street(" ".join(parts))
        if not street:
            raise InvalidIdentifier("an address needs more than a postcode")
        return Identifier(IdentifierKind.ADDRESS, f"{postcode}|{street}")
    street = _fold_street(" ".join(parts))
    if not street or (not re.search(r"[0-9]", street) and len(parts) < 2):
        raise InvalidIdentifier("an address needs a number or its postcode")
    return Identifier(IdentifierKind.ADDRESS, street)


def normalise(kind: IdentifierKind | str, text: str, *, extra: str = "") -> Identifier:
    """One entry point for every kind; ``extra`` is the platform of a social handle
    or the town or postcode of a business (a business with no ``extra`` is read
    from one line)."""
    chosen = IdentifierKind(kind)
    if chosen is IdentifierKind.PHONE:
        return normalise_phone(text)
    if chosen is IdentifierKind.EMAIL:
        return normalise_email(text)
    if chosen is IdentifierKind.SOCIAL:
        return normalise_social(extra, text)
    if chosen is IdentifierKind.VEHICLE:
        return normalise_vehicle(text)
    if chosen is IdentifierKind.BUSINESS:
        return normalise_business(text, extra) if extra.strip() else normalise_business_line(text)
    if chosen is IdentifierKind.COMPANY_NUMBER:
        return normalise_company_number(text)
    return normalise_address(text)
