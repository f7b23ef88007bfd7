"""The staff side of coordinated support: let the return page ask the reporter,
and share this report's reference with the organisation holding the other
report (matching/coordination.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safereport.accounts import keys, permissions
from safereport.accounts.access import StaffRequest, staff_page
from safereport.accounts.actions import ActionRefused
from safereport.cases.selectors import access_report
from safereport.matching.coordination import do_ask_reporter, do_share_reference
from safereport.matching.models import MatchSide


@staff_page(permissions.is_case_worker)
@require_POST
def share_reference(request: StaffRequest, public_id: str, side_id: int) -> HttpResponse:
    report = access_report(request.user, public_id)
    side = MatchSide.objects.filter(pk=side_id, report=report).select_related("report").first()
    if side is None:
        raise Http404("no such match")
    try:
        attempt = do_share_reference(
            side, acting_user=request.user, organisation_key=keys.unlocked_organisation(request)
        )
    except ActionRefused as refused:
        messages.error(request, _(str(refused)))
    else:
        if attempt.allowed:
            messages.success(
                request, _("The other organisation can now see that you hold this report.")
            )
        else:
            messages.error(request, _("The firewall refused this. Nothing was shared."))
    return redirect(reverse("staff:case", args=[public_id]) + "#match")


@staff_page(permissions.is_case_worker)
@require_POST
def ask_reporter(request: StaffRequest, public_id: str) -> HttpResponse:
    report = access_report(request.user, public_id)
    try:
        asked = do_ask_reporter(report, acting_user=request.user)
    except ActionRefused as refused:
        messages.error(request, _(str(refused)))
    else:
        if asked:
            messages.success(request, _("Her return page now asks her."))
    return redirect(reverse("staff:case", args=[public_id]) + "#match")
