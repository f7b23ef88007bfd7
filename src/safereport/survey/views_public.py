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
from safereport.survey.models import SurveyResponse
from safereport.survey.questions import QUESTIONS, QUESTIONS_BY_SLUG
from safereport.survey.selectors import SESSION_KEY, response_in_session


def _language() -> str:
    return translation.get_language() or "en"


def _steps(response: SurveyResponse) -> list[str]:
    """Every page of the journey in order, as URLs."""
    urls = [reverse("public:survey_question", args=[q.slug]) for q in QUESTIONS]
    urls += [
        reverse("public:survey_task", args=[t])
        for t in range(1, response.design.tasks_per_block() + 1)
    ]
    return urls


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


@require_http_methods(["GET", "POST"])
def intro(request: HttpRequest) -> HttpResponse:
    design = actions.current_design()
    response = response_in_session(request.session)
    if request.method == "POST":
        if design is None:
            return redirect("public:survey")
        if response is None or response.completed:
            response = actions.do_start_survey_response(language=_language())
            request.session[SESSION_KEY] = str(response.pk)
        return redirect(_steps(response)[0])
    tasks = design.tasks_per_block() if design is not None else 0
    return render(
        request,
        "survey/intro.html",
        {
            "design": design,
            "tasks": tasks,
            "in_progress": response is not None and not response.completed,
        },
    )


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    item = QUESTIONS_BY_SLUG.get(slug)
    if item is None:
        raise Http404
    response = response_in_session(request.session)
    if response is None or response.completed:
        return _lost(request)
    index = QUESTIONS.index(item)
    if request.method == "POST":
        form = ContextForm(item, request.POST)
        if form.is_valid():
            actions.do_answer_context_question(
                response, slug=slug, value=form.cleaned_data["answer"]
            )
            return redirect(_steps(response)[index + 1])
    else:
        form = ContextForm(item, initial={"answer": getattr(response, item.field)})
    return render(
        request,
        "survey/question.html",
        {"form": form, "question": item, **_progress(response, index)},
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
