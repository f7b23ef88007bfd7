"""Staff lifecycle pages: joining by invitation, and an admin's invitations,
deactivations and two-admin sign-in resets (actions in accounts/onboarding.py).

No JavaScript: the authenticator's QR code is an SVG drawn on the server,
with its secret also written out for typing."""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import quote

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from safereport.accounts import keys, permissions
from safereport.accounts.access import StaffRequest, staff_page
from safereport.accounts.actions import ActionRefused
from safereport.accounts.forms import InviteForm, JoinForm, OrganisationForm, ResetRequestForm
from safereport.accounts.models import ORG_KIND_LABELS, ROLE_LABELS, Invitation, SignInReset
from safereport.accounts.onboarding import (
    INVITATION_HOURS,
    InvitationRefused,
    IssuedInvitation,
    accept_invitation,
    approve_reset,
    do_deactivate_staff,
    do_found_organisation,
    do_invite_staff,
    do_request_reset,
    do_withdraw_invitation,
    open_invitation,
)
from safereport.accounts.selectors import (
    colleagues_of,
    open_invitations_of,
    organisations_for_operator,
    waiting_resets_of,
)
from safereport.core.vocabulary import STAFFED_ORG_KINDS, OrgKind, Role


def role_choices(request: StaffRequest) -> list[tuple[str, str]]:
    organisation = request.user.organisation
    assert organisation is not None  # noqa: S101 - staff_page checked it
    return [
        (role.value, str(ROLE_LABELS[role]))
        for role in Role
        if permissions.role_exists_in(role, organisation)
    ]


def lifecycle_context(request: StaffRequest) -> dict[str, object]:
    """What the organisation page shows of invitations and resets."""
    return {
        "invite_form": InviteForm(roles=role_choices(request)),
        "invitations": open_invitations_of(request.user),
        "resets": waiting_resets_of(request.user),
        "invitation_hours": INVITATION_HOURS,
        "now": timezone.now(),
    }


def _secret_text(invitation: Invitation) -> str:
    raw = bytes.fromhex(invitation.totp_key)
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _qr_svg(invitation: Invitation, account: str) -> str:
    issuer = "SafeReport"
    secret = _secret_text(invitation).replace(" ", "")
    label = quote(f"{issuer}:{account}")
    uri = f"otpauth://totp/{label}?secret={secret}&issuer={issuer}&digits=6&period=30"
    code = segno.make(uri, error="m")
    svg = code.svg_inline(
        scale=5, dark="#111", light="#fff", title="QR code for your authenticator app"
    )
    return mark_safe(svg)  # noqa: S308 - drawn by segno from our own URI, no typed text


