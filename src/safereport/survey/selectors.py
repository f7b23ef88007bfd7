"""Reads of the survey app.

``access_survey_analysis(actor)`` is the analyst's door: it returns
aggregates only (never a response) or raises ``PermissionDenied``.
``choice_data(design)`` turns stored answers into core ``ChoiceData`` for the
export and the estimates; respondents get sequential ids in the order of
their random ids, so an export carries nothing about who answered when.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied

from safereport.accounts import permissions
from safereport.accounts.models import StaffUser
from safereport.core.choice import ChoiceData
from safereport.survey.models import SurveyAnswer, SurveyDesign, SurveyResponse

SESSION_KEY = "survey_response"

MIN_CELL = 10
"""Counts from 1 to MIN_CELL - 1 are never shown: the page says "fewer than 10"."""

MIN_RESPONDENTS_FOR_ESTIMATES = 30
"""Completed responses needed before the analyst page estimates anything."""


def response_in_session(session: Mapping[str, Any]) -> SurveyResponse | None:
    """The anonymous response this public session is answering, if any."""
    value = session.get(SESSION_KEY)
    if not value:
        return None
    return SurveyResponse.objects.select_related("design").filter(pk=value).first()


def choice_data(design: SurveyDesign, *, completed_only: bool = False) -> ChoiceData | None:
    """Every answered task of ``design`` (None when there is none)."""
    core_design = design.as_design()
    responses = design.responses.all()
    if completed_only:
        responses = responses.filter(completed=True)
    answers = (
        SurveyAnswer.objects.filter(response__in=responses)
        .select_related("response")
        .order_by("response_id", "task")
    )
    rows = []
    ids: dict[str, str] = {}
    width = max(4, len(str(responses.count())))
    for answer in answers:
        key = str(answer.response_id)
        respondent = ids.setdefault(key, f"r{len(ids) + 1:0{width}d}")
        block = answer.response.block
        s = core_design.set_indices(block)[answer.task - 1]
        rows.append((respondent, block, answer.task, core_design.levels[s].tolist(), answer.choice))
    if not rows:
        return None
    return ChoiceData.from_rows(core_design.experiment, rows)


def shown_count(n: int) -> dict[str, Any]:
    """A count as the analyst page may show it."""
    return {"value": n, "suppressed": 0 < n < MIN_CELL}


def _is_analyst(actor: StaffUser) -> bool:
    return bool(
        actor.is_authenticated and permissions.may_analyse(actor) and actor.is_verified()  # type: ignore[attr-defined]
    )


def access_survey_analysis(actor: StaffUser) -> dict[str, Any]:
    """Survey progress as suppressed aggregates, for an analyst; raises otherwise."""
    if not _is_analyst(actor):
        raise PermissionDenied
    design = SurveyDesign.objects.order_by("-pk").first()
    if design is None:
        return {"design": None}
    responses = design.responses.all()
    by_block = []
    for block in range(1, design.n_blocks + 1):
        in_block = responses.filter(block=block)
        by_block.append(
            {
                "block": block,
                "started": shown_count(in_block.count()),
                "completed": shown_count(in_block.filter(completed=True).count()),
            }
        )
    by_language = []
    for code, name in settings.LANGUAGES:
        in_language = responses.filter(language=code)
        by_language.append(
            {
                "code": code,
                "name": name,
                "started": shown_count(in_language.count()),
                "completed": shown_count(in_language.filter(completed=True).count()),
            }
        )
    completed = responses.filter(completed=True).count()
    return {
        "design": design,
        "total": {
            "started": shown_count(responses.count()),
            "completed": shown_count(completed),
        },
        "by_block": by_block,
        "by_language": by_language,
        "completed": completed,
    }
