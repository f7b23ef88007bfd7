"""Receipts in her own language or as a number: the lists, strength, and the
forgiving canonical form the keys are derived from."""

from __future__ import annotations

import math
import random
import unicodedata

import pytest

from safereport.core.crypto import MalformedPassphrase, Vault, new_passphrase
from safereport.core.crypto.receipts import (
    DIGITS,
    MIN_BITS,
    WORD_LANGUAGES,
    canonical_receipt,
    damm_digit,
    language_words,
    new_receipt,
    readable_by_an_earlier_list,
    receipt_bits,
    unknown_words,
    words_needed,
)
from safereport.core.crypto.wordforms import skeleton

SCRIPT = {
    "en": "LATIN",
    "es": "LATIN",
    "pt": "LATIN",
    "tl": "LATIN",
    "ar": "ARABIC",
    "ur": "ARABIC",
    "fa": "ARABIC",
}


def _seeded(seed: int) -> random.Random:
    return random.Random(seed)


@pytest.mark.parametrize("lang", WORD_LANGUAGES)
def test_each_list_is_big_normalised_in_its_script_with_unique_prefixes(lang: str) -> None:
    words = language_words(lang)
    assert len(words) >= 2048
    assert len(set(words)) == len(words)
    assert all(unicodedata.is_normalized("NFC", w) for w in words)
    assert all(
        c.isalpha() and unicodedata.name(c).startswith(SCRIPT[lang]) for w in words for c in w
    )
    prefixes = [skeleton(w)[:4] for w in words]
    assert len(set(prefixes)) == len(prefixes), "two words share their first four letters"
    assert len({skeleton(w) for w in words}) == len(words)


@pytest.mark.parametrize("form", [*WORD_LANGUAGES, DIGITS])
def test_every_form_carries_at_least_80_bits(form: str) -> None:
    assert receipt_bits(form) >= MIN_BITS
    receipt = new_receipt(form, _seeded(1).randrange)
    if form == DIGITS:
        assert len(receipt.text.replace(" ", "")) == 28
    else:
        assert len(receipt.parts) == words_needed(len(language_words(form)))
        assert len(receipt.parts) == math.ceil(80 / math.log2(len(language_words(form))))


def test_words_needed_follows_the_list_size() -> None:
    assert words_needed(2048) == 8
    assert words_needed(4096) == 7
    assert words_needed(8192) == 7
    assert words_needed(1024) == 8


@pytest.mark.parametrize("lang", WORD_LANGUAGES)
def test_a_receipt_reads_back_through_case_spacing_and_accents(lang: str) -> None:
    receipt = new_receipt(lang, _seeded(2).randrange)
    canonical = canonical_receipt(receipt.text)
    loose = "  " + "   ".join(w.upper() for w in receipt.parts) + " "
    assert canonical_receipt(loose) == canonical
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", receipt.text) if unicodedata.category(c) != "Mn"
    )
    assert canonical_receipt(stripped) == canonical
    cut = " ".join(w[:4] if len(w) > 4 else w for w in receipt.parts)
    assert canonical_receipt(cut) == canonical


def _cut(words: tuple[str, ...], which: set[int]) -> str:
    return " ".join(skeleton(w)[:4] if i in which else w for i, w in enumerate(words))


@pytest.mark.parametrize("lang", WORD_LANGUAGES)
def test_every_new_receipt_reads_back_the_same_with_any_word_cut(lang: str) -> None:
    """However many of her words she types cut to four letters, a new receipt
    derives the keys it was made with: no list tried earlier reads it."""
    rng = _seeded(7)
    for _ in range(2000):
        receipt = new_receipt(lang, rng.randrange)
        canonical = canonical_receipt(receipt.text)
        assert canonical == " ".join(skeleton(w) for w in receipt.parts)
        assert canonical_receipt(_cut(receipt.parts, set(range(len(receipt.parts))))) == canonical
        which = {i for i in range(len(receipt.parts)) if rng.random() < 0.5}
        assert canonical_receipt(_cut(receipt.parts, which)) == canonical


def test_a_draw_an_earlier_list_could_read_is_drawn_again() -> None:
    """Portuguese words whose starts are all Spanish starts: typed cut, Spanish
    is tried first and reads other words (other keys). Such a draw is refused."""
    spanish = {skeleton(w)[:4] for w in language_words("es")}
    words = language_words("pt")
    shared = [i for i, w in enumerate(words) if skeleton(w)[:4] in spanish and len(skeleton(w)) > 4]
    trap = tuple(words[i] for i in shared[:8])
    assert readable_by_an_earlier_list(trap, "pt")
    everything = set(range(8))
    assert canonical_receipt(_cut(trap, everything)) != canonical_receipt(" ".join(trap))
    # The first draw is the trap; the receipt made is the second, safe draw.
    script = iter([*shared[:8], *range(8)])
    receipt = new_receipt("pt", lambda _n: next(script))
    assert receipt.parts == words[:8]
    assert not readable_by_an_earlier_list(receipt.parts, "pt")


