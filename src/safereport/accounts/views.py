"""Staff sign-in, sign-out and the home page of each role."""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from safereport.accounts import keys, permissions, signin, throttle
from safereport.accounts.access import StaffRequest, staff_page
from safereport.accounts.actions import (
    ActionRefused,
    do_change_password,
    do_grant_organisation_key,
    do_set_retention,
    record_event,
)
from safereport.accounts.forms import InviteForm, LoginForm, PasswordChangeForm, RetentionForm
from safereport.accounts.models import AuditEvent, OrganisationGrant
from safereport.accounts.selectors import colleagues_of, failed_jobs_for
from safereport.accounts.views_lifecycle import act_on_organisation_page, lifecycle_context
from safereport.core.events import EventKind
from safereport.core.vocabulary import Role

ROLE_HOME = {
    Role.CASEWORKER: "staff:inbox",
    Role.ORG_ADMIN: "staff:organisation",
    Role.POLICE_LIAISON: "staff:police",
    Role.SERVICE_STAFF: "staff:referrals",
    Role.ANALYST: "staff:analysis",
}


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Password and second factor together. Wrong passwords never lock the name
    (anyone could type it): the right password with a valid code always gets in,
    and guessing is slowed and reported instead (accounts/signin.py)."""
    form = LoginForm(request.POST or None)
    error = None
    guarded = False
    if request.method == "POST" and form.is_valid():
        outcome = signin.attempt(
            request,
            form.cleaned_data["username"],
            form.cleaned_data["password"],
            form.cleaned_data["code"],
        )
        if outcome.user is not None and outcome.device is not None:
            auth.login(request, outcome.user)
            otp_login(request, outcome.device)
            keys.unlock_at_sign_in(request, outcome.user, form.cleaned_data["password"])
            return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)
        error = _("Those details did not match. Check your username, password and code.")
        guarded = outcome.guarded
    return render(
        request,
        "accounts/login.html",
        {"form": form, "error": error, "guarded": guarded, "next": _safe_next(request) or ""},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_event(EventKind.STAFF_LOGOUT, actor=request.user)  # type: ignore[arg-type]
    auth.logout(request)
    return redirect("staff:login")


@staff_page(permissions.is_org_admin)
def organisation(
    request: StaffRequest,
    retention_form: RetentionForm | None = None,
    status: int = 200,
    invite_form: InviteForm | None = None,
) -> HttpResponse:
    user = request.user
    org = user.organisation
    events = AuditEvent.objects.filter(organisation=org).select_related("actor")[:50]
    granted = set(
        OrganisationGrant.objects.filter(organisation=org).values_list("staff_id", flat=True)
    )
    waiting = [
        c
        for c in colleagues_of(user)
        if c.pk not in granted and permissions.is_staff(c) and c.has_usable_password()
    ]
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": org,
            "colleagues": colleagues_of(user),
            "events": events,
            "waiting_for_key": waiting,
            "failed_jobs": failed_jobs_for(user),
            "retention_form": retention_form
            or RetentionForm(initial={"months": org.retention_months}),
            **lifecycle_context(request),
            **({"invite_form": invite_form} if invite_form is not None else {}),
        },
        status=status,
    )


@staff_page(permissions.is_org_admin)
@require_POST
def set_retention(request: StaffRequest) -> HttpResponse:
    form = RetentionForm(request.POST)
    if not form.is_valid():
        return organisation(request, retention_form=form, status=400)
    try:
        do_set_retention(
            request.user.organisation, form.cleaned_data["months"], acting_user=request.user
        )
    except ActionRefused as refused:
        form.add_error("months", str(refused))
        return organisation(request, retention_form=form, status=400)
    messages.success(
        request, _("Closed cases are now kept for %(months)d months.") % form.cleaned_data
    )
    return redirect("staff:organisation")


@staff_page(permissions.is_org_admin)
@require_POST
def grant_key(request: StaffRequest, staff_id: int) -> HttpResponse:
    """Give a colleague the organisation key, sealed to their own key. Needs this
    admin's keys unlocked in memory (signed in since the server started)."""
    user = request.user
    colleague = colleagues_of(user).filter(pk=staff_id).first()
    organisation_key = keys.unlocked_organisation(request)
    if colleague is None:
        raise PermissionDenied
    if organisation_key is None:
        messages.error(request, _("Sign out and sign in again first: your key is not unlocked."))
        return redirect("staff:organisation")
    return act_on_organisation_page(
        request,
        lambda: do_grant_organisation_key(
            colleague, organisation_key=organisation_key, acting_user=user
        ),
        _("%(name)s can now read your organisation's reports.") % {"name": colleague.display_name},
    )


@staff_page(permissions.is_staff)
@require_http_methods(["GET", "POST"])
def change_password(request: StaffRequest) -> HttpResponse:
    """Change your own password; your key is re-wrapped under the new one in
    the same transaction, and you stay signed in."""
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    # Wrong current passwords are counted for this account, so a session left open
    # cannot be used to guess the password (and the key). Only this session's holder
    # adds to the count, so it may refuse; sign-in failures typed by others do not.
    key = throttle.password_change(user.pk)
    wait = throttle.remaining_lock(key) if request.method == "POST" else None
    if wait is not None:
        form.is_valid()
        form.add_error(
            None,
            _("Too many wrong passwords. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, round(wait.total_seconds() / 60))},
        )
        record_event(EventKind.STAFF_LOGIN_THROTTLED, actor=user)
    elif request.method == "POST" and form.is_valid():
        try:
            unlocked = do_change_password(
                user,
                old_password=form.cleaned_data["current"],
                new_password=form.cleaned_data["new"],
                acting_user=user,
            )
        except ActionRefused:
            throttle.record_failure(key)
            record_event(EventKind.STAFF_LOGIN_FAILED, actor=user, where="password_change")
            form.add_error("current", _("That is not your current password."))
        except ValidationError as problems:
            form.add_error("new", problems)
        else:
            # The session gets a new key (Django cycles it); the sealed staff
            # key's slot moves with the session's data, so cases still open.
            throttle.clear(key)
            auth.update_session_auth_hash(request, user)
            if unlocked is not None:
                keys.remember_staff_key(request, unlocked, fresh=False)
            messages.success(request, _("Your password was changed."))
            return redirect(ROLE_HOME[user.staff_role])
    return render(
        request,
        "accounts/password.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
