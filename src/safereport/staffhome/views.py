"""The staff home: the list of what is waiting for the person signed in, and
her own settings (how she wants alerts).

Every alert (``accounts.notify``) links here, and the list holds everything an
alert was about whether or not a mail went out: new unread reports, reporters'
messages, safeguarding overrides she may approve, legal deadlines within a
week, reports that matched another report in the last 30 days, and (for
admins) reports escalated as unread. Nothing depends on mail.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safereport.accounts import permissions
from safereport.accounts.access import StaffRequest, staff_page
from safereport.accounts.actions import ActionRefused, do_set_alert_preference
from safereport.accounts.forms import AlertPreferenceForm
from safereport.accounts.models import StaffUser
from safereport.accounts.views import ROLE_HOME
from safereport.cases import selectors as cases
from safereport.disclosures.selectors import pending_overrides_for
from safereport.matching.selectors import recently_matched_for
from safereport.referrals.selectors import deadlines_soon_for


def waiting_lists(user: StaffUser) -> dict[str, list[Any]]:
    """Everything waiting for ``user``, by kind (each list at most 50 long)."""
    overrides = [
        override
        for override in pending_overrides_for(user)
        if permissions.may_approve_override(user, override.report, override.requested_by_id)
    ]
    lists: dict[str, list[Any]] = {
        "unread": list(cases.unread_reports_for(user)[:50]),
        "escalated": list(cases.escalated_reports_for(user)[:50]),
        "awaiting_reply": list(cases.reports_awaiting_reply_for(user)[:50]),
        "overrides": overrides,
        "deadlines": deadlines_soon_for(user, timezone.localdate()),
        "matched": list(recently_matched_for(user, timezone.localdate())[:50]),
    }
    return lists


def anything_waiting(user: StaffUser) -> bool:
    """Whether the staff home should open on the list (``accounts.views.home``)."""
    return any(waiting_lists(user).values())


@staff_page(permissions.may_sign_in)
def home(request: StaffRequest) -> HttpResponse:
    if permissions.is_platform_operator(request.user):
        return redirect("staff:operator")
    # The home opens on what is waiting for her (new reports, messages,
    # overrides, deadlines, matches) whenever anything is; else on her usual page.
    if anything_waiting(request.user):
        return redirect("staff:waiting")
    return redirect(ROLE_HOME[request.user.staff_role])


@staff_page(permissions.is_staff)
def waiting(request: StaffRequest) -> HttpResponse:
    user = request.user
    lists = waiting_lists(user)
    return render(
        request,
        "accounts/waiting.html",
        {**lists, "nothing": not any(lists.values()), "alerts_by": user.alerts_by},
    )


@staff_page(permissions.is_staff)
@require_http_methods(["GET", "POST"])
def settings_page(request: StaffRequest) -> HttpResponse:
    user = request.user
    form = AlertPreferenceForm(request.POST or None, initial={"alerts_by": user.alerts_by})
    if request.method == "POST" and form.is_valid():
        try:
            do_set_alert_preference(user, form.cleaned_data["alerts_by"], acting_user=user)
        except ActionRefused as refused:
            form.add_error("alerts_by", str(refused))
        else:
            messages.success(request, "Your alert setting is saved.")
            return redirect("staff:settings")
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "has_address": bool(user.email)},
        status=400 if request.method == "POST" else 200,
    )
