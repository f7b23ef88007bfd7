"""Staff pages for a transfer of custody (issue 13, item 3): propose one,
see its state, record the reporter's spoken agreement, ask for a
safeguarding override, cancel. Thin: parse, call a selector or an action
(disclosures/transfers.py), render. No JavaScript."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safereport.accounts import keys, permissions
from safereport.accounts.access import StaffRequest, form_page, run_action, staff_page
from safereport.core.vocabulary import OrgKind
from safereport.disclosures import selectors, transfers
from safereport.disclosures.forms import (
    SpokenTransferConsentForm,
    TransferForm,
    TransferOverrideForm,
)
from safereport.disclosures.models import SECTION_LABELS, Transfer


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def transfer_report(request: StaffRequest, public_id: str) -> HttpResponse:
    """Propose moving a report to another organisation; earlier proposals below."""
    user = request.user
    report = selectors.access_own_report(user, public_id)
    offered = selectors.transfer_recipients(report)
    form = TransferForm(request.POST or None, offered=offered)
    transfer = form_page(
        request,
        "disclosures/transfer_new.html",
        {"report": report, "offered": offered, "transfers": selectors.transfers_for(report)},
        form,
        lambda: transfers.do_propose_transfer(
            report, recipient=form.cleaned_data["recipient"], acting_user=user
        ),
    )
    if isinstance(transfer, HttpResponse):
        return transfer
    return redirect("staff:disclosure_transfer", transfer_id=transfer.pk)


def _transfer_page(
    request: StaffRequest, transfer: Transfer, *, status: int = 200, **extra: Any
) -> HttpResponse:
    moved = transfer.status == Transfer.Status.DONE
    context = {
        "transfer": transfer,
        "moved": moved,
        "consent_form": SpokenTransferConsentForm(),
        "override_form": TransferOverrideForm(),
        # An override can move a report only to a specialist service (the policy's rule).
        "override_possible": transfer.to_org.org_kind is OrgKind.SPECIALIST_SERVICE,
        "section_names": [
            SECTION_LABELS[s] for s in sorted(transfers.sections_held(transfer.report))
        ]
        if not moved
        else [],
    }
    return render(request, "disclosures/transfer.html", context | extra, status=status)


@staff_page(permissions.is_case_worker)
def transfer_detail(request: StaffRequest, transfer_id: int) -> HttpResponse:
    """The state of one transfer. After the report has moved, the sender sees
    this record and nothing of the report."""
    return _transfer_page(request, selectors.access_transfer(request.user, transfer_id))


@staff_page(permissions.is_case_worker)
@require_POST
def transfer_cancel(request: StaffRequest, transfer_id: int) -> HttpResponse:
    transfer = selectors.access_transfer(request.user, transfer_id)
    done = run_action(
        lambda: transfers.do_cancel_transfer(transfer, acting_user=request.user),
        partial(_transfer_page, request, transfer),
    )
    if isinstance(done, HttpResponse):
        return done
    return redirect("staff:disclosure_transfer", transfer_id=transfer.pk)


@staff_page(permissions.is_case_worker)
@require_POST
def transfer_spoken_consent(request: StaffRequest, transfer_id: int) -> HttpResponse:
    """The reporter agreed by phone or in person: record it and move the report."""
    user = request.user
    transfer = selectors.access_transfer(user, transfer_id)
    form = SpokenTransferConsentForm(request.POST)
    outcome = run_action(
        lambda: transfers.do_transfer_with_spoken_consent(
            transfer,
            note=form.cleaned_data["note"],
            organisation_key=keys.unlocked_organisation(request),
            acting_user=user,
        ),
        partial(_transfer_page, request, transfer, consent_form=form),
        form=form,
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    transfer = selectors.access_transfer(user, transfer_id)
    if not outcome.allowed:
        reasons = [_(text) for text in selectors.refusal_reasons(outcome.attempt)]
        return _transfer_page(
            request, transfer, status=403, attempt=outcome.attempt, reasons=reasons
        )
    return redirect("staff:disclosure_transfer", transfer_id=transfer.pk)


@staff_page(permissions.is_case_worker)
@require_POST
def transfer_override(request: StaffRequest, transfer_id: int) -> HttpResponse:
    """Risk to life: ask a colleague to approve moving the report without consent."""
    user = request.user
    transfer = selectors.access_transfer(user, transfer_id)
    form = TransferOverrideForm(request.POST)
    override = run_action(
        lambda: transfers.do_request_transfer_override(
            transfer, reason=form.cleaned_data["reason"], acting_user=user
        ),
        partial(_transfer_page, request, transfer, override_form=form),
        form=form,
    )
    if isinstance(override, HttpResponse):
        return override
    return redirect("staff:disclosure_override", override_id=override.pk)
