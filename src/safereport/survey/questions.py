"""The survey's context questions: coarse categories only, every one optional.

No question asks for anything that identifies a person or their immigration
status. Each has "Prefer not to say"; skipping a question is allowed too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PREFER_NOT_TO_SAY = "prefer_not_to_say"


@dataclass(frozen=True)
class Question:
    field: str  # SurveyResponse field
    slug: str  # in the URL
    text: Promise
    hint: Promise
    options: tuple[tuple[str, Promise], ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.options)


def _with_prefer_not(*options: tuple[str, Promise]) -> tuple[tuple[str, Promise], ...]:
    return (*options, (PREFER_NOT_TO_SAY, _("Prefer not to say")))


QUESTIONS: tuple[Question, ...] = (
    Question(
        field="age_band",
        slug="age",
        text=_("How old are you?"),
        hint=_("Choose a range. You can skip this question."),
        options=_with_prefer_not(
            ("under_25", _("Under 25")),
            ("25_34", _("25 to 34")),
            ("35_44", _("35 to 44")),
            ("45_54", _("45 to 54")),
            ("55_plus", _("55 or over")),
        ),
    ),
    Question(
        field="world_region",
        slug="region",
        text=_("Which part of the world do you come from?"),
        hint=_("Only a large region, never a country. You can skip this question."),
        options=_with_prefer_not(
            ("africa", _("Africa")),
            ("middle_east", _("Middle East or North Africa")),
            ("asia", _("Asia")),
            ("europe", _("Europe")),
            ("latin_america", _("Latin America or the Caribbean")),
            ("other", _("Somewhere else")),
        ),
    ),
    Question(
        field="years_band",
        slug="years",
        text=_("How long have you lived in this country?"),
        hint=_("Choose a range. You can skip this question."),
        options=_with_prefer_not(
            ("under_1", _("Less than 1 year")),
            ("1_4", _("1 to 4 years")),
            ("5_9", _("5 to 9 years")),
            ("10_plus", _("10 years or more")),
        ),
    ),
    Question(
        field="crime_experience",
        slug="experience",
        text=_("Have you experienced or seen a crime in this country?"),
        hint=_("We do not ask what happened. You can skip this question."),
        options=_with_prefer_not(
            ("experienced", _("Yes, it happened to me")),
            ("witnessed", _("Yes, I saw it happen to someone else")),
            ("both", _("Both")),
            ("neither", _("No")),
        ),
    ),
)

QUESTIONS_BY_SLUG = {q.slug: q for q in QUESTIONS}
