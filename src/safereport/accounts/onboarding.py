"""Onboarding and the staff lifecycle: every write, as actions.

- ``do_found_organisation``: the operator creates an organisation, its key
  (the recovery secret is returned once, never stored) and a one-time
  invitation for its first admin that carries the key.
- ``do_invite_staff``: an admin invites a colleague by role. The link's
  token is 256 random bits, stored only as its SHA-256, valid for
  ``INVITATION_HOURS`` and once. When the admin's key is unlocked, the
  organisation key travels sealed under the token, so the colleague reads
  reports as soon as they join; otherwise they wait for a colleague to grant
  it on the organisation page.
- ``accept_invitation``: the invitee sets a password and enrols an
  authenticator (the code they type proves it), and receives backup codes.
- ``do_deactivate_staff``: sessions end at once (an inactive account has no
  session), key grant revoked.
- ``do_request_reset`` / ``approve_reset``: a lost password or authenticator,
  asked by one admin and approved by another; the person re-enrols through a
  fresh invitation and is granted the key the approver holds. Counted in the
  public log (the organisation and a count, nothing else).
- ``do_recover_organisation``: the recovery secret opens the organisation key
  and makes a new admin invitation that carries it.

Refusals that a person must see (a bad link, a weak password, a wrong code,
approving one's own reset) are recorded as audit events in their own
transaction, after the refused action's transaction rolled back.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safereport.accounts import keys, permissions
from safereport.accounts.actions import (
    ActionRefused,
    _issue_backup_codes,
    create_organisation_step,
    record_event,
)
from safereport.accounts.models import (
    AuditEvent,
    Invitation,
    Organisation,
    OrganisationGrant,
    OrganisationKey,
    SignInReset,
    StaffUser,
)
from safereport.accounts.signals import counted_in_public_log
from safereport.core.crypto import CryptoError, UnlockedOrganisation
from safereport.core.events import EventKind
from safereport.core.vocabulary import OrgKind, Role

INVITATION_HOURS = 72
TOTP_TOLERANCE = 1  # one 30-second step either side, for a phone's clock


class InvitationRefused(ActionRefused):
    """The link cannot be used (unknown, used, withdrawn or expired), or what was
    typed on its page is not right. ``reason`` is a short word for the audit row."""

    def __init__(self, message: str, *, reason: str, field: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.field = field


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation and its token: the link is shown once, never stored."""

    invitation: Invitation
    token: str = field(repr=False)

    @property
    def path(self) -> str:
        return reverse("staff:join", args=[self.token])

    @property
    def link(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.path


@dataclass(frozen=True)
class Founded:
    organisation: Organisation
    invitation: IssuedInvitation
    recovery_secret: str = field(repr=False)


@dataclass(frozen=True)
class Accepted:
    user: StaffUser
    backup_codes: list[str] = field(repr=False)
    has_key: bool


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _invitation_id(invitation: Invitation) -> str:
    return f"invitation:{invitation.pk}"


def _issue(
    organisation: Organisation,
    *,
    role: Role,
    display_name: str,
    email: str = "",
    purpose: Invitation.Purpose = Invitation.Purpose.JOIN,
    staff: StaffUser | None = None,
    created_by: StaffUser | None,
    organisation_key: UnlockedOrganisation | None,
    now: dt.datetime,
) -> IssuedInvitation:
    token = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    invitation = Invitation.objects.create(
        organisation=organisation,
        purpose=purpose,
        role=role.value,
        display_name=display_name,
        email=email,
        staff=staff,
        token_hash=token_hash(token),
        totp_key=secrets.token_hex(20),
        created_by=created_by,
        expires_at=now + dt.timedelta(hours=INVITATION_HOURS),
    )
    if organisation_key is not None:
        if organisation_key.org_id != keys.org_id(organisation):
            raise ActionRefused("That key belongs to another organisation.")
        invitation.sealed_org_key = keys.vault().seal_for_invitation(
            organisation_key, invitation_id=_invitation_id(invitation), token=token.encode()
        )
        invitation.save(update_fields=["sealed_org_key"])
    return IssuedInvitation(invitation, token)


def _slug_for(name: str) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:70] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# -- organisations ---------------------------------------------------------------