def test_arabic_letter_variants_and_marks_are_forgiven() -> None:
    words = language_words("ar")
    with_alef = [w for w in words if "أ" in w or "إ" in w]
    with_teh = [w for w in words if w.endswith("ة")]
    assert with_alef and with_teh
    parts = [with_alef[0], with_teh[0], *words[:6]]
    canonical = canonical_receipt(" ".join(parts))
    typed = [with_alef[0].replace("أ", "ا").replace("إ", "ا"), with_teh[0][:-1] + "ه", *words[:6]]
    typed[2] = "\u064e".join(typed[2]) + "ـ"  # a fatha after each letter and a tatweel
    assert canonical_receipt(" ".join(typed)) == canonical


def test_farsi_words_are_persian_spellings_and_forgive_arabic_letters_and_the_zwnj() -> None:
    words = language_words("fa")
    assert not any(set(w) & set("يكة") for w in words), "Persian ی ک ه, not Arabic ي ك ة"
    assert all("\u200c" not in w for w in words)
    assert any(set(w) & set("پچژگ") for w in words)
    with_yeh_kaf = [w for w in words if "ی" in w and "ک" in w][:2]
    with_heh = [w for w in words if w.endswith("ه") and len(w) > 3][:2]
    parts = [*with_yeh_kaf, *with_heh, *words[:4]]
    canonical = canonical_receipt(" ".join(parts))
    typed = [w.replace("ی", "ي").replace("ک", "ك") for w in with_yeh_kaf]
    typed += [w[:2] + "\u200c" + w[2:] for w in with_heh]  # a keyboard's non-joiner
    assert canonical_receipt(" ".join([*typed, *words[:4]])) == canonical
    assert canonical_receipt(" ".join(w[:4] for w in parts)) == canonical


@pytest.mark.parametrize("digits", ["٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"], ids=["arabic-indic", "persian"])
def test_the_number_may_be_typed_in_arabic_or_persian_digits(digits: str) -> None:
    compact = new_receipt(DIGITS, _seeded(4).randrange).text.replace(" ", "")
    typed = compact.translate(str.maketrans("0123456789", digits))
    assert canonical_receipt(" ".join(typed[i : i + 4] for i in range(0, 28, 4))) == compact


def test_the_number_forgives_groups_and_arabic_digits_and_checks_its_digit() -> None:
    receipt = new_receipt(DIGITS, _seeded(3).randrange)
    compact = receipt.text.replace(" ", "")
    assert damm_digit(compact) == 0
    assert canonical_receipt(receipt.text) == compact
    assert canonical_receipt("-".join(receipt.parts)) == compact
    arabic = compact.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert canonical_receipt(arabic) == compact
    for i in range(len(compact)):  # every single wrong digit is caught
        wrong = compact[:i] + str((int(compact[i]) + 1) % 10) + compact[i + 1 :]
        with pytest.raises(MalformedPassphrase):
            canonical_receipt(wrong)
    swaps = [
        compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :]
        for i in range(len(compact) - 1)
        if compact[i] != compact[i + 1]
    ]
    for swapped in swaps:  # and every swap of two neighbours
        with pytest.raises(MalformedPassphrase):
            canonical_receipt(swapped)


def test_old_english_receipts_keep_their_canonical_text() -> None:
    old = new_passphrase(_seeded(4).randrange)
    assert canonical_receipt(old.upper()) == old


def test_unknown_words_are_pointed_at() -> None:
    words = list(new_receipt("es", _seeded(5).randrange).parts)
    words[2] = "zzzqx"
    with pytest.raises(MalformedPassphrase):
        canonical_receipt(" ".join(words))
    assert unknown_words(" ".join(words)) == (3,)


def test_a_mixed_language_phrase_is_no_receipt() -> None:
    es = new_receipt("es", _seeded(6).randrange).parts
    ar = new_receipt("ar", _seeded(6).randrange).parts
    with pytest.raises(MalformedPassphrase):
        canonical_receipt(" ".join([*es[:4], *ar[:4]]))


def test_keys_depend_on_the_canonical_form_only(vault: Vault) -> None:
    receipt = vault.new_receipt("ar")
    same = vault.derive_receipt("  ".join(receipt.parts))
    assert same == vault.derive_receipt(receipt.text)
    number = vault.new_receipt(DIGITS)
    assert vault.derive_receipt(number.text) == vault.derive_receipt(number.text.replace(" ", ""))
    assert vault.derive_receipt(number.text) != same
