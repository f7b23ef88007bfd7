"""Risk pages for the custodian's caseworkers and admins.

``staff:risk`` shows the latest result and the history, ``staff:risk_new``
the checklist (a re-assessment starts from the previous answers),
``staff:risk_exploitation`` the exploitation indicators and the NRM
guidance. Every view wears ``staff_page``; the report comes only through
``cases.selectors.access_report`` (another organisation's report is a 404),
and is opened with the organisation key unlocked at sign-in.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from safereport.accounts import keys, permissions
from safereport.accounts.access import StaffRequest, staff_page
from safereport.accounts.actions import ActionRefused
from safereport.assessments.actions import (
    do_record_exploitation_indicators,
    do_record_risk_assessment,
)
from safereport.assessments.forms import (
    ExploitationForm,
    NrmStepForm,
    RiskChecklistForm,
    exploitation_initial,
    initial_from,
)
from safereport.assessments.models import AssessmentKind
from safereport.assessments.selectors import (
    OpenedAssessment,
    OpenedExploitation,
    exploitation_history,
    risk_history,
)
from safereport.cases.models import Report
from safereport.cases.selectors import access_report, open_as_custodian
from safereport.core.crypto import CryptoError, UnlockedReport, seal_message
from safereport.core.referrals import ReferralKind, referral_offers
from safereport.core.referrals.kinds import KIND_LABELS
from safereport.core.referrals.offers import OfferReason
from safereport.core.risk import (
    ANSWER_LABELS,
    DOMESTIC_ABUSE_QUESTIONS,
    FLAG_LABELS,
    HONOUR_BASED_ABUSE_QUESTION,
    IMMIGRATION_ABUSE_INDICATORS,
    LEVEL_LABELS,
    NRM_GUIDANCE,
    NRM_HOME_OFFICE_WARNING,
    AgeGroup,
    AssessmentChange,
    ExploitationResult,
    NrmConsent,
    Reason,
    RiskError,
    RiskFlag,
    RiskResult,
    Trend,
    nrm_next_step,
)
from safereport.core.risk.slavery import NRM_STEP_TEXT, OFFER_TEXT
from safereport.referrals.offers import crime_type_of, offers_for

FLAG_MEANINGS = {
    RiskFlag.ESCALATION: gettext_lazy(
        "Repeated incidents by the same person in the last 12 months, becoming more "
        "frequent or more serious."
    ),
    RiskFlag.REPEAT: gettext_lazy("A new incident within 12 months of a MARAC referral."),
    RiskFlag.HONOUR_BASED_ABUSE: gettext_lazy(
        "A worry that the abuse is linked to ideas of honour or shame, including forced marriage."
    ),
    RiskFlag.IMMIGRATION_ABUSE: gettext_lazy(
        "Immigration used as a weapon: threats of deportation or of reporting, documents "
        "withheld, a visa or sponsorship used as control."
    ),
}
TREND_LABELS = {
    Trend.FIRST: gettext_lazy("First assessment"),
    Trend.RISING: gettext_lazy("Score rising"),
    Trend.STEADY: gettext_lazy("Score unchanged"),
    Trend.FALLING: gettext_lazy("Score falling"),
}


RiskView = Callable[..., HttpResponse]


def _open(request: StaffRequest, public_id: str) -> tuple[Report, UnlockedReport | None]:
    """The custodian's report (or 404) and its unlocked key, None while the
    organisation key is locked (keys are lost on a server restart)."""
    report = access_report(request.user, public_id)
    if report.is_shredded:
        raise Http404("This report was deleted.")
    organisation = keys.unlocked_organisation(request)
    if organisation is None:
        return report, None
    try:
        return report, open_as_custodian(report, organisation)
    except CryptoError:
        return report, None


def with_opened_report(view: RiskView) -> RiskView:
    """Give the view the custodian's report (or 404) and its unlocked key, or
    ask the staff member to sign in again before anything is typed."""

    @wraps(view)
    def wrapped(request: StaffRequest, public_id: str, **kwargs: Any) -> HttpResponse:
        report, unlocked = _open(request, public_id)
        if unlocked is None:
            return render(request, "cases/keys_locked.html", status=403)
        return view(request, report, unlocked, **kwargs)

    return wrapped


# -- what the pages show ---------------------------------------------------------


def _risk_error_text(error: RiskError) -> str:
    message = _(error.message)
    return message % error.params if error.params else message


def _recorded(form: forms.Form, record: Callable[[], object]) -> bool:
    """Run ``record`` (a form's action); if it is refused, or the answers do
    not make a valid assessment, put the reason on the form and say False."""
    try:
        record()
    except ActionRefused as refused:
        form.add_error(None, _(str(refused)))
    except RiskError as error:
        form.add_error(None, _risk_error_text(error))
    else:
        return True
    return False


def _reason_text(reason: Reason) -> str:
    message = _(reason.message)
    return message % reason.params if reason.params else message


@dataclass(frozen=True)
class OfferLink:
    label: str
    reasons: list[str]
    url: str


def referral_url(report: Report, kind: str) -> str:
    """The referrals app's page for a new referral of this kind."""
    base = reverse("staff:referral_new", kwargs={"public_id": report.public_id})
    return f"{base}?{urlencode({'kind': kind})}"


def offer_links(
    report: Report, *, risk: RiskResult | None, exploitation: ExploitationResult | None
) -> list[OfferLink]:
    """What the case page offers (``offers_for``: the routine offers and what
    the reporter asked for), with what the assessments add to it."""
    reasons: dict[ReferralKind, list[OfferReason]] = {}
    for offer in offers_for(report):
        reasons[offer.kind] = list(offer.reasons)
    for offer in referral_offers(crime_type_of(report), risk=risk, exploitation=exploitation):
        known = reasons.setdefault(offer.kind, [])
        known += [r for r in offer.reasons if r not in known]
    return [
        OfferLink(
            label=_(KIND_LABELS[kind]),
            reasons=[_(r.text) for r in found],
            url=referral_url(report, kind.value),
        )
        for kind, found in reasons.items()
    ]


def result_view(result: RiskResult) -> dict[str, Any]:
    return {
        "result": result,
        "total": len(DOMESTIC_ABUSE_QUESTIONS),
        "level_label": _(LEVEL_LABELS[result.level]),
        "flags": [(f.value, _(FLAG_LABELS[f]), FLAG_MEANINGS[f]) for f in result.flags],
        "reasons": [_reason_text(r) for r in result.reasons],
        "notes": [_reason_text(r) for r in result.notes],
        "factors": [_(q.topic) for q in result.risk_factors],
    }


def change_view(change: AssessmentChange | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "change": change,
        "trend": TREND_LABELS[change.trend],
        "level_before": _(LEVEL_LABELS[change.level_before]),
        "level_after": _(LEVEL_LABELS[change.level_after]),
        "newly_yes": [_(q.topic) for q in change.newly_yes],
        "no_longer_yes": [_(q.topic) for q in change.no_longer_yes],
        "indicators": [
            (_(c.question.topic), _(ANSWER_LABELS[c.before]), _(ANSWER_LABELS[c.after]))
            for c in change.indicators_changed
        ],
        "flags_added": [_(FLAG_LABELS[f]) for f in change.flags_added],
        "flags_removed": [_(FLAG_LABELS[f]) for f in change.flags_removed],
        "honour_changed": change.honour_before is not change.honour_after,
    }


def answers_view(item: OpenedAssessment) -> list[tuple[str, str, str, str]]:
    """(key, label, answer, comment) for every question of an assessment."""
    a = item.assessment
    rows = [
        (
            q.key,
            f"{q.number}. {_(q.topic)}",
            _(ANSWER_LABELS[a.answers[q.key].answer]),
            a.answers[q.key].comment,
        )
        for q in DOMESTIC_ABUSE_QUESTIONS
    ]
    rows.append(
        (
            HONOUR_BASED_ABUSE_QUESTION.key,
            _(HONOUR_BASED_ABUSE_QUESTION.topic),
            _(ANSWER_LABELS[a.honour_based_abuse.answer]),
            a.honour_based_abuse.comment,
        )
    )
    rows += [
        (
            q.key,
            _(q.topic),
            _(ANSWER_LABELS[a.immigration_answers[q.key].answer]),
            a.immigration_answers[q.key].comment,
        )
        for q in IMMIGRATION_ABUSE_INDICATORS
    ]
    if a.judgement is not None:
        rows.append(
            (
                "judgement",
                _("Professional judgement"),
                _(LEVEL_LABELS[a.judgement.level]),
                a.judgement.reason,
            )
        )
    return rows


def _latest_exploitation(report: Report, unlocked: UnlockedReport) -> OpenedExploitation | None:
    items = exploitation_history(report, unlocked)
    return items[-1] if items else None


# -- pages -----------------------------------------------------------------------


@staff_page(permissions.is_case_worker)
@require_safe
@with_opened_report
def risk(request: StaffRequest, report: Report, unlocked: UnlockedReport) -> HttpResponse:
    """The latest result, the history of assessments and what changed."""
    history: list[OpenedAssessment] = risk_history(report, unlocked)
    latest = history[-1] if history else None
    exploitation = _latest_exploitation(report, unlocked)
    rows = [
        {
            "item": item,
            "level_label": _(LEVEL_LABELS[item.result.level]),
            "trend": TREND_LABELS[item.change.trend] if item.change else TREND_LABELS[Trend.FIRST],
            "change": change_view(item.change),
        }
        for item in reversed(history)
    ]
    return render(
        request,
        "assessments/risk.html",
        {
            "report": report,
            "latest": latest,
            "latest_view": result_view(latest.result) if latest else None,
            "latest_change": change_view(latest.change) if latest else None,
            "rows": rows,
            "offers": offer_links(
                report,
                risk=latest.result if latest else None,
                exploitation=exploitation.result if exploitation else None,
            ),
            "exploitation": exploitation,
            "latest_answers": answers_view(latest) if latest else [],
        },
    )


@staff_page(permissions.is_case_worker)
@require_safe
@with_opened_report
def risk_record(
    request: StaffRequest, report: Report, unlocked: UnlockedReport, sequence: int
) -> HttpResponse:
    """One assessment of the history in full: its result, what changed from
    the one before it, and every answer."""
    found = [item for item in risk_history(report, unlocked) if item.sequence == sequence]
    if not found:
        raise Http404("No such assessment.")
    item = found[0]
    return render(
        request,
        "assessments/record.html",
        {
            "report": report,
            "item": item,
            "view": result_view(item.result),
            "change": change_view(item.change),
            "answers": answers_view(item),
        },
    )


DRAFT_ITEM = "risk-draft"


def _draft_slot(report: Report) -> str:
    return f"risk-draft:{report.public_id}"


def _keep_draft(request: StaffRequest, report: Report) -> None:
    """Keep a checklist sent while the key was locked for this staff session,
    sealed to the report (never in clear): signing in again keeps the session."""
    fields = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
    plaintext = json.dumps(fields, ensure_ascii=False).encode("utf-8")
    sealed = seal_message(report.public_id, bytes(report.public_key), DRAFT_ITEM, plaintext)
    request.session[_draft_slot(report)] = base64.b64encode(sealed).decode("ascii")


def _take_draft(
    request: StaffRequest, report: Report, unlocked: UnlockedReport
) -> MultiValueDict[str, str] | None:
    stored = request.session.pop(_draft_slot(report), None)
    if not isinstance(stored, str):
        return None
    try:
        fields = json.loads(unlocked.open_message(DRAFT_ITEM, base64.b64decode(stored)))
    except (CryptoError, ValueError):
        return None
    return MultiValueDict({str(k): [str(v) for v in values] for k, values in fields.items()})


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def risk_new(request: StaffRequest, public_id: str) -> HttpResponse:
    """The checklist. A re-assessment starts from the previous answers.

    Opening it with the organisation key locked asks to sign in again before
    anything is typed; a checklist *sent* with the key locked (the server
    restarted meanwhile) comes back with every answer, and a notice to sign in
    again in another tab and send it again."""
    report, unlocked = _open(request, public_id)
    today = timezone.localdate()
    if unlocked is None:
        if request.method != "POST":
            return render(request, "cases/keys_locked.html", status=403)
        form = RiskChecklistForm(request.POST, today=today)
        _keep_draft(request, report)
        return _checklist_page(
            request,
            report,
            form,
            previous=None,
            reassessment=report.risk_assessments.filter(
                kind=AssessmentKind.DOMESTIC_ABUSE
            ).exists(),
            keys_locked=True,
            draft=False,
            status=403,
        )
    history = risk_history(report, unlocked)
    previous = history[-1] if history else None
    draft = None
    if request.method == "POST":
        request.session.pop(_draft_slot(report), None)
        form = RiskChecklistForm(request.POST, today=today)
        if form.is_valid() and _recorded(
            form,
            lambda: do_record_risk_assessment(
                report, form.to_assessment(), unlocked=unlocked, acting_user=request.user
            ),
        ):
            messages.success(request, _("The risk assessment was recorded."))
            return redirect("staff:risk", public_id=report.public_id)
        status = 400
    elif (draft := _take_draft(request, report, unlocked)) is not None:
        form = RiskChecklistForm(draft, today=today)
        status = 200
    else:
        form = RiskChecklistForm(
            initial=initial_from(previous.assessment if previous else None), today=today
        )
        status = 200
    return _checklist_page(
        request,
        report,
        form,
        previous=previous,
        reassessment=previous is not None,
        keys_locked=False,
        draft=draft is not None,
        status=status,
    )


def _checklist_page(
    request: StaffRequest,
    report: Report,
    form: RiskChecklistForm,
    *,
    previous: OpenedAssessment | None,
    reassessment: bool,
    keys_locked: bool,
    draft: bool,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "assessments/risk_new.html",
        {
            "report": report,
            "form": form,
            "reassessment": reassessment,
            "previous": previous,
            "keys_locked": keys_locked,
            "draft": draft,
        },
        status=status,
    )


def _nrm_step(request: StaffRequest) -> tuple[NrmStepForm, str | None]:
    form = NrmStepForm(request.GET if "age" in request.GET or "consent" in request.GET else None)
    if form.is_bound and form.is_valid():
        step = nrm_next_step(
            AgeGroup(form.cleaned_data["age"]), NrmConsent(form.cleaned_data["consent"])
        )
        return form, _(NRM_STEP_TEXT[step])
    return form, None


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def risk_exploitation(request: StaffRequest, public_id: str) -> HttpResponse:
    """Exploitation indicators, what to offer, and the NRM guidance.

    Recording needs only the report's public key, so answers sent while the
    organisation key is locked (the server restarted) are still recorded; an
    invalid form then comes back with everything typed and a notice to sign
    in again. Opening the page with the key locked asks to sign in first."""
    report, unlocked = _open(request, public_id)
    if unlocked is None and request.method != "POST":
        return render(request, "cases/keys_locked.html", status=403)
    latest = _latest_exploitation(report, unlocked) if unlocked is not None else None
    status = 200
    if request.method == "POST":
        form = ExploitationForm(request.POST)
        if form.is_valid() and _recorded(
            form,
            lambda: do_record_exploitation_indicators(
                report, form.answers(), assessed_on=timezone.localdate(), acting_user=request.user
            ),
        ):
            messages.success(request, _("The exploitation indicators were recorded."))
            return redirect(
                reverse("staff:risk_exploitation", kwargs={"public_id": report.public_id})
                + "#result"
            )
        status = 400
    else:
        form = ExploitationForm(initial=exploitation_initial(latest.answers if latest else None))
    nrm_form, nrm_step_text = _nrm_step(request)
    risk_items = risk_history(report, unlocked) if unlocked is not None else []
    result = latest.result if latest else None
    return render(
        request,
        "assessments/exploitation.html",
        {
            "report": report,
            "form": form,
            "latest": latest,
            "present": [_(q.topic) for q in result.present_questions] if result else [],
            "exploitation_offers": [_(OFFER_TEXT[o]) for o in result.offers] if result else [],
            "offers": offer_links(
                report,
                risk=risk_items[-1].result if risk_items else None,
                exploitation=result,
            )
            if result and result.offers
            else [],
            "guidance": [(_(s.heading), _(s.body), s.key) for s in NRM_GUIDANCE],
            "home_office_warning": _(NRM_HOME_OFFICE_WARNING),
            "nrm_form": nrm_form,
            "nrm_step": nrm_step_text,
            "keys_locked": unlocked is None,
        },
        status=status,
    )
