"""How a typed receipt word is compared with the lists: its *skeleton*.

Standard library only (the list builder in scripts/ loads this file on its
own). A skeleton forgives what a keyboard or a hurried hand changes without
changing the word:

- case (``casefold``) and compatibility forms (NFKC: full-width letters);
- Latin diacritics (``ação`` → ``acao``, ``niño`` → ``nino``); the lists are
  built so that no two words share a skeleton, so this is never ambiguous;
- in Arabic script: short vowels and other marks (harakat, superscript alef),
  the tatweel, the hamza-seated alef forms (أ إ آ ٱ → ا), alef maksura and the
  Arabic/Persian yeh (ى ي → ی), the Arabic/Persian kaf (ك → ک), and the heh
  forms (ة ۃ ه → ہ). The Urdu yeh barree (ے) and do-chashmi heh (ھ) are
  letters of their own and are kept. The Persian letters پ چ ژ گ are letters
  of their own; the zero-width non-joiner some Persian keyboards put inside a
  word is dropped (no list word contains one).

Arabic-Indic and extended (Persian/Urdu) digits become ASCII digits.
"""

from __future__ import annotations

import unicodedata

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ی",
        "ي": "ی",
        "ك": "ک",
        "ة": "ہ",
        "ۃ": "ہ",
        "ه": "ہ",
        "ـ": None,  # tatweel
        "\u200c": None,  # zero-width non-joiner (Persian keyboards put it inside words)
    }
)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in {"Mn", "Me", "Mc"}


def fold_digits(text: str) -> str:
    """Every decimal digit (Arabic-Indic ٠-٩, extended ۰-۹, ...) as ASCII."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def skeleton(word: str) -> str:
    """The form of ``word`` that the lists are keyed by (see the module)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    # Compose again first so that the Arabic hamza forms (أ = ا + U+0654) are
    # single letters the fold can see, then drop what remains as marks.
    composed = unicodedata.normalize("NFC", decomposed).translate(_ARABIC_FOLD)
    stripped = "".join(c for c in unicodedata.normalize("NFD", composed) if not _is_mark(c))
    return unicodedata.normalize("NFC", stripped.translate(_ARABIC_FOLD))


def prefix(word: str, length: int = 4) -> str:
    """The first ``length`` letters of the word's skeleton: no two words of a
    list share one, so four letters are enough to know the word."""
    return skeleton(word)[:length]
