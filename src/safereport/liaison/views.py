"""Staff pages of the police liaison. Thin: parse, ask a selector or an action, render.

The caseworker sends (``police_new``) and answers questions
(``police_answer``); the force's liaison officers list, open, acknowledge,
record the crime reference, ask and post updates, and print the summary.
Everything outside the officer's own force is a 404, recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safereport.accounts import keys, permissions
from safereport.accounts.access import StaffRequest, staff_page
from safereport.accounts.actions import ActionRefused
from safereport.accounts.models import StaffUser
from safereport.cases.views import ANSWER_LABELS
from safereport.core.crypto import CryptoError
from safereport.core.vocabulary import Section
from safereport.disclosures.actions import do_record_package_opened
from safereport.disclosures.models import SECTION_LABELS
from safereport.disclosures.selectors import access_own_report, open_report, refusal_reasons
from safereport.liaison import actions, selectors
from safereport.liaison.forms import (
    AcknowledgeForm,
    ConsentSource,
    CrimeReferenceForm,
    LiaisonTextForm,
    SendToPoliceForm,
)
from safereport.liaison.models import WAY_FOR_WANTS, PoliceHandover, Way

# -- the caseworker sends ---------------------------------------------------------


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def send_to_police(request: StaffRequest, public_id: str) -> HttpResponse:
    user = request.user
    report = access_own_report(user, public_id)
    if report.is_shredded:
        raise Http404("This report was deleted: nothing can be sent from it.")
    if request.method != "POST":
        initial = {
            "way": WAY_FOR_WANTS.get(report.wants, Way.NAMED).value,
            "consent": ConsentSource.EXISTING,
        }
        return _send_page(request, report, SendToPoliceForm(initial=initial))
    form = SendToPoliceForm(request.POST)
    if not form.is_valid():
        return _send_page(request, report, form, status=400)
    data = form.cleaned_data
    spoken = data["consent"] == ConsentSource.SPOKEN
    try:
        outcome = actions.do_send_to_police(
            report,
            force=data["force"],
            way=Way(data["way"]),
            sections=[Section(s) for s in data["sections"]],
            consent_words=data["consent_words"] if spoken else "",
            appointment_at=data["appointment_at"] if data["way"] == Way.ACCOMPANIED else None,
            appointment_place=data["appointment_place"] if data["way"] == Way.ACCOMPANIED else "",
            protocol_limits_told=data["protocol_limits_told"],
            organisation_key=keys.unlocked_organisation(request),
            acting_user=user,
        )
    except ActionRefused as refused:
        return _send_page(request, report, form, status=409, error=_(str(refused)))
    if not outcome.allowed:
        return _send_page(
            request,
            report,
            form,
            status=403,
            attempt=outcome.attempt,
            reasons=[_(text) for text in refusal_reasons(outcome.attempt)],
            error=_(
                "The consent you recorded was not kept: because nothing was shared, "
                "it has been withdrawn again (the log shows both)."
            )
            if outcome.consent_not_kept is not None
            else None,
        )
    return redirect(
        reverse("staff:case", kwargs={"public_id": report.public_id}) + "#police-liaison"
    )


def _send_page(
    request: StaffRequest, report: Any, form: SendToPoliceForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "liaison/send.html",
        {
            "report": report,
            "form": form,
            "asked_for": WAY_FOR_WANTS.get(report.wants),
            "wants_label": report.get_wants_display(),
            "consents": selectors.police_consents_of(report),
            "section_labels": {s.value: SECTION_LABELS[s] for s in Section},
            "rights_links": _rights_in_each_language(),
            **extra,
        },
        status=status,
    )


def _rights_in_each_language() -> list[dict[str, Any]]:
    """The public rights page's words on the police and the protocol, in every
    public language, for the caseworker to read with the reporter."""
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            url = reverse("public:rights") + "#protocol"
        links.append(
            {"code": code, "name": name, "url": url, "bidi": code in settings.LANGUAGES_BIDI}
        )
    return links


# -- the caseworker answers -------------------------------------------------------


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def answer_question(request: StaffRequest, handover_id: int, question_id: int) -> HttpResponse:
    user = request.user
    question = selectors.access_question_as_custodian(user, handover_id, question_id)
    handover = question.handover
    form = LiaisonTextForm(request.POST or None, label=gettext_lazy("Your answer"))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_answer_question(question, form.cleaned_data["text"], acting_user=user)
        except ActionRefused as refused:
            error = _(str(refused))
        else:
            return redirect(
                reverse("staff:case", kwargs={"public_id": handover.report.public_id})
                + "#police-liaison"
            )
    unlocked = open_report(handover.report, user, keys.unlocked_organisation(request))
    if unlocked is None:
        if request.method == "POST":
            return _locked_with_form(request, form, error=error)
        return render(request, "cases/keys_locked.html", status=409)
    opened = selectors.open_with_report(handover, unlocked)
    thread = next(((q, a) for q, a in opened.question_threads if q.pk == question.pk), None)
    return render(
        request,
        "liaison/answer.html",
        {"handover": handover, "thread": thread, "form": form, "error": error},
        status=400 if request.method == "POST" else 200,
    )


# -- the police force -----------------------------------------------------------


def _refused(request: StaffRequest, what: str) -> Http404:
    actions.do_record_police_access_refused(what, acting_user=request.user)
    return Http404("No such handover.")


def _police_handover(request: StaffRequest, handover_id: int) -> PoliceHandover:
    try:
        return selectors.access_handover_as_police(request.user, handover_id)
    except Http404:
        raise _refused(request, str(handover_id)) from None


@staff_page(permissions.is_police_liaison)
@require_safe
def handover_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "liaison/list.html",
        {
            "handovers": selectors.handovers_for_force(user),
            "other_packages": selectors.other_packages_for_force(user),
            "section_labels": {s.value: SECTION_LABELS[s] for s in Section},
        },
    )


def _labelled_sections(opened: selectors.OpenedHandover) -> list[tuple[str, str, list[Any]]]:
    """(section, label, items) with each item's answers as (label, value) pairs."""
    result = []
    package = opened.package
    for name, items in (package.sections if package else {}).items():
        shown = []
        for item in items:
            answers = item.get("answers")
            if isinstance(answers, dict):
                shown.append(
                    {
                        "answers": {
                            str(ANSWER_LABELS.get(k, k)): v for k, v in answers.items() if v
                        },
                        "added_at": item.get("added_at"),
                    }
                )
            else:
                shown.append({"media_type": item.get("media_type")})
        result.append((name, SECTION_LABELS[Section(name)], shown))
    return result


