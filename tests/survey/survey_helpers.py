"""Stored designs and answered surveys for the tests, made through the real actions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from safereport.core.choice import generate_design
from safereport.core.choice.synthetic import synthetic_responses
from safereport.survey.actions import (
    do_answer_context_question,
    do_answer_survey_task,
    do_complete_survey_response,
    do_start_survey_response,
    do_store_survey_design,
)
from safereport.survey.models import SurveyDesign, SurveyResponse

TRUE_VALUES = {
    "data_sharing:protocol": 0.3,
    "data_sharing:firewall": 1.2,
    "channel:online": 0.1,
    "channel:support_org": 0.5,
    "interpreter:yes": 0.5,
    "specialist_worker:yes": 0.6,
    "believed:yes": 0.8,
    "time_hours": -0.08,
    "no_report": 0.5,
}


def store_small_design(*, n_sets: int = 6, n_blocks: int = 2, seed: int = 3) -> SurveyDesign:
    design = generate_design(n_sets=n_sets, n_blocks=n_blocks, seed=seed, starts=1)
    return do_store_survey_design(design, acting_user=None)


def answer_surveys(
    n: int,
    *,
    language: str = "en",
    complete: bool = True,
    seed: int = 0,
    choices: Sequence[int] | None = None,
) -> list[SurveyResponse]:
    """``n`` people answer the newest design through the actions; their choices
    come from the synthetic model (or ``choices``, the same for everyone)."""
    stored = SurveyDesign.objects.order_by("-pk").first()
    assert stored is not None
    design = stored.as_design()
    simulated = synthetic_responses(design, max(n, 1) * design.n_blocks, TRUE_VALUES, seed=seed)
    rng = np.random.default_rng(seed)
    made = []
    for _ in range(n):
        response = do_start_survey_response(language=language)
        do_answer_context_question(response, slug="age", value="25_34")
        tasks = stored.tasks_per_block()
        # take a simulated respondent of the same block
        rows = np.flatnonzero(simulated.blocks == response.block)
        start = int(rng.integers(0, len(rows) // tasks)) * tasks
        for t in range(1, tasks + 1 if complete else tasks):
            choice = choices[t - 1] if choices else int(simulated.choices[rows[start + t - 1]])
            do_answer_survey_task(response, task=t, choice=choice, language=language)
        if complete:
            assert do_complete_survey_response(response)
        made.append(response)
    return made