@transaction.atomic(durable=True)
def do_found_organisation(
    *,
    name: str,
    kind: OrgKind,
    admin_name: str,
    admin_email: str = "",
    slug: str = "",
    areas: list[str] | None = None,
    languages: list[str] | None = None,
    referral_kinds: list[str] | None = None,
    description: str = "",
    acting_user: StaffUser | None,
    now: dt.datetime | None = None,
) -> Founded:
    """The operator's action: an organisation, its key and its first admin's
    invitation (carrying the key). Returns the recovery secret once."""
    if acting_user is not None:
        raise ActionRefused("Organisations are created by the operator of this installation.")
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ActionRefused(f"An organisation called {name!r} exists already.")
    if slug and Organisation.objects.filter(slug=slug).exists():
        raise ActionRefused(f"The short name {slug!r} is taken.")
    organisation = create_organisation_step(
        name=name,
        slug=slug or _slug_for(name),
        kind=kind,
        description=description,
        languages=languages,
        areas=areas,
        referral_kinds=referral_kinds,
        acting_user=None,
    )
    if not organisation.can_have_staff:
        raise ActionRefused(f"A {kind.value} can never have staff here.")
    founded = keys.vault().new_organisation(keys.org_id(organisation))
    OrganisationKey.objects.create(
        organisation=organisation,
        public_key=founded.public_key,
        recovery_wrap=founded.recovery_wrap,
    )
    record_event(EventKind.ORGANISATION_KEY_CREATED, organisation=organisation)
    invitation = _issue(
        organisation,
        role=Role.ORG_ADMIN,
        display_name=admin_name,
        email=admin_email,
        created_by=None,
        organisation_key=founded.unlocked,
        now=now or timezone.now(),
    )
    record_event(
        EventKind.STAFF_INVITED, organisation=organisation, role=Role.ORG_ADMIN.value, first=True
    )
    return Founded(organisation, invitation, founded.recovery_secret)


@transaction.atomic(durable=True)
def do_recover_organisation(
    organisation: Organisation,
    *,
    recovery_secret: str,
    admin_name: str,
    admin_email: str = "",
    acting_user: StaffUser | None,
    now: dt.datetime | None = None,
) -> IssuedInvitation:
    """An organisation that lost every admin: the operator opens its key with the
    recovery secret and makes a new admin invitation that carries it."""
    if acting_user is not None:
        raise ActionRefused("Only the operator of this installation recovers an organisation.")
    row = OrganisationKey.objects.filter(organisation=organisation).first()
    if row is None:
        raise ActionRefused(f"{organisation.name} has no key to recover.")
    try:
        unlocked = keys.vault().recover_organisation(
            keys.org_id(organisation),
            bytes(row.public_key),
            bytes(row.recovery_wrap),
            recovery_secret,
        )
    except CryptoError:
        raise ActionRefused("That is not this organisation's recovery secret.") from None
    issued = _issue(
        organisation,
        role=Role.ORG_ADMIN,
        display_name=admin_name,
        email=admin_email,
        created_by=None,
        organisation_key=unlocked,
        now=now or timezone.now(),
    )
    record_event(EventKind.ORGANISATION_RECOVERED, organisation=organisation)
    return issued


# -- invitations ---------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_invite_staff(
    organisation: Organisation,
    *,
    role: Role,
    display_name: str,
    email: str = "",
    organisation_key: UnlockedOrganisation | None,
    acting_user: StaffUser,
    now: dt.datetime | None = None,
) -> IssuedInvitation:
    """An admin invites a colleague; with ``organisation_key`` (the admin's, unlocked)
    the invitation carries it and the colleague can read reports once they join."""
    if not permissions.may_administer(acting_user, organisation):
        raise ActionRefused("Only an admin of this organisation can invite staff.")
    if not permissions.role_exists_in(role, organisation):
        raise ActionRefused(f"A {organisation.get_kind_display()} has no {role.value} staff.")
    issued = _issue(
        organisation,
        role=role,
        display_name=display_name,
        email=email,
        created_by=acting_user,
        organisation_key=organisation_key,
        now=now or timezone.now(),
    )
    record_event(
        EventKind.STAFF_INVITED,
        actor=acting_user,
        organisation=organisation,
        role=role.value,
        with_key=organisation_key is not None,
    )
    return issued