def _refused_page(request: HttpRequest, refused: InvitationRefused) -> HttpResponse:
    return render(request, "accounts/join_refused.html", {"message": str(refused)}, status=410)


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Open before sign-in: the link's token is the invitee's only credential."""
    try:
        invitation = open_invitation(token)
    except InvitationRefused as refused:
        return _refused_page(request, refused)
    is_reset = invitation.purpose == Invitation.Purpose.RESET
    form = JoinForm(request.POST or None, needs_username=not is_reset)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = accept_invitation(
                token,
                username=form.cleaned_data.get("username", ""),
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except InvitationRefused as refused:
            if refused.field is None:
                return _refused_page(request, refused)
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            return render(
                request,
                "accounts/joined.html",
                {
                    "person": accepted.user,
                    "codes": accepted.backup_codes,
                    "has_key": accepted.has_key,
                },
            )
    account = invitation.staff.username if is_reset and invitation.staff else "new"
    return render(
        request,
        "accounts/join.html",
        {
            "invitation": invitation,
            "is_reset": is_reset,
            "form": form,
            "qr_svg": _qr_svg(invitation, account),
            "secret_text": _secret_text(invitation),
            "token": token,
        },
        status=400 if request.method == "POST" else 200,
    )


def _show_link(request: StaffRequest, issued: IssuedInvitation, *, heading: str) -> HttpResponse:
    return render(
        request,
        "accounts/invitation_link.html",
        {
            "issued": issued,
            "heading": heading,
            "invitation_hours": INVITATION_HOURS,
        },
    )


@staff_page(permissions.is_org_admin)
@require_POST
def invite(request: StaffRequest) -> HttpResponse:
    from safereport.accounts.views import organisation

    form = InviteForm(request.POST, roles=role_choices(request))
    if not form.is_valid():
        return organisation(request, invite_form=form, status=400)
    try:
        issued = do_invite_staff(
            request.user.organisation,
            role=Role(form.cleaned_data["role"]),
            display_name=form.cleaned_data["display_name"],
            email=form.cleaned_data["email"],
            organisation_key=keys.unlocked_organisation(request),
            acting_user=request.user,
        )
    except ActionRefused as refused:
        form.add_error(None, str(refused))
        return organisation(request, invite_form=form, status=400)
    return _show_link(
        request,
        issued,
        heading=_("Invitation for %(name)s") % {"name": form.cleaned_data["display_name"]},
    )


@staff_page(permissions.is_org_admin)
@require_POST
def withdraw_invitation(request: StaffRequest, invitation_id: int) -> HttpResponse:
    invitation = open_invitations_of(request.user).filter(pk=invitation_id).first()
    if invitation is None:
        raise PermissionDenied
    do_withdraw_invitation(invitation, acting_user=request.user)
    messages.success(request, _("The invitation was withdrawn: its link no longer works."))
    return redirect("staff:organisation")


def act_on_organisation_page(
    request: StaffRequest, action: Callable[[], object], done: str
) -> HttpResponse:
    """Run ``action`` and go back to the organisation page, saying ``done`` or,
    when the action is refused, why."""
    try:
        action()
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("staff:organisation")


@staff_page(permissions.is_org_admin)
@require_POST
def deactivate(request: StaffRequest, staff_id: int) -> HttpResponse:
    colleague = colleagues_of(request.user).filter(pk=staff_id).first()
    if colleague is None:
        raise PermissionDenied
    return act_on_organisation_page(
        request,
        lambda: do_deactivate_staff(colleague, acting_user=request.user),
        _("%(name)s is deactivated: signed out everywhere, and their key access revoked.")
        % {"name": colleague.display_name},
    )


@staff_page(permissions.is_org_admin)
@require_POST
def request_reset(request: StaffRequest, staff_id: int) -> HttpResponse:
    colleague = colleagues_of(request.user).filter(pk=staff_id).first()
    form = ResetRequestForm(request.POST)
    if colleague is None:
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, _("Choose what was lost: the password or the authenticator."))
        return redirect("staff:organisation")
    return act_on_organisation_page(
        request,
        lambda: do_request_reset(
            colleague,
            reason=SignInReset.Reason(form.cleaned_data["reason"]),
            acting_user=request.user,
        ),
        _("A second admin must now approve the reset of %(name)s's sign-in.")
        % {"name": colleague.display_name},
    )


@staff_page(permissions.is_org_admin)
@require_POST
def approve(request: StaffRequest, reset_id: int) -> HttpResponse:
    reset = waiting_resets_of(request.user).filter(pk=reset_id).first()
    if reset is None:
        raise PermissionDenied
    try:
        issued = approve_reset(
            reset, organisation_key=keys.unlocked_organisation(request), acting_user=request.user
        )
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("staff:organisation")
    return _show_link(
        request,
        issued,
        heading=_("New sign-in link for %(name)s") % {"name": reset.staff.display_name},
    )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@never_cache
@staff_page(permissions.is_platform_operator)
@require_http_methods(["GET", "POST"])
def operator(request: StaffRequest) -> HttpResponse:
    """The platform operator's page: organisations (no case data), and a new one made
    as `safereport organisation create` makes it. The result page shows the first
    admin's link and the recovery secret once, as a printable sheet."""
    kinds = [(k.value, str(ORG_KIND_LABELS[k])) for k in OrgKind if k in STAFFED_ORG_KINDS]
    form = OrganisationForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            founded = do_found_organisation(
                name=data["name"],
                kind=OrgKind(data["kind"]),
                admin_name=data["admin_name"],
                areas=_split(data["areas"]),
                languages=_split(data["languages"]),
                acting_user=None,  # the operator acts as at the server console
            )
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            return render(
                request,
                "accounts/operator_created.html",
                {
                    "organisation": founded.organisation,
                    "issued": founded.invitation,
                    "secret": founded.recovery_secret,
                    "invitation_hours": INVITATION_HOURS,
                    "made": timezone.now(),
                },
            )
    return render(
        request,
        "accounts/operator.html",
        {"organisations": organisations_for_operator(), "form": form},
        status=400 if request.method == "POST" else 200,
    )
