"""Receipt passphrases: seven words from a list of 8,192 (exactly 91 bits).

The list is ``wordlist.txt`` beside this module; ``WORDLIST.md`` says how it
was made.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources

from safereport.core.crypto.errors import MalformedPassphrase

PASSPHRASE_WORDS = 7


@cache
def wordlist() -> tuple[str, ...]:
    """The receipt word list, sorted, loaded once from the package data."""
    text = resources.files("safereport.core.crypto").joinpath("wordlist.txt")
    words = tuple(text.read_text(encoding="ascii").split())
    return words


@cache
def _wordset() -> frozenset[str]:
    return frozenset(wordlist())


def passphrase_entropy_bits(words: Sequence[str] | None = None) -> float:
    """Entropy of a passphrase of ``PASSPHRASE_WORDS`` words drawn uniformly
    and independently from ``words`` (default: the receipt list)."""
    n = len(set(wordlist() if words is None else words))
    return PASSPHRASE_WORDS * math.log2(n)


def new_passphrase(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """Seven words chosen with ``randbelow`` (a CSPRNG: ``secrets.randbelow``),
    separated by single spaces."""
    words = wordlist()
    return " ".join(words[randbelow(len(words))] for _ in range(PASSPHRASE_WORDS))


def _segmentations(token: str, known: frozenset[str]) -> list[list[str]]:
    """Ways to read ``token`` as list words run together, at most two (two
    is enough to know it is ambiguous)."""
    # ways[i]: up to two segmentations of token[i:]
    ways: list[list[list[str]]] = [[] for _ in range(len(token) + 1)]
    ways[len(token)] = [[]]
    for i in range(len(token) - 1, -1, -1):
        found: list[list[str]] = []
        for length in range(3, 9):
            head = token[i : i + length]
            if len(head) == length and head in known:
                for rest in ways[i + length]:
                    found.append([head, *rest])
                    if len(found) == 2:
                        break
            if len(found) == 2:
                break
        ways[i] = found
    return ways[0]


def normalise_passphrase(typed: str) -> str:
    """The canonical form of a typed passphrase: lowercase words separated by
    single spaces. Case, surrounding and repeated whitespace, hyphens, dots
    and commas between words are forgiven, and so are missing spaces when
    the run-together words can be read only one way ("glassriver" reads as
    "glass river" if nothing else in the list fits).

    Raises ``MalformedPassphrase`` (with the word count and the 1-based
    positions of words not in the list) when it cannot be a receipt.
    """
    cleaned = typed.casefold()
    for separator in "-_.,;:/":
        cleaned = cleaned.replace(separator, " ")
    words = cleaned.split()
    known = _wordset()
    if len(words) < PASSPHRASE_WORDS or any(w not in known for w in words):
        split: list[str] = []
        for word in words:
            if word in known:
                split.append(word)
                continue
            readings = _segmentations(word, known)
            split.extend(readings[0] if len(readings) == 1 else [word])
        if len(split) == PASSPHRASE_WORDS and all(w in known for w in split):
            words = split
    unknown = tuple(i for i, w in enumerate(words, start=1) if w not in known)
    if len(words) != PASSPHRASE_WORDS or unknown:
        raise MalformedPassphrase(
            f"expected {PASSPHRASE_WORDS} words from the list, got {len(words)} words"
            + (f", not in the list at positions {list(unknown)}" if unknown else ""),
            word_count=len(words),
            unknown_positions=unknown,
        )
    return " ".join(words)
