"""The sentence a reporter ticks to agree to share: in one voice, hers.

"I agree that <organisation> may pass <sections> to <recipient>, <why>."
Every part she wrote about is named in her own words ("what I said about
the person who harmed me"), so the sentence reads right for any set of
sections, with or without her name, and nothing in it can be read as if the
person who harmed her belonged to the recipient. The organisations' names
are isolated (``<bdi>``) so that a Latin name reads right in an Arabic or
Urdu sentence.

Which sections are offered to whom is decided in the core
(``core/referrals/consent_offers.py``); this module only words it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from safereport.core.vocabulary import Purpose, Section

# The parts of her report, as she would name them.
SECTION_WORDS: dict[Section, Promise] = {
    Section.INCIDENT: _("what happened"),
    Section.PERPETRATOR: _("what I said about the person who harmed me"),
    Section.IDENTITY: _("my name and what I said about myself"),
    Section.CONTACT: _("how to contact me safely"),
    Section.SUPPORT_NEEDS: _("what I need"),
}
# The identity section when she gave no name (only something else about herself).
IDENTITY_WITHOUT_NAME: Promise = _("what I said about myself")

# One whole sentence per purpose, so that each language can order its words.
SENTENCES: dict[Purpose, Promise] = {
    Purpose.CRIME_INVESTIGATION: _(
        "I agree that %(organisation)s may pass %(sections)s to %(recipient)s, "
        "so that they can look into the crime."
    ),
    Purpose.LEGAL_ADVICE: _(
        "I agree that %(organisation)s may pass %(sections)s to %(recipient)s, "
        "so that I can get legal advice."
    ),
}


def section_words(sections: Iterable[Section], *, named: bool) -> list[str]:
    """Her words for each section, in the order given; ``named`` says whether
    she gave her name (else the identity section is only what she said about
    herself)."""
    return [
        str(IDENTITY_WITHOUT_NAME if s is Section.IDENTITY and not named else SECTION_WORDS[s])
        for s in sections
    ]


def join_words(words: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c", with the current language's comma and "and"
    (escaped: the result is HTML when the words are)."""
    if len(words) <= 1:
        return "".join(words)
    comma = conditional_escape(pgettext("between items of a list", ", "))
    last_two = conditional_escape(
        pgettext("the last two items of a list", "%(items)s and %(last)s")
    )
    return last_two % {"items": comma.join(words[:-1]), "last": words[-1]}


def consent_sentence(
    *,
    organisation: str,
    recipient: str,
    purpose: Purpose,
    sections: Sequence[Section],
    named: bool,
) -> SafeString:
    """The whole sentence as HTML (every part escaped, names in ``<bdi>``)."""
    words = [conditional_escape(w) for w in section_words(sections, named=named)]
    return mark_safe(  # noqa: S308 - the sentence and every value in it are escaped here
        conditional_escape(str(SENTENCES[purpose]))
        % {
            "organisation": format_html("<bdi>{}</bdi>", organisation),
            "recipient": format_html("<bdi>{}</bdi>", recipient),
            "sections": join_words(words),
        }
    )