@transaction.atomic(durable=True)
def do_withdraw_invitation(invitation: Invitation, *, acting_user: StaffUser) -> None:
    if not permissions.may_administer(acting_user, invitation.organisation):
        raise ActionRefused("Only an admin of this organisation can withdraw an invitation.")
    Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        withdrawn_at=timezone.now(), sealed_org_key=None
    )
    record_event(EventKind.INVITATION_WITHDRAWN, actor=acting_user, role=invitation.role)


def _usable(invitation: Invitation | None, now: dt.datetime) -> Invitation:
    if invitation is None:
        raise InvitationRefused(
            "This invitation link is not valid. Check that you copied the whole link, "
            "or ask your organisation's admin for a new one.",
            reason="unknown",
        )
    if invitation.used_at is not None:
        raise InvitationRefused(
            "This invitation has been used already. Each link works once: sign in, "
            "or ask your organisation's admin for a new one.",
            reason="used",
        )
    if invitation.withdrawn_at is not None:
        raise InvitationRefused(
            "This invitation was withdrawn. Ask your organisation's admin for a new one.",
            reason="withdrawn",
        )
    if invitation.expires_at <= now:
        raise InvitationRefused(
            f"This invitation has expired (links last {INVITATION_HOURS} hours). "
            "Ask your organisation's admin for a new one.",
            reason="expired",
        )
    return invitation


def open_invitation(token: str, *, now: dt.datetime | None = None) -> Invitation:
    """The usable invitation behind ``token``, or ``InvitationRefused`` (recorded)."""
    invitation = Invitation.objects.filter(token_hash=token_hash(token)).first()
    try:
        return _usable(invitation, now or timezone.now())
    except InvitationRefused as refused:
        record_invitation_refusal(invitation, refused.reason)
        raise


def totp_of(invitation: Invitation) -> TOTP:
    return TOTP(bytes.fromhex(invitation.totp_key))


def _matching_step(invitation: Invitation, code: str) -> int | None:
    """The time step at which ``code`` is valid for the invitation's secret, or None."""
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = totp_of(invitation)
    for drift in range(-TOTP_TOLERANCE, TOTP_TOLERANCE + 1):
        totp.drift = drift
        if totp.token() == int(code):
            return totp.t()
    return None


@transaction.atomic(durable=True)
def _accept(token: str, *, username: str, password: str, code: str, now: dt.datetime) -> Accepted:
    invitation = _usable(
        Invitation.objects.select_for_update().filter(token_hash=token_hash(token)).first(), now
    )
    organisation = invitation.organisation
    if invitation.purpose == Invitation.Purpose.RESET:
        user = invitation.staff
        if user is None or not user.is_active:
            raise InvitationRefused(
                "This account is no longer active. Ask your organisation's admin.",
                reason="inactive",
            )
    else:
        if not username:
            raise InvitationRefused("Choose a username.", reason="username", field="username")
        if StaffUser.objects.filter(username__iexact=username).exists():
            raise InvitationRefused(
                "That username is taken. Choose another.", reason="username", field="username"
            )
        user = StaffUser(
            username=username,
            display_name=invitation.display_name,
            email=invitation.email,
            organisation=organisation,
            role=invitation.role,
        )
    try:
        validate_password(password, user)
    except ValidationError as problems:
        raise InvitationRefused(
            " ".join(problems.messages), reason="weak_password", field="password"
        ) from None
    step = _matching_step(invitation, code)
    if step is None:
        raise InvitationRefused(
            "That code did not match. Check that your phone's clock is right, scan the "
            "code again or type the secret, and type the 6 digits shown now.",
            reason="wrong_code",
            field="code",
        )
    user.set_password(password)
    user.save()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=True, key=invitation.totp_key, last_t=step
    )
    codes = _issue_backup_codes(user)
    record, unlocked_staff = keys.vault().new_staff(keys.staff_id(user), password)
    keys.save_record(user, record)
    has_key = False
    key_row = OrganisationKey.objects.filter(organisation=organisation).first()
    if invitation.sealed_org_key and key_row is not None:
        org_key = keys.vault().open_invitation(
            keys.org_id(organisation),
            bytes(key_row.public_key),
            bytes(invitation.sealed_org_key),
            invitation_id=_invitation_id(invitation),
            token=token.encode(),
        )
        sealed = keys.vault().grant_organisation(
            org_key, staff_id=keys.staff_id(user), staff_public_key=unlocked_staff.public_key
        )
        OrganisationGrant.objects.update_or_create(
            staff=user,
            defaults={
                "organisation": organisation,
                "sealed_key": sealed,
                "granted_by": invitation.created_by,
            },
        )
        has_key = True
        record_event(
            EventKind.ORGANISATION_KEY_GRANTED,
            actor=invitation.created_by,
            organisation=organisation,
            username=user.username,
            through="invitation",
        )
    invitation.used_at = now
    invitation.staff = user
    invitation.sealed_org_key = None
    invitation.totp_key = ""
    invitation.save(update_fields=["used_at", "staff", "sealed_org_key", "totp_key"])
    record_event(
        EventKind.INVITATION_ACCEPTED,
        actor=user,
        organisation=organisation,
        purpose=invitation.purpose,
        role=invitation.role,
    )
    return Accepted(user, codes, has_key)


