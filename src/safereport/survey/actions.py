"""Every write of the survey app.

The operator's writes (storing a design, exporting answers) are audited like
every other action. The public, anonymous writes (starting a response,
answering a question or a task, finishing) are deliberately *not* written to
the audit log: an audit row carries a time to the second and would date each
answer, which the survey promises never to keep. They take no ``acting_user``
because nobody is signed in; the response id held in the visitor's public
session is the only key.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from safereport.accounts import permissions
from safereport.accounts.actions import ActionRefused, record_event
from safereport.accounts.models import StaffUser
from safereport.core.choice import Design
from safereport.core.events import EventKind
from safereport.survey.models import SurveyAnswer, SurveyDesign, SurveyResponse
from safereport.survey.questions import QUESTIONS_BY_SLUG


class SurveyClosed(Exception):
    """There is no stored design, so the survey cannot be answered yet."""


def _require_operator_or_analyst(acting_user: StaffUser | None) -> None:
    """None is the operator at the server console (management commands)."""
    if acting_user is None:
        return
    if not permissions.may_analyse(acting_user):
        raise ActionRefused("Only an analyst or the operator can do that.")


@transaction.atomic(durable=True)
def do_store_survey_design(design: Design, *, acting_user: StaffUser | None) -> SurveyDesign:
    """Store a generated design; the newest stored design is the one the survey shows."""
    _require_operator_or_analyst(acting_user)
    stored = SurveyDesign.objects.create(
        created_on=timezone.localdate(),
        seed=design.seed,
        n_sets=design.n_sets,
        n_blocks=design.n_blocks,
        d_error=design.d_error,
        design=design.to_dict(),
    )
    record_event(
        EventKind.SURVEY_DESIGN_STORED,
        actor=acting_user,
        design=stored.pk,
        n_sets=design.n_sets,
        n_blocks=design.n_blocks,
        seed=design.seed,
    )
    return stored


@transaction.atomic(durable=True)
def do_record_survey_export(
    design: SurveyDesign, *, fmt: str, n_tasks: int, acting_user: StaffUser | None
) -> None:
    """Audit an export of the answers (the file itself is written by the caller)."""
    _require_operator_or_analyst(acting_user)
    record_event(
        EventKind.SURVEY_RESPONSES_EXPORTED,
        actor=acting_user,
        design=design.pk,
        format=fmt,
        tasks=n_tasks,
    )


def current_design() -> SurveyDesign | None:
    return SurveyDesign.objects.order_by("-pk").first()


@transaction.atomic(durable=True)
def do_start_survey_response(*, language: str) -> SurveyResponse:
    """Begin an anonymous response in the block with the fewest responses so far."""
    design = SurveyDesign.objects.select_for_update().order_by("-pk").first()
    if design is None:
        raise SurveyClosed
    counts = dict(
        design.responses.values_list("block").annotate(n=Count("pk")).values_list("block", "n")
    )
    block = min(range(1, design.n_blocks + 1), key=lambda b: (counts.get(b, 0), b))
    return SurveyResponse.objects.create(
        design=design, block=block, language=language, started_on=timezone.localdate()
    )


@transaction.atomic(durable=True)
def do_answer_context_question(response: SurveyResponse, *, slug: str, value: str) -> None:
    """Store one context answer; "" clears it (the question was skipped)."""
    question = QUESTIONS_BY_SLUG[slug]
    if value and value not in question.codes:
        raise ValueError(f"{value!r} is not an answer to {slug}")
    SurveyResponse.objects.filter(pk=response.pk).update(**{question.field: value})
    setattr(response, question.field, value)


@transaction.atomic(durable=True)
def do_answer_survey_task(
    response: SurveyResponse, *, task: int, choice: int, language: str
) -> SurveyAnswer:
    """Store (or change) the answer to one choice task."""
    design = response.design
    n_options = design.as_design().experiment.n_options
    if not 1 <= task <= design.tasks_per_block():
        raise ValueError(f"block {response.block} has no task {task}")
    if not 0 <= choice <= n_options:
        raise ValueError(f"choice {choice} is out of range")
    answer, _ = SurveyAnswer.objects.update_or_create(
        response=response, task=task, defaults={"choice": choice}
    )
    if response.language != language:
        SurveyResponse.objects.filter(pk=response.pk).update(language=language)
        response.language = language
    return answer


@transaction.atomic(durable=True)
def do_complete_survey_response(response: SurveyResponse) -> bool:
    """Mark the response complete once every task of its block is answered."""
    needed = response.design.tasks_per_block()
    if response.answers.count() < needed:
        return False
    SurveyResponse.objects.filter(pk=response.pk).update(completed=True)
    response.completed = True
    return True
