"""The anonymous public survey, under /<lang>/survey/. Works fully without JavaScript.

The only thing kept between pages is the random id of the response, in the
visitor's public session. Each page stores its answer at once, so going back,
switching language or making a mistake loses nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from safereport.core.choice import NO_REPORT
from safereport.survey import actions
from safereport.survey.forms import ContextForm, TaskForm
from safereport.survey.models import SurveyDesign, SurveyResponse
from safereport.survey.questions import QUESTIONS, QUESTIONS_BY_SLUG
from safereport.survey.selectors import SESSION_KEY, response_in_session


def _language() -> str:
    return translation.get_language() or "en"


def _steps_for(design: SurveyDesign) -> list[str]:
    """Every page of the journey in order, as URLs."""
    urls = [reverse("public:survey_question", args=[q.slug]) for q in QUESTIONS]
    urls += [
        reverse("public:survey_task", args=[t]) for t in range(1, design.tasks_per_block() + 1)
    ]
    return urls


def _steps(response: SurveyResponse) -> list[str]:
    return _steps_for(response.design)


def _progress(response: SurveyResponse, index: int) -> dict[str, Any]:
    steps = _steps(response)
    return {
        "step": index + 1,
        "steps": len(steps),
        "back_url": steps[index - 1] if index > 0 else reverse("public:survey"),
    }


def _lost(request: HttpRequest) -> HttpResponse:
    messages.info(
        request,
        _("This survey page has expired. Nothing you had answered can be linked to you."),
    )
    return redirect("public:survey")


def _resume_url(response: SurveyResponse) -> str:
    """Where a person who comes back to the introduction picks up."""
    answered = set(response.answers.values_list("task", flat=True))
    if not answered:
        return _steps(response)[0]
    n_tasks = response.design.tasks_per_block()
    missing = [t for t in range(1, n_tasks + 1) if t not in answered]
    return reverse("public:survey_task", args=[missing[0] if missing else n_tasks])


@require_safe
def intro(request: HttpRequest) -> HttpResponse:
    """The introduction. It sets no cookie: the survey starts with the first answer."""
    design = actions.current_design()
    response = response_in_session(request.session)
    in_progress = response is not None and not response.completed
    tasks = design.tasks_per_block() if design is not None else 0
    return render(
        request,
        "survey/intro.html",
        {
            "design": design,
            "tasks": tasks,
            "in_progress": in_progress,
            "start_url": (
                _resume_url(response)
                if in_progress and response is not None
                else reverse("public:survey_question", args=[QUESTIONS[0].slug])
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    item = QUESTIONS_BY_SLUG.get(slug)
    if item is None:
        raise Http404
    response = response_in_session(request.session)
    index = QUESTIONS.index(item)
    starting = response is None or response.completed
    if starting and (index > 0 or actions.current_design() is None):
        return _lost(request)
    if request.method == "POST":
        form = ContextForm(item, request.POST)
        if form.is_valid():
            if starting:
                response = actions.do_start_survey_response(language=_language())
                request.session[SESSION_KEY] = str(response.pk)
                request.session.pop("survey_done", None)
            assert response is not None  # noqa: S101 - narrows the type
            actions.do_answer_context_question(
                response, slug=slug, value=form.cleaned_data["answer"]
            )
            return redirect(_steps(response)[index + 1])
    elif starting:
        form = ContextForm(item)
    else:
        form = ContextForm(item, initial={"answer": getattr(response, item.field)})
    design = actions.current_design() if response is None else response.design
    assert design is not None  # noqa: S101 - checked above
    steps = len(QUESTIONS) + design.tasks_per_block()
    return render(
        request,
        "survey/question.html",
        {
            "form": form,
            "question": item,
            "step": index + 1,
            "steps": steps,
            "back_url": _steps_for(design)[index - 1] if index > 0 else reverse("public:survey"),
        },
    )


@require_http_methods(["GET", "POST"])
def task(request: HttpRequest, number: int) -> HttpResponse:
    response = response_in_session(request.session)
    if response is None or response.completed:
        return _lost(request)
    design = response.design.as_design()
    n_tasks = response.design.tasks_per_block()
    if not 1 <= number <= n_tasks:
        raise Http404
    experiment = design.experiment
    if request.method == "POST":
        form = TaskForm(experiment.option_labels, request.POST)
        if form.is_valid():
            actions.do_answer_survey_task(
                response, task=number, choice=form.choice_index(), language=_language()
            )
            if number < n_tasks:
                return redirect("public:survey_task", number + 1)
            if actions.do_complete_survey_response(response):
                request.session.pop(SESSION_KEY, None)
                request.session["survey_done"] = True
                return redirect("public:survey_thanks")
            # Some earlier task has no answer (answered in another tab?): go to it.
            answered = set(response.answers.values_list("task", flat=True))
            missing = min(t for t in range(1, n_tasks + 1) if t not in answered)
            return redirect("public:survey_task", missing)
    else:
        previous = response.answers.filter(task=number).first()
        initial = {}
        if previous is not None:
            initial["choice"] = experiment.alternative_names[previous.choice]
        form = TaskForm(experiment.option_labels, initial=initial)
    options = [
        {
            "label": label,
            "id": f"choice-{label}",
            "rows": [(_(attribute), _(level)) for attribute, level in described],
        }
        for label, described in zip(
            experiment.option_labels, design.describe_task(response.block, number), strict=True
        )
    ]
    selected = form["choice"].value()
    return render(
        request,
        "survey/task.html",
        {
            "form": form,
            "options": options,
            "opt_out": {"value": NO_REPORT, "id": f"choice-{NO_REPORT}"},
            "opt_out_label": _(experiment.opt_out_label),
            "selected": selected,
            "number": number,
            "n_tasks": n_tasks,
            **_progress(response, len(QUESTIONS) + number - 1),
        },
    )


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "survey/thanks.html", {"done": request.session.get("survey_done")})
