"""Every write to organisations and staff accounts.

Each action checks who may do it, writes, and records an audit event in one
transaction, in the style `do_<verb>_<noun>(..., *, acting_user)`.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safereport.accounts.models import AuditEvent, Organisation, StaffUser
from safereport.core.events import EventKind
from safereport.core.vocabulary import ROLES_BY_ORG_KIND, OrgKind, Role

BACKUP_CODE_COUNT = 10


class ActionRefused(Exception):
    """The action is not allowed; the message says why in plain words."""


@dataclass(frozen=True)
class Enrolment:
    """What a new staff member needs to set up two-factor authentication. Shown once."""

    totp_secret_base32: str
    otpauth_uri: str
    backup_codes: list[str]


def record_event(
    kind: EventKind,
    *,
    actor: StaffUser | None = None,
    organisation: Organisation | None = None,
    **detail: object,
) -> AuditEvent:
    if organisation is None and actor is not None:
        organisation = actor.organisation
    return AuditEvent.objects.create(
        kind=kind.value, actor=actor, organisation=organisation, detail=detail
    )


def _require_admin_of(acting_user: StaffUser | None, organisation: Organisation) -> None:
    """None means the operator at the server console (management commands)."""
    if acting_user is None:
        return
    if not (
        acting_user.may_work
        and acting_user.staff_role == Role.ORG_ADMIN
        and acting_user.organisation_id == organisation.pk
    ):
        raise ActionRefused("Only an admin of this organisation can do that.")


@transaction.atomic
def do_create_organisation(
    *,
    name: str,
    slug: str,
    kind: OrgKind,
    description: str = "",
    languages: list[str] | None = None,
    areas: list[str] | None = None,
    specialisms: list[str] | None = None,
    contact_email: str = "",
    acting_user: StaffUser | None,
) -> Organisation:
    if acting_user is not None:
        raise ActionRefused("Organisations are created by the operator of this installation.")
    org = Organisation.objects.create(
        name=name,
        slug=slug,
        kind=kind.value,
        description=description,
        languages=languages or [],
        areas=areas or [],
        specialisms=specialisms or [],
        contact_email=contact_email,
    )
    record_event(EventKind.ORGANISATION_CREATED, organisation=org, org_kind=kind.value)
    return org


def _issue_backup_codes(user: StaffUser, codes: list[str] | None = None) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = codes or [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _enrolment(device: TOTPDevice, codes: list[str]) -> Enrolment:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return Enrolment(totp_secret_base32=secret, otpauth_uri=device.config_url, backup_codes=codes)


@transaction.atomic
def do_create_staff(
    *,
    organisation: Organisation,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    email: str = "",
    acting_user: StaffUser | None,
    totp_key_hex: str | None = None,
    backup_codes: list[str] | None = None,
) -> tuple[StaffUser, Enrolment]:
    """Create a staff account with its two-factor devices; return what to hand over once."""
    _require_admin_of(acting_user, organisation)
    if not organisation.can_have_staff:
        raise ActionRefused(
            f"{organisation.name} is an immigration authority: it can never have an account here."
        )
    if role not in ROLES_BY_ORG_KIND[organisation.org_kind]:
        raise ActionRefused(f"The role {role.value} does not exist in a {organisation.kind}.")
    if StaffUser.objects.filter(username__iexact=username).exists():
        raise ActionRefused(f"The username {username!r} is taken.")
    user = StaffUser(
        username=username,
        display_name=display_name,
        email=email,
        organisation=organisation,
        role=role.value,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    device = TOTPDevice.objects.create(
        user=user,
        name="authenticator",
        confirmed=True,
        key=totp_key_hex or secrets.token_hex(20),
    )
    codes = _issue_backup_codes(user, backup_codes)
    record_event(
        EventKind.STAFF_CREATED,
        actor=acting_user,
        organisation=organisation,
        username=user.username,
        role=role.value,
    )
    return user, _enrolment(device, codes)


@transaction.atomic
def do_issue_backup_codes(
    user: StaffUser, *, acting_user: StaffUser | None, codes: list[str] | None = None
) -> list[str]:
    """Replace a staff member's backup codes (by themselves or their admin)."""
    if acting_user is not None and acting_user.pk != user.pk:
        if user.organisation is None:
            raise ActionRefused("This account belongs to no organisation.")
        _require_admin_of(acting_user, user.organisation)
    issued = _issue_backup_codes(user, codes)
    record_event(
        EventKind.STAFF_BACKUP_CODES_ISSUED,
        actor=acting_user,
        organisation=user.organisation,
        username=user.username,
    )
    return issued
