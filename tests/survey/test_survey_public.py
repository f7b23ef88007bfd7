"""The public survey with the test client: anonymous, one question per page, nothing lost."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from survey_helpers import store_small_design

from safereport.survey.models import SurveyAnswer, SurveyResponse
from safereport.survey.selectors import SESSION_KEY

pytestmark = pytest.mark.django_db


def url(name: str, *args: object, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(f"public:{name}", args=args)


def test_the_survey_is_closed_until_a_design_is_stored(client):
    page = client.get(url("survey"))
    assert page.status_code == 200
    assert "The survey is not open yet" in page.content.decode()
    refused = client.post(url("survey_question", "age"), {"answer": "25_34"})
    assert refused.status_code == 302 and refused.url == url("survey")
    assert not SurveyResponse.objects.exists()


def test_the_introduction_says_it_is_anonymous_and_what_it_is_for(client):
    store_small_design()
    text = client.get(url("survey")).content.decode()
    assert "It is anonymous" in text
    assert "show what stops people from reporting" in text
    assert "3 choices" in text
    assert f'href="{url("survey_question", "age")}"' in text


def test_the_introduction_sets_no_cookie_and_opening_a_question_stores_nothing(client):
    store_small_design()
    assert not client.get(url("survey")).cookies
    assert client.get(url("survey_question", "age")).status_code == 200
    assert not SurveyResponse.objects.exists()
    assert client.get(url("survey_thanks")).status_code == 200


def test_a_person_answers_in_spanish_skipping_questions_with_a_mistake_and_a_back_step(client):
    store_small_design()
    intro = client.get(url("survey", lang="es")).content.decode()
    assert "Es anónima" in intro
    first = url("survey_question", "age", lang="es")
    # the first answer (here: skipping the age question) starts the response
    assert client.post(first, {}).url == url("survey_question", "region", lang="es")
    assert SurveyResponse.objects.count() == 1
    client.post(url("survey_question", "region", lang="es"), {"answer": "latin_america"})
    client.post(url("survey_question", "years", lang="es"), {"answer": "prefer_not_to_say"})
    last = client.post(url("survey_question", "experience", lang="es"), {"answer": "witnessed"})
    assert last.url == url("survey_task", 1, lang="es")

    task_page = client.get(last.url).content.decode()
    assert 'lang="es"' in task_page
    assert "No denunciaría" in task_page  # the opt-out label, translated from the core

    # no option chosen: an error summary linked to the first option, nothing stored
    error = client.post(last.url, {})
    assert error.status_code == 200
    body = error.content.decode()
    assert 'class="error-summary"' in body and 'href="#choice-A"' in body
    assert not SurveyAnswer.objects.exists()

    assert client.post(last.url, {"choice": "B"}).url == url("survey_task", 2, lang="es")
    # back to task 1: the answer is still chosen
    again = client.get(url("survey_task", 1, lang="es")).content.decode()
    assert 'value="B" id="choice-B" aria-describedby="choice-B-details" checked' in again
    # and the region answer is still chosen on its page
    region = client.get(url("survey_question", "region", lang="es")).content.decode()
    assert 'value="latin_america" id="answer-4" checked' in region

    client.post(url("survey_task", 2, lang="es"), {"choice": "no_report"})
    done = client.post(url("survey_task", 3, lang="es"), {"choice": "A"})
    assert done.url == url("survey_thanks", lang="es")
    assert SESSION_KEY not in client.session
    assert client.get(done.url).status_code == 200

    response = SurveyResponse.objects.get()
    assert response.completed and response.language == "es"
    assert (response.age_band, response.world_region, response.years_band) == (
        "",
        "latin_america",
        "prefer_not_to_say",
    )
    assert response.crime_experience == "witnessed"
    assert list(response.answers.order_by("task").values_list("choice", flat=True)) == [1, 2, 0]


def test_pages_without_a_survey_in_the_session_send_the_person_to_the_start(client):
    store_small_design()
    for page in (url("survey_task", 1), url("survey_question", "region")):
        response = client.get(page)
        assert response.status_code == 302 and response.url == url("survey")


def test_unknown_pages_and_tampered_answers_are_refused(client):
    store_small_design()
    client.post(url("survey_question", "age"), {})
    assert client.get(url("survey_question", "passport")).status_code == 404
    assert client.get(url("survey_task", 99)).status_code == 404
    tampered = client.post(url("survey_question", "region"), {"answer": "42"})
    assert tampered.status_code == 200
    assert "Choose one of the answers, or skip." in tampered.content.decode()
    bad = client.post(url("survey_task", 1), {"choice": "C"})
    assert bad.status_code == 200 and not SurveyAnswer.objects.exists()


def test_a_finished_survey_cannot_be_changed_afterwards(client):
    store_small_design()
    client.post(url("survey_question", "age"), {})
    for task in (1, 2, 3):
        client.post(url("survey_task", task), {"choice": "A"})
    assert client.post(url("survey_task", 1), {"choice": "B"}).url == url("survey")
    assert set(SurveyAnswer.objects.values_list("choice", flat=True)) == {0}


def test_a_second_survey_in_the_same_browser_is_a_new_response(client):
    store_small_design()
    client.post(url("survey_question", "age"), {})
    for task in (1, 2, 3):
        client.post(url("survey_task", task), {"choice": "A"})
    client.post(url("survey_question", "age"), {"answer": "55_plus"})
    assert SurveyResponse.objects.count() == 2
    assert SurveyResponse.objects.filter(completed=False, age_band="55_plus").count() == 1


def test_coming_back_to_the_introduction_resumes_at_the_next_unanswered_choice(client):
    store_small_design()
    client.post(url("survey_question", "age"), {})
    client.post(url("survey_task", 1), {"choice": "B"})
    intro = client.get(url("survey")).content.decode()
    assert "Continue the survey" in intro
    assert f'href="{url("survey_task", 2)}"' in intro