def accept_invitation(
    token: str, *, username: str, password: str, code: str, now: dt.datetime | None = None
) -> Accepted:
    """Join (or re-enrol) with the link's token: the password must pass Django's
    validators and the code must come from the authenticator just set up.
    A refusal changes nothing and is recorded."""
    try:
        return _accept(
            token, username=username, password=password, code=code, now=now or timezone.now()
        )
    except InvitationRefused as refused:
        invitation = Invitation.objects.filter(token_hash=token_hash(token)).first()
        record_invitation_refusal(invitation, refused.reason)
        raise


# An unknown token names no organisation: one audit row a minute counts them all,
# so that nobody can fill the table by trying links.
_UNKNOWN_WINDOW = dt.timedelta(minutes=1)


@transaction.atomic(durable=True)
def record_invitation_refusal(invitation: Invitation | None, reason: str) -> AuditEvent:
    if invitation is None:
        recent = (
            AuditEvent.objects.select_for_update()
            .filter(
                kind=EventKind.INVITATION_REFUSED.value,
                organisation__isnull=True,
                at__gte=timezone.now() - _UNKNOWN_WINDOW,
            )
            .first()
        )
        if recent is not None:
            recent.detail = {**recent.detail, "count": int(recent.detail.get("count", 1)) + 1}
            recent.save(update_fields=["detail"])
            return recent
        return record_event(EventKind.INVITATION_REFUSED, reason=reason, count=1)
    return record_event(
        EventKind.INVITATION_REFUSED,
        organisation=invitation.organisation,
        reason=reason,
        purpose=invitation.purpose,
    )


# -- deactivation and resets -------------------------------------------------------


@transaction.atomic(durable=True)
def do_deactivate_staff(colleague: StaffUser, *, acting_user: StaffUser) -> StaffUser:
    """Ends every session of ``colleague`` at once (Django refuses an inactive
    account on its next request) and revokes their key grant and pending links."""
    if not permissions.may_manage_colleague(acting_user, colleague):
        raise ActionRefused("Only an admin of this organisation can deactivate a colleague.")
    colleague = StaffUser.objects.select_for_update().get(pk=colleague.pk)
    if not colleague.is_active:
        raise ActionRefused(f"{colleague.display_name} is already deactivated.")
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    revoked, _ = OrganisationGrant.objects.filter(staff=colleague).delete()
    Invitation.objects.filter(staff=colleague, used_at__isnull=True).update(
        withdrawn_at=timezone.now(), sealed_org_key=None
    )
    record_event(
        EventKind.STAFF_DEACTIVATED,
        actor=acting_user,
        username=colleague.username,
        key_revoked=bool(revoked),
    )
    return colleague


@transaction.atomic(durable=True)
def do_request_reset(
    colleague: StaffUser, *, reason: SignInReset.Reason, acting_user: StaffUser
) -> SignInReset:
    """The first admin of a reset: a colleague lost their password or authenticator."""
    if not permissions.may_manage_colleague(acting_user, colleague) or not colleague.is_active:
        raise ActionRefused("Only an admin can ask to reset an active colleague's sign-in.")
    if SignInReset.objects.filter(staff=colleague, approved_at__isnull=True).exists():
        raise ActionRefused(f"A reset for {colleague.display_name} is waiting already.")
    reset = SignInReset.objects.create(
        organisation=colleague.organisation,
        staff=colleague,
        reason=reason,
        requested_by=acting_user,
    )
    record_event(
        EventKind.STAFF_RESET_REQUESTED,
        actor=acting_user,
        username=colleague.username,
        reason=reason,
    )
    return reset


