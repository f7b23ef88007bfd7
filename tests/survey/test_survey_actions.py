"""Storing the design, starting, answering and completing responses: the real actions."""

from __future__ import annotations

import pytest
from django.db import models
from survey_helpers import store_small_design

from safereport.accounts.actions import ActionRefused
from safereport.accounts.models import AuditEvent
from safereport.core.choice import generate_design
from safereport.core.events import EventKind
from safereport.survey.actions import (
    SurveyClosed,
    do_answer_context_question,
    do_answer_survey_task,
    do_complete_survey_response,
    do_start_survey_response,
    do_store_survey_design,
)
from safereport.survey.models import SurveyAnswer, SurveyDesign, SurveyResponse

pytestmark = pytest.mark.django_db


def test_a_stored_design_round_trips_and_is_audited():
    design = generate_design(n_sets=6, n_blocks=2, seed=5, starts=1)
    stored = do_store_survey_design(design, acting_user=None)
    again = SurveyDesign.objects.get(pk=stored.pk).as_design()
    assert again.to_dict() == design.to_dict()
    assert (stored.n_sets, stored.n_blocks, stored.tasks_per_block()) == (6, 2, 3)
    event = AuditEvent.objects.get(kind=EventKind.SURVEY_DESIGN_STORED.value)
    assert event.detail == {"design": stored.pk, "n_sets": 6, "n_blocks": 2, "seed": 5}


def test_only_an_analyst_or_the_operator_may_store_a_design(personas):
    design = generate_design(n_sets=6, n_blocks=2, seed=5, starts=1)
    for user in (personas.caseworker, personas.org_admin, personas.police_liaison):
        with pytest.raises(ActionRefused):
            do_store_survey_design(design, acting_user=user)
    assert do_store_survey_design(design, acting_user=personas.analyst).pk


def test_no_response_can_start_before_a_design_exists():
    with pytest.raises(SurveyClosed):
        do_start_survey_response(language="en")


def test_blocks_are_filled_in_turn():
    store_small_design(n_sets=6, n_blocks=3)
    blocks = [do_start_survey_response(language="en").block for _ in range(7)]
    assert blocks == [1, 2, 3, 1, 2, 3, 1]


def test_answers_are_stored_per_task_and_a_changed_answer_replaces_the_first():
    store_small_design()
    response = do_start_survey_response(language="es")
    do_answer_survey_task(response, task=1, choice=0, language="es")
    do_answer_survey_task(response, task=1, choice=2, language="ar")
    assert list(response.answers.values_list("task", "choice")) == [(1, 2)]
    response.refresh_from_db()
    assert response.language == "ar"  # the language the person last answered in


@pytest.mark.parametrize(("task", "choice"), [(0, 0), (4, 0), (1, 3), (1, -1)])
def test_a_task_or_choice_out_of_range_is_refused(task, choice):
    store_small_design()
    response = do_start_survey_response(language="en")
    with pytest.raises(ValueError, match=r"out of range|has no task"):
        do_answer_survey_task(response, task=task, choice=choice, language="en")
    assert not SurveyAnswer.objects.exists()


def test_a_response_is_complete_only_when_every_task_is_answered():
    store_small_design()
    response = do_start_survey_response(language="en")
    for task in (1, 2):
        do_answer_survey_task(response, task=task, choice=1, language="en")
    assert do_complete_survey_response(response) is False
    do_answer_survey_task(response, task=3, choice=2, language="en")
    assert do_complete_survey_response(response) is True
    assert SurveyResponse.objects.get(pk=response.pk).completed


def test_context_answers_accept_only_their_own_codes_or_nothing():
    store_small_design()
    response = do_start_survey_response(language="en")
    do_answer_context_question(response, slug="region", value="latin_america")
    do_answer_context_question(response, slug="years", value="prefer_not_to_say")
    do_answer_context_question(response, slug="age", value="")
    with pytest.raises(ValueError):
        do_answer_context_question(response, slug="age", value="Peru")
    stored = SurveyResponse.objects.get(pk=response.pk)
    assert (stored.world_region, stored.years_band, stored.age_band) == (
        "latin_america",
        "prefer_not_to_say",
        "",
    )


def test_answers_are_never_written_to_the_audit_log():
    store_small_design()
    before = AuditEvent.objects.count()
    response = do_start_survey_response(language="en")
    do_answer_context_question(response, slug="age", value="25_34")
    do_answer_survey_task(response, task=1, choice=0, language="en")
    assert AuditEvent.objects.count() == before


def test_the_survey_tables_hold_no_time_finer_than_a_day_and_no_free_text():
    for model in (SurveyResponse, SurveyAnswer):
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateTimeField | models.TimeField), field
            assert not isinstance(field, models.TextField | models.GenericIPAddressField), field
            assert "ip" not in field.name.split("_") and "agent" not in field.name, field


def test_every_context_answer_fits_its_column():
    from safereport.survey.questions import QUESTIONS

    for question in QUESTIONS:
        column = SurveyResponse._meta.get_field(question.field)
        assert max(len(code) for code in question.codes) <= column.max_length, question.field
