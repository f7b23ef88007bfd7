"""Staff pages of the firewall: share, consents, overrides, immigration
requests, and the recipients' packages. Thin: parse, ask a selector or an
action, render. Every page works without JavaScript."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safereport.accounts import keys, permissions
from safereport.accounts.access import StaffRequest, form_page, staff_page
from safereport.accounts.actions import ActionRefused
from safereport.accounts.models import Organisation
from safereport.cases.models import Report
from safereport.core.crypto import CryptoError
from safereport.core.policy import IMMIGRATION_AUTHORITY_REQUEST
from safereport.core.vocabulary import Purpose, Section
from safereport.disclosures import actions, selectors
from safereport.disclosures.forms import (
    ConsentForm,
    ImmigrationRequestForm,
    OverrideForm,
    RecipientStepForm,
    ShareForm,
    offered_sections,
)
from safereport.disclosures.models import (
    PURPOSE_LABELS,
    SECTION_LABELS,
    DisclosureAttempt,
    DisclosurePackage,
    Override,
)


def _reasons(attempt: DisclosureAttempt) -> list[str]:
    return [_(text) for text in selectors.refusal_reasons(attempt)]


@staff_page(permissions.is_case_worker)
def report_disclosures(request: StaffRequest, public_id: str) -> HttpResponse:
    """Everything about sharing one report: consents, attempts, overrides."""
    report = selectors.access_own_report(request.user, public_id)
    return render(
        request,
        "disclosures/report.html",
        {
            "report": report,
            "consents": selectors.consents_for(report),
            "attempts": selectors.attempts_for(report),
            "overrides": selectors.overrides_for(report),
            "purpose_labels": {p.value: PURPOSE_LABELS[p] for p in Purpose},
            "section_labels": {s.value: SECTION_LABELS[s] for s in Section},
        },
    )


def _not_yours(request: StaffRequest) -> HttpResponse:
    return render(request, "disclosures/not_yours.html", status=404)


@staff_page(permissions.is_staff)
@require_http_methods(["GET", "POST"])
def share(request: StaffRequest, public_id: str) -> HttpResponse:
    """Share a report: step one (recipient, purpose) then step two (sections).

    The POST is open to every staff role so that a crafted disclosure by
    anyone (a police user, another organisation's caseworker) reaches the
    firewall and is refused and recorded there."""
    user = request.user
    if request.method == "POST":
        try:
            report = selectors.report_for_disclosure(user, public_id)
        except Http404:
            return _not_yours(request)
        form = ShareForm(request.POST)
        if not form.is_valid():
            if report.custodian_id != user.organisation_id:
                return _not_yours(request)
            return _share_page(request, report, form, status=400)
        try:
            outcome = actions.do_disclose_report(
                report,
                recipient=form.cleaned_data["recipient"],
                purpose=Purpose(form.cleaned_data["purpose"]),
                sections=[Section(s) for s in form.cleaned_data["sections"]],
                organisation_key=keys.unlocked_organisation(request),
                acting_user=user,
            )
        except ActionRefused as refused:
            if report.custodian_id != user.organisation_id:
                return _not_yours(request)
            return _share_page(request, report, form, status=409, error=_(str(refused)))
        if report.custodian_id != user.organisation_id:
            return _not_yours(request)
        if outcome.allowed:
            return redirect("staff:disclosure_attempt", attempt_id=outcome.attempt.pk)
        return _share_page(request, report, form, status=403, attempt=outcome.attempt)
    if not permissions.is_case_worker(user):
        raise PermissionDenied
    report = selectors.access_own_report(user, public_id)
    step = RecipientStepForm(request.GET or None)
    if request.GET and step.is_valid():
        form = ShareForm(
            initial={
                "recipient": step.cleaned_data["recipient"].pk,
                "purpose": step.cleaned_data["purpose"],
            }
        )
        return _share_page(request, report, form)
    return render(
        request,
        "disclosures/share_step1.html",
        {"report": report, "form": step, "checked": bool(request.GET)},
        status=400 if request.GET else 200,
    )


def _share_page(
    request: StaffRequest,
    report: object,
    form: ShareForm,
    *,
    status: int = 200,
    attempt: DisclosureAttempt | None = None,
    error: str | None = None,
) -> HttpResponse:
    recipient_id = form["recipient"].value()
    recipient = Organisation.objects.filter(pk=recipient_id).first() if recipient_id else None
    try:
        purpose: Purpose | None = Purpose(str(form["purpose"].value()))
    except ValueError:
        purpose = None
    offered = offered_sections(recipient, purpose)
    chosen = set(form["sections"].value() or [])
    return render(
        request,
        "disclosures/share_step2.html",
        {
            "report": report,
            "form": form,
            "recipient": recipient,
            "purpose_label": PURPOSE_LABELS.get(purpose) if purpose else "",
            "sections": [(s.value, SECTION_LABELS[s], s.value in chosen) for s in offered],
            "attempt": attempt,
            "reasons": _reasons(attempt) if attempt else [],
            "error": error,
        },
        status=status,
    )


@staff_page(permissions.is_case_worker)
def attempt_detail(request: StaffRequest, attempt_id: int) -> HttpResponse:
    attempt = selectors.access_attempt(request.user, attempt_id)
    return render(
        request,
        "disclosures/attempt.html",
        {
            "attempt": attempt,
            "reasons": _reasons(attempt),
            "purpose_label": PURPOSE_LABELS[Purpose(attempt.purpose)],
            "section_names": [SECTION_LABELS[Section(s)] for s in attempt.sections],
        },
    )


def _choice_page(
    request: StaffRequest,
    public_id: str,
    form_class: type[ConsentForm] | type[OverrideForm],
    template: str,
    act: Callable[..., HttpResponse],
) -> HttpResponse:
    """A page where staff choose a recipient, a purpose and sections for one
    report: on a valid POST, ``act(report, data, recipient=, purpose=,
    sections=)`` writes and answers; a refusal is shown on the form."""
    report = selectors.access_own_report(request.user, public_id)
    form = form_class(request.POST or None)

    def chosen() -> HttpResponse:
        data = form.cleaned_data
        return act(
            report,
            data,
            recipient=data["recipient"],
            purpose=Purpose(data["purpose"]),
            sections=[Section(s) for s in data["sections"]],
        )

    return form_page(request, template, {"report": report}, form, chosen)


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def record_consent(request: StaffRequest, public_id: str) -> HttpResponse:
    def record(report: Report, data: dict[str, Any], **chosen: Any) -> HttpResponse:
        actions.do_record_spoken_consent(
            report,
            **chosen,
            note=data["note"],
            organisation_key=keys.unlocked_organisation(request),
            acting_user=request.user,
        )
        return redirect("staff:disclosure_report", public_id=report.public_id)

    return _choice_page(request, public_id, ConsentForm, "disclosures/consent.html", record)


@staff_page(permissions.is_case_worker)
@require_POST
def withdraw_consent(request: StaffRequest, public_id: str, consent_id: int) -> HttpResponse:
    user = request.user
    report = selectors.access_own_report(user, public_id)
    consent = selectors.access_consent(user, report, consent_id)
    actions.do_withdraw_consent_for_reporter(
        consent, organisation_key=keys.unlocked_organisation(request), acting_user=user
    )
    return redirect("staff:disclosure_report", public_id=report.public_id)


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def request_override(request: StaffRequest, public_id: str) -> HttpResponse:
    def ask(report: Report, data: dict[str, Any], **chosen: Any) -> HttpResponse:
        override = actions.do_request_override(
            report, **chosen, reason=data["reason"], acting_user=request.user
        )
        return redirect("staff:disclosure_override", override_id=override.pk)

    return _choice_page(request, public_id, OverrideForm, "disclosures/override_request.html", ask)


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def override_detail(request: StaffRequest, override_id: int) -> HttpResponse:
    user = request.user
    override = selectors.access_override(user, override_id)
    attempt = None
    error = None
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                actions.do_cancel_override(override, acting_user=user)
                return redirect("staff:disclosure_override", override_id=override.pk)
            outcome = actions.do_approve_override(
                override, organisation_key=keys.unlocked_organisation(request), acting_user=user
            )
        except ActionRefused as refused:
            error, status = _(str(refused)), 409
        else:
            if outcome.allowed:
                return redirect("staff:disclosure_attempt", attempt_id=outcome.attempt.pk)
            attempt, status = outcome.attempt, 403
        override = selectors.access_override(user, override_id)
    return render(
        request,
        "disclosures/override.html",
        {
            "override": override,
            "attempt": attempt,
            "reasons": _reasons(attempt) if attempt else [],
            "error": error,
            "may_approve": override.status == Override.Status.PENDING
            and override.requested_by_id != user.pk,
            "is_requester": override.requested_by_id == user.pk,
            "purpose_label": PURPOSE_LABELS[Purpose(override.purpose)],
            "section_names": [SECTION_LABELS[Section(s)] for s in override.sections],
        },
        status=status,
    )


@staff_page(permissions.is_case_worker)
def overrides_waiting(request: StaffRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "disclosures/overrides.html",
        {"overrides": selectors.pending_overrides_for(user)},
    )


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def immigration_request(request: StaffRequest) -> HttpResponse:
    """Record a request from an immigration authority; the firewall refuses it."""
    user = request.user
    form = ImmigrationRequestForm(request.POST or None)
    report = None
    reference = (request.POST.get("report") or request.GET.get("report") or "").strip()
    if reference:
        report = selectors.access_own_report(user, reference)
    recorded = form_page(
        request,
        "disclosures/immigration_request.html",
        {"report": report, "past": selectors.immigration_requests_for(user)[:20]},
        form,
        lambda: actions.do_record_immigration_request(
            authority=form.cleaned_data["authority"],
            what_was_asked=form.cleaned_data["what_was_asked"],
            received_on=form.cleaned_data["received_on"],
            report=report,
            acting_user=user,
        ),
    )
    if isinstance(recorded, HttpResponse):
        return recorded
    return redirect("staff:disclosure_immigration_refused", request_id=recorded.pk)


@staff_page(permissions.is_case_worker)
def immigration_refused(request: StaffRequest, request_id: int) -> HttpResponse:
    recorded = selectors.access_immigration_request(request.user, request_id)
    return render(
        request,
        "disclosures/immigration_refused.html",
        {
            "recorded": recorded,
            "firewall_text": _(IMMIGRATION_AUTHORITY_REQUEST),
            "reasons": _reasons(recorded.attempt),
        },
    )


# -- recipients -----------------------------------------------------------------


@staff_page(permissions.may_receive_packages)
def packages(request: StaffRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "disclosures/packages.html",
        {
            "packages": selectors.packages_for(user),
            "purpose_labels": {p.value: PURPOSE_LABELS[p] for p in Purpose},
            "section_labels": {s.value: SECTION_LABELS[s] for s in Section},
        },
    )


def _package_or_refuse(request: StaffRequest, package_id: str) -> DisclosurePackage:
    user = request.user
    try:
        return selectors.access_package(user, package_id)
    except Http404:
        actions.do_record_package_refused(package_id, acting_user=user)
        raise


def _opened(request: StaffRequest, package: DisclosurePackage) -> selectors.OpenedPackage | None:
    """The package opened with the organisation's key; None while the key is locked."""
    organisation = keys.unlocked_organisation(request)
    if organisation is None:
        return None
    try:
        return selectors.open_package(package, organisation)
    except CryptoError:
        return None


@staff_page(permissions.may_receive_packages)
def package_detail(request: StaffRequest, package_id: str, section: str = "") -> HttpResponse:
    user = request.user
    package = _package_or_refuse(request, package_id)
    if section and section not in package.sections:
        actions.do_record_package_refused(f"{package_id}/{section}"[:40], acting_user=user)
        raise Http404("This package holds no such section.")
    opened = _opened(request, package)
    if opened is None:
        return render(request, "disclosures/keys_locked.html", status=409)
    actions.do_record_package_opened(package, acting_user=user)
    shown = {k: v for k, v in opened.sections.items() if not section or k == section}
    return render(
        request,
        "disclosures/package.html",
        {
            "package": package,
            "sections": [
                (name, SECTION_LABELS[Section(name)], items) for name, items in shown.items()
            ],
            "purpose_label": PURPOSE_LABELS[Purpose(package.purpose)],
            "all_url": reverse("staff:disclosure_package", kwargs={"package_id": package_id}),
            "one_section": bool(section),
        },
    )


@staff_page(permissions.may_receive_packages)
def package_file(request: StaffRequest, package_id: str, number: int) -> HttpResponse:
    """One attachment of a package, as a download (never shown inline)."""
    user = request.user
    package = _package_or_refuse(request, package_id)
    if Section.ATTACHMENTS.value not in package.sections:
        actions.do_record_package_refused(f"{package_id}/files"[:40], acting_user=user)
        raise Http404("This package holds no files.")
    opened = _opened(request, package)
    if opened is None:
        return render(request, "disclosures/keys_locked.html", status=409)
    files = opened.sections.get(Section.ATTACHMENTS.value, [])
    if not 1 <= number <= len(files):
        raise Http404("No such file.")
    item = files[number - 1]
    media_type = str(item["media_type"])
    actions.do_record_package_opened(package, acting_user=user)
    response = HttpResponse(base64.b64decode(str(item["data"])), content_type=media_type)
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
        media_type.split(";")[0], "txt"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="package-{package.package_id[:8]}-{number}.{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
