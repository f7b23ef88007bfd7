"""Naming who is responsible later, from the return page (issue 16, docs/matching.md).

A reporter who has opened her report with her phrase may add details of the
person or business responsible: several at once, up to what her report may
still name. The page says how many more she may add, never which she added
before (nobody can read them). The same sentences of what happens on a match
and what never does, and the same box to tick, as at the review step.

Each detail spends one tag of the server's hourly budget, so each POST needs a
proof of work priced per detail written (``ProofPurpose.NAME``, proofs.py):
flooding the budget costs the flooder work (or waiting) for every detail. A
refusal by ``do_add_identifiers`` (the report's limit, the hour's budget)
is explained on the page, with what she typed kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from safereport.cases.models import Report
from safereport.core.pow import ProofPurpose
from safereport.intake.proofs import proof_required
from safereport.intake.returning import _with_report
from safereport.matching.actions import (
    MatchingRefused,
    MatchingThrottled,
    TooManyIdentifiers,
    do_add_identifiers,
)
from safereport.matching.forms import SeveralDetailsForm
from safereport.matching.selectors import identifiers_left

# Detail rows on the page at most (she can come back for more, up to her report's limit).
ROWS = 3


def details_written(request: HttpRequest) -> int:
    """How many details a POST names: what its proof of work must pay for."""
    return SeveralDetailsForm.started(request.POST, ROWS)


def _page(request: HttpRequest, form: SeveralDetailsForm, left: int, status: int) -> HttpResponse:
    summary = [
        (row["kind"].id_for_label, error)
        for row in form.rows
        if row.is_bound
        for error in row.non_field_errors()
    ]
    return render(
        request,
        "intake/name.html",
        # The language menu is plain links here, not buttons of this form.
        {"form": form, "left": left, "summary": summary, "language_form": ""},
        status=status,
    )


def _refusal(refused: MatchingRefused, left: int) -> tuple[str, int]:
    """What to tell her when the details were not added, and the page's status."""
    if isinstance(refused, TooManyIdentifiers) and left == 0:
        return _(
            "Your report has named as many details as one report may, so these were not added."
        ), 400
    if isinstance(refused, TooManyIdentifiers):
        return (
            ngettext(
                "Your report can name %(left)d more detail. Remove some and try again.",
                "Your report can name %(left)d more details. Remove some and try again.",
                left,
            )
            % {"left": left}
        ), 400
    if isinstance(refused, MatchingThrottled):
        return _(
            "Many details were added on this website in the last hour, so yours cannot be "
            "checked now. Nothing was added. What you typed is still here: please try again "
            "in an hour."
        ), 429
    return _("These details cannot be used now. Nothing was added."), 400


@require_http_methods(["GET", "POST"])
@_with_report
@proof_required(ProofPurpose.NAME, units=details_written)
def return_name(request: HttpRequest, report: Report, unlocked: Any) -> HttpResponse:
    left = identifiers_left(report)
    if request.method != "POST":
        return _page(request, SeveralDetailsForm(None, rows=min(ROWS, left)), left, 200)
    rows = min(ROWS, max(left, details_written(request), 1))
    form = SeveralDetailsForm(request.POST, rows=rows)
    if not form.is_valid():
        return _page(request, form, left, 400)
    try:
        do_add_identifiers(report, form.identifiers, acting_user=None)
    except MatchingRefused as refused:
        message, status = _refusal(refused, identifiers_left(report))
        form.refuse(message)  # what she typed stays in the form
        return _page(request, form, identifiers_left(report), status)
    # The same words whether a detail was new, named before, or matched another report.
    messages.success(
        request,
        _("Thank you. Your details were added and locked away."),
    )
    return redirect("public:return_name")
