"""Staff pages of referrals and the service directory. Thin: parse, ask a
selector or an action, render. Every page works without JavaScript."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safereport.accounts import keys, permissions
from safereport.accounts.access import StaffRequest, run_action, staff_page
from safereport.accounts.actions import ActionRefused
from safereport.cases.models import Consent, Report
from safereport.core.referrals import (
    KIND_LABELS,
    REFERRAL_PURPOSE,
    ROUTE_GUIDANCE,
    STATE_LABELS,
    ActorSide,
    LegalRoute,
    ReferralAction,
    ReferralKind,
    ReferralState,
    allowed_actions,
)
from safereport.core.referrals.lifecycle import ACTION_LABELS, REASON_REQUIRED
from safereport.core.vocabulary import Section
from safereport.disclosures import selectors as disclosure_selectors
from safereport.disclosures.forms import offered_sections
from safereport.disclosures.models import PURPOSE_LABELS, SECTION_LABELS, DisclosureAttempt
from safereport.disclosures.views import _reasons
from safereport.referrals import actions, selectors
from safereport.referrals.forms import (
    SPOKEN,
    ActionForm,
    DirectoryEntryForm,
    DirectorySearchForm,
    KindForm,
    LegalTaskForm,
    SendReferralForm,
)
from safereport.referrals.models import Referral
from safereport.referrals.offers import offers_for


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[ReferralKind(kind)])


def state_label(state: str) -> str:
    return _(STATE_LABELS[ReferralState(state)])


# -- the directory --------------------------------------------------------------


@staff_page(permissions.is_case_worker)
@require_safe
def directory(request: StaffRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    entries = []
    searched = bool(request.GET)
    if form.is_valid() or not searched:
        data = form.cleaned_data if searched else {}
        entries = selectors.search_directory(
            kind=data.get("kind", ""),
            language=data.get("language", ""),
            area=data.get("area", ""),
            text=data.get("q", ""),
        )
    return render(
        request,
        "referrals/directory.html",
        {
            "form": form,
            "entries": [(entry, [kind_label(k) for k in entry.kinds]) for entry in entries],
            "searched": searched,
        },
        status=400 if searched and not form.is_valid() else 200,
    )


@staff_page(permissions.is_org_admin)
@require_http_methods(["GET", "POST"])
def directory_entry(request: StaffRequest) -> HttpResponse:
    user = request.user
    organisation = user.organisation
    assert organisation is not None  # noqa: S101 - staff_page refuses accounts without one
    if request.method == "POST":
        form = DirectoryEntryForm(request.POST, organisation=organisation)
        error = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_change_directory_entry(
                    organisation,
                    actions.EntryChange(
                        description=data["description"],
                        referral_kinds=data.get("referral_kinds", []),
                        languages=data["languages"],
                        areas=data["areas"],
                        specialisms=data["specialisms"],
                        contact_email=data["contact_email"],
                        description_translations=form.description_translations(),
                    ),
                    acting_user=user,
                )
            except ActionRefused as refused:
                error = refused.translated()
            else:
                messages.success(request, _("Your directory entry is saved."))
                return redirect("staff:directory_entry")
        return render(
            request,
            "referrals/directory_entry.html",
            {"form": form, "organisation": organisation, "error": error},
            status=400,
        )
    form = DirectoryEntryForm(
        initial=DirectoryEntryForm.initial_for(organisation), organisation=organisation
    )
    return render(
        request,
        "referrals/directory_entry.html",
        {"form": form, "organisation": organisation, "error": None},
    )


# -- the list ---------------------------------------------------------------------


def _rows(referrals: list[Referral]) -> list[dict[str, object]]:
    return [
        {
            "referral": r,
            "kind": kind_label(r.kind),
            "state": state_label(r.state),
        }
        for r in referrals
    ]


@staff_page(permissions.may_use_referrals)
@require_safe
def referral_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    mine = list(selectors.referrals_for(user))
    received = [r for r in mine if r.service_id == user.organisation_id]
    sent = [r for r in mine if r.sender_id == user.organisation_id]
    return render(
        request,
        "referrals/list.html",
        {
            "received": _rows(received),
            "sent": _rows(sent),
            "is_case_role": permissions.may_send_referrals(user),
        },
    )


# -- sending ------------------------------------------------------------------------


def _consents_on_record(report: Report, service_id: object, kind: ReferralKind) -> list[Consent]:
    purpose = REFERRAL_PURPOSE[kind].value
    return list(report.consents.filter(recipient_id=service_id, purpose=purpose, withdrawn_at=None))


def _send_page(
    request: StaffRequest,
    report: Report,
    *,
    kind_form: KindForm,
    kind: ReferralKind | None,
    form: SendReferralForm | None,
    status: int = 200,
    attempt: DisclosureAttempt | None = None,
    error: str | None = None,
) -> HttpResponse:
    user = request.user
    services = selectors.services_for(kind, exclude=user.organisation) if kind else []
    chosen_service_id = str(form["service"].value() or "") if form is not None else ""
    if not chosen_service_id and len(services) == 1:
        chosen_service_id = str(services[0].organisation.pk)
    chosen_service = next(
        (e.organisation for e in services if str(e.organisation.pk) == chosen_service_id), None
    )
    purpose = REFERRAL_PURPOSE[kind] if kind else None
    legal = kind is ReferralKind.IMMIGRATION_LEGAL_ADVISER
    offered = offered_sections(chosen_service, purpose) if legal else offered_sections(None, None)
    if legal and chosen_service is None:
        offered = [s for s in Section if s is not Section.IMMIGRATION]
    chosen_sections = set(form["sections"].value() or []) if form is not None else set()
    consent_value = str(form["consent"].value() or "") if form is not None else ""
    consents = []
    if kind is not None:
        for entry in services:
            for consent in _consents_on_record(report, entry.organisation.pk, kind):
                consents.append(
                    (
                        entry.organisation.name,
                        [str(SECTION_LABELS[Section(s)]) for s in consent.sections],
                        consent,
                    )
                )
    return render(
        request,
        "referrals/new.html",
        {
            "report": report,
            "kind_form": kind_form,
            "kind": kind,
            "kind_label": kind_label(kind) if kind else "",
            "purpose_label": PURPOSE_LABELS[purpose] if purpose else "",
            "offers": [
                (offer, kind_label(offer.kind), [_(r.text) for r in offer.reasons])
                for offer in offers_for(report)
            ],
            "form": form,
            "services": [
                (entry, str(entry.organisation.pk) == chosen_service_id, kind_labels)
                for entry in services
                for kind_labels in [[kind_label(k) for k in entry.kinds]]
            ],
            "sections": [(s.value, SECTION_LABELS[s], s.value in chosen_sections) for s in offered],
            "consent_value": consent_value,
            "consents": consents,
            "attempt": attempt,
            "reasons": _reasons(attempt) if attempt else [],
            "error": error,
            "spoken": SPOKEN,
        },
        status=status,
    )


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def referral_new(request: StaffRequest, public_id: str) -> HttpResponse:
    """Refer a report: choose the kind (GET), then the service, sections and
    consent (POST); the firewall decides the disclosure."""
    user = request.user
    report = disclosure_selectors.access_own_report(user, public_id)
    if report.is_shredded:
        raise Http404("This report was deleted: nothing can be referred from it.")
    if request.method == "POST":
        form = SendReferralForm(request.POST)
        kind_value = request.POST.get("kind", "")
        kind = ReferralKind(kind_value) if kind_value in set(ReferralKind) else None
        kind_form = KindForm(initial={"kind": kind_value})
        again = partial(_send_page, request, report, kind_form=kind_form, kind=kind, form=form)
        if kind is None:
            return again(status=400)
        sent = run_action(
            lambda: actions.do_send_referral(
                report,
                kind=kind,
                service=form.cleaned_data["service"],
                sections=[Section(s) for s in form.cleaned_data["sections"]],
                consent_note=form.cleaned_data["consent_note"],
                organisation_key=keys.unlocked_organisation(request),
                acting_user=user,
            ),
            again,
            form=form,
        )
        if isinstance(sent, HttpResponse):
            return sent
        if sent.referral is not None:
            messages.success(request, _("The referral was sent."))
            return redirect("staff:referral", referral_id=sent.referral.pk)
        return again(
            status=403,
            attempt=sent.attempt,
            error=_(
                "The consent you recorded was not kept: because nothing was shared, "
                "it has been withdrawn again (the log shows both)."
            )
            if sent.consent_not_kept
            else None,
        )
    kind_form = KindForm(request.GET or None)
    if request.GET and kind_form.is_valid():
        kind = ReferralKind(kind_form.cleaned_data["kind"])
        form = SendReferralForm(initial={"kind": kind.value})
        return _send_page(request, report, kind_form=kind_form, kind=kind, form=form)
    return _send_page(
        request,
        report,
        kind_form=kind_form,
        kind=None,
        form=None,
        status=400 if request.GET else 200,
    )


# -- one referral -----------------------------------------------------------------


def _referral_page(
    request: StaffRequest,
    referral: Referral,
    *,
    status: int = 200,
    error: str | None = None,
    action_form: ActionForm | None = None,
    failed_action: str = "",
    task_form: LegalTaskForm | None = None,
) -> HttpResponse:
    user = request.user
    side = permissions.referral_side(user, referral)
    reader = selectors.reader_for(user, referral, keys.unlocked_organisation(request))
    events = list(referral.events.select_related("actor", "actor_organisation"))
    tasks = referral.legal_tasks.all()
    is_legal = referral.referral_kind is ReferralKind.IMMIGRATION_LEGAL_ADVISER
    can_track = (
        is_legal
        and side is ActorSide.RECEIVING_SERVICE
        and referral.referral_state in (ReferralState.ACCEPTED, ReferralState.IN_PROGRESS)
    )
    buttons = []
    for action in allowed_actions(referral.referral_state, side):
        buttons.append(
            {
                "value": action.value,
                "label": _(ACTION_LABELS[action]),
                "needs_reason": action in REASON_REQUIRED,
                "form": action_form if failed_action == action.value else ActionForm(),
            }
        )
    return render(
        request,
        "referrals/referral.html",
        {
            "referral": referral,
            "side": side.value,
            "is_sender": side is ActorSide.SENDING_ORGANISATION,
            "is_service": side is ActorSide.RECEIVING_SERVICE,
            "kind": kind_label(referral.kind),
            "state": state_label(referral.state),
            "events": [
                {
                    "event": e,
                    "label": _("Sent")
                    if e.action == "send"
                    else _(ACTION_LABELS[ReferralAction(e.action)]),
                    "state": state_label(e.state_after),
                    "reason": reader.read(e),
                }
                for e in events
            ],
            "buttons": buttons,
            "error": error,
            "is_legal": is_legal,
            "can_track": can_track,
            "tasks": selectors.task_rows(reader, tasks),
            "task_form": task_form or LegalTaskForm(),
            "guidance": [
                (
                    r.value,
                    _(ROUTE_GUIDANCE[r].title),
                    _(ROUTE_GUIDANCE[r].anchor_label),
                    _(ROUTE_GUIDANCE[r].deadline_text),
                )
                for r in LegalRoute
            ],
            "section_names": [SECTION_LABELS[Section(s)] for s in referral.package.sections],
            "package_for_me": referral.service_id == user.organisation_id,
        },
        status=status,
    )


@staff_page(permissions.may_use_referrals)
@require_http_methods(["GET", "POST"])
def referral_detail(request: StaffRequest, referral_id: int) -> HttpResponse:
    user = request.user
    referral = selectors.access_referral(user, referral_id)
    if request.method == "GET":
        return _referral_page(request, referral)
    value = request.POST.get("action", "")
    form = ActionForm(request.POST)
    if value not in set(ReferralAction):
        return _referral_page(
            request, referral, status=400, error=_("Choose one of the buttons on this page.")
        )
    if not form.is_valid():
        return _referral_page(
            request,
            referral,
            status=400,
            error=_("Keep the reason under 2000 characters."),
            action_form=form,
            failed_action=value,
        )

    def refused_page(**shown: Any) -> HttpResponse:
        again = selectors.access_referral(user, referral_id)
        return _referral_page(request, again, action_form=form, failed_action=value, **shown)

    done = run_action(
        lambda: actions.do_referral_action(
            referral, ReferralAction(value), reason=form.cleaned_data["reason"], acting_user=user
        ),
        refused_page,
        refused_status=400,
    )
    if isinstance(done, HttpResponse):
        return done
    updated = selectors.access_referral(user, referral_id)
    messages.success(
        request, _("The referral is now: %(state)s.") % {"state": state_label(updated.state)}
    )
    return redirect("staff:referral", referral_id=referral.pk)


@staff_page(permissions.may_use_referrals)
@require_POST
def legal_task_new(request: StaffRequest, referral_id: int) -> HttpResponse:
    user = request.user
    referral = selectors.access_referral(user, referral_id)
    form = LegalTaskForm(request.POST)
    done = run_action(
        lambda: actions.do_open_legal_task(
            referral,
            route=LegalRoute(form.cleaned_data["route"]),
            anchor_on=form.cleaned_data["anchor_on"],
            note=form.cleaned_data["note"],
            acting_user=user,
        ),
        partial(_referral_page, request, referral, task_form=form),
        form=form,
        refused_status=400,
    )
    if isinstance(done, HttpResponse):
        return done
    return redirect("staff:referral", referral_id=referral.pk)


@staff_page(permissions.may_use_referrals)
@require_POST
def legal_task_done(request: StaffRequest, referral_id: int, task_id: int) -> HttpResponse:
    user = request.user
    referral = selectors.access_referral(user, referral_id)
    task = referral.legal_tasks.filter(pk=task_id).first()
    if task is None:
        raise Http404("No such task.")
    done = run_action(
        lambda: actions.do_mark_legal_task_done(task, acting_user=user),
        partial(_referral_page, request, referral),
        refused_status=400,
    )
    if isinstance(done, HttpResponse):
        return done
    return redirect("staff:referral", referral_id=referral.pk)
