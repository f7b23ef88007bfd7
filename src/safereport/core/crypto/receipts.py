"""Receipts a reporter can keep: words in her own language, or a number.

Two forms, both at least 80 bits:

- **words** from ``wordlists/<lang>.txt`` (2,048 words a language, built by
  scripts/build_wordlists.py; no two share a skeleton or its first four
  letters), as many as ``words_needed`` says: ceil(80 / log2(list size));
- **digits**: ``NUMBER_RANDOM_DIGITS`` random decimal digits (89.7 bits) and a
  Damm check digit, shown in groups of four. Any keyboard has digits, and the
  check digit catches every single wrong digit and every swap of two
  neighbours, so a typo is told apart from a wrong number.

The *canonical* text is what Argon2id derives the keys from: for words, the
skeletons (wordforms.py) joined by single spaces; for digits, the digits
alone. English words are their own skeletons, so a receipt of the first
English list (passphrase.py, seven words of 8,192) still derives the same
keys.
"""

from __future__ import annotations

import math
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from safereport.core.crypto.errors import MalformedPassphrase
from safereport.core.crypto.passphrase import normalise_passphrase, wordlist
from safereport.core.crypto.wordforms import fold_digits, skeleton

WORD_LANGUAGES = ("en", "es", "pt", "tl", "ar", "ur", "fa")
RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "he"})
MIN_BITS = 80
NUMBER_RANDOM_DIGITS = 27
NUMBER_GROUP = 4
DIGITS = "digits"  # the form's name beside the languages

# The Damm algorithm's quasigroup of order 10 (totally anti-symmetric).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_SEPARATORS = "-_.,;:/،؛·"


def damm_digit(digits: str) -> int:
    """The Damm check digit of a string of ASCII digits."""
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return interim


@cache
def language_words(lang: str) -> tuple[str, ...]:
    """The list for ``lang`` (NFC, sorted), loaded once from package data."""
    if lang not in WORD_LANGUAGES:
        raise KeyError(lang)
    text = resources.files("safereport.core.crypto").joinpath("wordlists", f"{lang}.txt")
    return tuple(text.read_text(encoding="utf-8").split())


@cache
def _by_skeleton(lang: str) -> dict[str, str]:
    """Skeleton → skeleton, plus each four-letter start → its word's skeleton."""
    found: dict[str, str] = {}
    for word in language_words(lang):
        found[skeleton(word)] = skeleton(word)
    for skel in list(found):
        if len(skel) > 4:
            found.setdefault(skel[:4], skel)
    return found


def words_needed(list_size: int) -> int:
    """Words drawn uniformly from a list of ``list_size`` for ``MIN_BITS``."""
    return math.ceil(MIN_BITS / math.log2(list_size))


def receipt_bits(form: str) -> float:
    """Entropy of a new receipt in ``form`` (a language code or ``DIGITS``)."""
    if form == DIGITS:
        return NUMBER_RANDOM_DIGITS * math.log2(10)
    size = len(language_words(form))
    return words_needed(size) * math.log2(size)


@dataclass(frozen=True, slots=True)
class NewReceipt:
    """A receipt as shown to her once: ``text`` to copy, ``parts`` for the
    numbered list (words) or the groups (digits), ``form`` and ``direction``."""

    text: str
    parts: tuple[str, ...]
    form: str

    @property
    def direction(self) -> str:
        return "rtl" if self.form in RTL_LANGUAGES else "ltr"

    @property
    def is_number(self) -> bool:
        return self.form == DIGITS


def new_receipt(form: str, randbelow: Callable[[int], int] = secrets.randbelow) -> NewReceipt:
    """A new receipt in ``form``: a language of ``WORD_LANGUAGES`` or ``DIGITS``."""
    if form == DIGITS:
        body = "".join(str(randbelow(10)) for _ in range(NUMBER_RANDOM_DIGITS))
        digits = body + str(damm_digit(body))
        groups = tuple(digits[i : i + NUMBER_GROUP] for i in range(0, len(digits), NUMBER_GROUP))
        return NewReceipt(text=" ".join(groups), parts=groups, form=DIGITS)
    words = language_words(form)
    while True:
        chosen = tuple(words[randbelow(len(words))] for _ in range(words_needed(len(words))))
        if not readable_by_an_earlier_list(chosen, form):
            return NewReceipt(text=" ".join(chosen), parts=chosen, form=form)


def readable_by_an_earlier_list(words: tuple[str, ...], form: str) -> bool:
    """Whether a list that ``canonical_receipt`` tries before ``form``'s could
    also read ``words``, each typed whole or cut to its first four letters.

    Such a receipt, typed cut, could resolve to that list's words and derive
    other keys than at creation: she would be told it is wrong. Lists differ
    in their words but not always in their starts (Portuguese after Spanish,
    Farsi after Arabic and Urdu), so about 0.5% of Portuguese draws and far
    fewer of the others are refused and drawn again: this costs under 0.01
    bit of the receipt's 88."""
    for lang in WORD_LANGUAGES[: WORD_LANGUAGES.index(form)]:
        if words_needed(len(language_words(lang))) != len(words):
            continue
        known = _by_skeleton(lang)
        if all(skeleton(w) in known or skeleton(w)[:4] in known for w in words):
            return True
    return False


def _canonical_number(compact: str) -> str:
    expected = NUMBER_RANDOM_DIGITS + 1
    if len(compact) != expected or damm_digit(compact) != 0:
        raise MalformedPassphrase(
            f"expected {expected} digits with a valid check digit, got {len(compact)} digits",
            word_count=len(compact),
            unknown_positions=(),
        )
    return compact


def _canonical_words(tokens: list[str]) -> str | None:
    skeletons = [skeleton(t) for t in tokens]
    for lang in WORD_LANGUAGES:
        known = _by_skeleton(lang)
        if len(skeletons) != words_needed(len(language_words(lang))):
            continue
        resolved = [known.get(s) for s in skeletons]
        if all(r is not None for r in resolved):
            return " ".join(r for r in resolved if r is not None)
    return None


def canonical_receipt(typed: str) -> str:
    """What Argon2id derives from: the typed receipt in its one canonical form.

    Forgiven: case, spacing and separators, Latin diacritics, Arabic marks and
    letter variants (wordforms.py), a word cut to its first four letters,
    Arabic-Indic and Persian digits, spaces or dashes inside the number. Raises
    ``MalformedPassphrase`` when the text is no receipt of any form (the
    1-based positions of words in no list are in ``unknown_positions``)."""
    text = unicodedata.normalize("NFKC", typed)
    for separator in _SEPARATORS:
        text = text.replace(separator, " ")
    compact = "".join(fold_digits(text).split())
    if compact.isdigit():
        return _canonical_number(compact)
    tokens = text.split()
    found = _canonical_words(tokens)
    if found is not None:
        return found
    return normalise_passphrase(typed)  # the first English list; raises with the positions


def unknown_words(typed: str) -> tuple[int, ...]:
    """1-based positions of typed words that are in none of the lists."""
    text = unicodedata.normalize("NFKC", typed)
    for separator in _SEPARATORS:
        text = text.replace(separator, " ")
    tokens = text.split()
    return tuple(
        i
        for i, token in enumerate(tokens, start=1)
        if not any(skeleton(token) in _by_skeleton(lang) for lang in WORD_LANGUAGES)
        and skeleton(token) not in _legacy_words()
    )


@cache
def _legacy_words() -> frozenset[str]:
    return frozenset(wordlist())
