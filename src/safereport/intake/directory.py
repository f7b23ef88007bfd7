"""Suggesting a support organisation from the demo directory: language, area, need."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safereport.accounts.models import Organisation
from safereport.accounts.selectors import organisations_with_readers
from safereport.cases.actions import CUSTODIAN_KINDS
from safereport.core.vocabulary import CrimeType

# Words in an organisation's specialisms that fit each crime type.
SPECIALISM_WORDS = {
    "domestic_abuse": ("domestic abuse", "honour-based abuse", "forced marriage"),
    "sexual_violence": ("sexual violence",),
    CrimeType.STALKING_HARASSMENT.value: ("domestic abuse", "stalking"),
    "modern_slavery": ("labour exploitation", "modern slavery", "domestic workers"),
    "labour_exploitation": ("labour exploitation", "domestic workers"),
    "hate_crime": ("hate crime",),
    "other": (),
}


def custodians() -> QuerySet[Organisation]:
    """The organisations a reporter may choose or be sent to: support
    organisations that someone can read a report at now (an active caseworker
    holds the organisation's key). The one list behind the suggestions, the
    areas offered, the organisation step's choices and the submission."""
    return (
        organisations_with_readers()
        .filter(kind__in=[kind.value for kind in CUSTODIAN_KINDS])
        .select_related("key")  # the submission seals to it: no second query
        .order_by("name")
    )


def areas() -> list[str]:
    found: set[str] = set()
    for org in custodians():
        found.update(org.areas)
    return sorted(found)


@dataclass
class Suggestion:
    organisation: Organisation
    score: int
    reasons: list[str] = field(default_factory=list)

    @property
    def description(self) -> str:
        return self.organisation.description_in(get_language() or settings.LANGUAGE_CODE)[0]

    @property
    def description_lang(self) -> str:
        return self.organisation.description_in(get_language() or settings.LANGUAGE_CODE)[1]

    @property
    def description_dir(self) -> str:
        return "rtl" if self.description_lang in settings.LANGUAGES_BIDI else "ltr"


def suggest(*, language: str, area: str, crime_type: str) -> list[Suggestion]:
    names = dict(settings.LANGUAGES)
    out = []
    for org in custodians():
        suggestion = Suggestion(org, 0)
        if language and language in org.languages:
            suggestion.score += 3
            suggestion.reasons.append(
                _("Speaks %(language)s") % {"language": names.get(language, language)}
            )
        if area and area in org.areas:
            suggestion.score += 2
            suggestion.reasons.append(_("Works in %(area)s") % {"area": area})
        wanted = SPECIALISM_WORDS.get(crime_type, ())
        if any(word in wanted for word in org.specialisms):
            suggestion.score += 2
            suggestion.reasons.append(_("Specialises in this kind of harm"))
        out.append(suggestion)
    out.sort(key=lambda s: (-s.score, s.organisation.name))
    return out