def approve_reset(
    reset: SignInReset,
    *,
    organisation_key: UnlockedOrganisation | None,
    acting_user: StaffUser,
    now: dt.datetime | None = None,
) -> IssuedInvitation:
    """The second admin approves: the person's sign-in and key grant end, and a
    fresh one-time link lets them set a new password and authenticator. The
    approver's unlocked organisation key travels with the link, so the new staff
    key is granted it at once and every report stays readable. Refused (and
    recorded) for the admin who asked, or the person reset."""
    if not permissions.may_approve_reset(acting_user, reset):
        own = acting_user.pk in (reset.requested_by_id, reset.staff_id)
        record_event(
            EventKind.STAFF_RESET_REFUSED,
            actor=acting_user,
            organisation=reset.organisation,
            reason="same_admin" if own else "not_allowed",
        )
        if own:
            raise ActionRefused(
                "A second admin must approve this reset: you cannot approve a reset "
                "you asked for, or your own."
            )
        raise ActionRefused("Only another admin of this organisation can approve this reset.")
    return _approve_reset(
        reset, organisation_key=organisation_key, acting_user=acting_user, now=now or timezone.now()
    )


@transaction.atomic(durable=True)
def _approve_reset(
    reset: SignInReset,
    *,
    organisation_key: UnlockedOrganisation | None,
    acting_user: StaffUser,
    now: dt.datetime,
) -> IssuedInvitation:
    reset = (
        SignInReset.objects.select_for_update()
        .select_related("staff", "organisation")
        .get(pk=reset.pk)
    )
    if reset.approved_at is not None:
        raise ActionRefused("This reset was approved already.")
    if organisation_key is None:
        raise ActionRefused("Sign out and sign in again first: your key is not unlocked.")
    person = StaffUser.objects.select_for_update().get(pk=reset.staff_id)
    if not person.is_active:
        raise ActionRefused(f"{person.display_name} is deactivated: there is nothing to reset.")
    # The old password and devices stop working now; the changed password hash
    # also ends every open session of the account.
    person.set_unusable_password()
    person.save(update_fields=["password"])
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    OrganisationGrant.objects.filter(staff=person).delete()
    Invitation.objects.filter(staff=person, used_at__isnull=True).update(
        withdrawn_at=now, sealed_org_key=None
    )
    issued = _issue(
        reset.organisation,
        role=person.staff_role,
        display_name=person.display_name,
        email=person.email,
        purpose=Invitation.Purpose.RESET,
        staff=person,
        created_by=acting_user,
        organisation_key=organisation_key,
        now=now,
    )
    reset.approved_by = acting_user
    reset.approved_at = now
    reset.save(update_fields=["approved_by", "approved_at"])
    record_event(
        EventKind.STAFF_RESET_APPROVED,
        actor=acting_user,
        organisation=reset.organisation,
        username=person.username,
        reason=reset.reason,
    )
    counted = counted_in_public_log.send(
        sender=SignInReset, kind=EventKind.STAFF_RESET_APPROVED, org=reset.organisation.slug, at=now
    )
    if not counted:
        raise RuntimeError("Nothing counted the reset in the public log (transparency app).")
    return issued


# -- the platform operator -------------------------------------------------------------


@transaction.atomic(durable=True)
def do_create_operator(
    *, username: str, display_name: str, password: str, acting_user: StaffUser | None
) -> tuple[StaffUser, str, list[str]]:
    """An account for whoever runs the installation (``permissions.is_platform_operator``):
    no organisation, so no key and no case data. Made at the server console only.
    Returns the account, its authenticator secret (base32) and backup codes, once."""
    if acting_user is not None:
        raise ActionRefused("Operator accounts are made at the server console.")
    if StaffUser.objects.filter(username__iexact=username).exists():
        raise ActionRefused(f"The username {username!r} is taken.")
    user = StaffUser(username=username, display_name=display_name, is_superuser=True)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    device = TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=True, key=secrets.token_hex(20)
    )
    codes = _issue_backup_codes(user)
    record_event(EventKind.STAFF_CREATED, username=username, role="platform_operator")
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return user, secret, codes