# The police liaison's forms on a handover page, by their name in its context,
# and what each does when posted (``police_form``).
_POLICE_FORMS: dict[str, Callable[..., Any]] = {
    "acknowledge_form": partial(AcknowledgeForm, auto_id="ack_%s"),
    "reference_form": partial(CrimeReferenceForm, auto_id="ref_%s"),
    "question_form": partial(
        LiaisonTextForm,
        label=gettext_lazy("Your question for the caseworker"),
        auto_id="question_%s",
    ),
    "update_form": partial(
        LiaisonTextForm,
        label=gettext_lazy("Progress update (the reporter will read it)"),
        auto_id="update_%s",
    ),
}
_POLICE_ACTIONS: dict[str, Callable[[PoliceHandover, dict[str, Any], StaffUser], object]] = {
    "acknowledge_form": lambda handover, data, user: actions.do_acknowledge_handover(
        handover, crime_reference=data["crime_reference"], acting_user=user
    ),
    "reference_form": lambda handover, data, user: actions.do_record_crime_reference(
        handover, data["crime_reference"], acting_user=user
    ),
    "question_form": lambda handover, data, user: actions.do_ask_question(
        handover, data["text"], acting_user=user
    ),
    "update_form": lambda handover, data, user: actions.do_post_update(
        handover, data["text"], acting_user=user
    ),
}


def _handover_page(
    request: StaffRequest,
    handover: PoliceHandover,
    *,
    template: str = "liaison/handover.html",
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    organisation = keys.unlocked_organisation(request)
    try:
        opened = (
            None if organisation is None else selectors.open_with_package(handover, organisation)
        )
    except CryptoError:
        opened = None
    if opened is None:
        if request.method == "POST":
            # What the officer typed stays on the page: nothing was saved.
            (form,) = forms.values()
            return _locked_with_form(request, form)
        return render(request, "disclosures/keys_locked.html", status=409)
    if request.method == "GET":
        # Opening the package is recorded when it is read, not when a form
        # that failed is shown again.
        do_record_package_opened(handover.package, acting_user=request.user)
    context = {
        "handover": handover,
        "opened": opened,
        "sections": _labelled_sections(opened),
        **{name: make() for name, make in _POLICE_FORMS.items()},
        "reference_form": _POLICE_FORMS["reference_form"](
            initial={"crime_reference": opened.crime_reference}
        ),
    }
    context.update(forms)
    return render(request, template, context, status=status)


@staff_page(permissions.may_follow_handovers)
@require_safe
def handover_detail(request: StaffRequest, handover_id: int) -> HttpResponse:
    """The force's page of one handover. A caseworker of the custodian (who
    follows a notification's link) is taken to the case's police panel."""
    user = request.user
    if permissions.is_case_worker(user):
        handover = selectors.access_handover_as_custodian(user, handover_id)
        return redirect(
            reverse("staff:case", kwargs={"public_id": handover.report.public_id})
            + "#police-liaison"
        )
    handover = _police_handover(request, handover_id)
    return _handover_page(request, handover)


@staff_page(permissions.is_police_liaison)
@require_safe
def handover_summary(request: StaffRequest, handover_id: int) -> HttpResponse:
    handover = _police_handover(request, handover_id)
    return _handover_page(request, handover, template="liaison/summary.html")


def _locked_with_form(
    request: StaffRequest, form: Any, *, error: str | None = None
) -> HttpResponse:
    """A POST that could not be saved while the keys are locked: the page
    cannot be shown, so the form comes back as typed, with the way out."""
    return render(
        request,
        "liaison/keys_locked_form.html",
        {"form": form, "error": error, "action": request.path},
        status=409,
    )


def _after(handover: PoliceHandover) -> HttpResponse:
    return redirect("staff:police_handover", handover_id=handover.pk)


@staff_page(permissions.is_police_liaison)
@require_POST
def police_form(request: StaffRequest, handover_id: int, form_name: str) -> HttpResponse:
    """One of the police liaison's forms on a handover page (``_POLICE_FORMS``):
    back to the handover, or its page again with the form and its errors, a
    refusal among them."""
    handover = _police_handover(request, handover_id)
    form = _POLICE_FORMS[form_name](request.POST)
    if form.is_valid():
        try:
            _POLICE_ACTIONS[form_name](handover, form.cleaned_data, request.user)
        except ActionRefused as refused:
            form.add_error(None, _(str(refused)))
        else:
            return _after(handover)
    return _handover_page(request, handover, status=400, **{form_name: form})
