"""Every write to organisations and staff accounts.

Each action checks who may do it, writes, and records an audit event in one
transaction, in the style `do_<verb>_<noun>(..., *, acting_user)`. The
transaction of an action is durable (``transaction.atomic(durable=True)``):
calling an action inside another transaction raises ``RuntimeError`` instead
of silently joining it. An action that others compose is written as a step
that runs inside its caller's transaction, and ``outermost(step)`` makes the
action from it.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import wraps

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safereport.accounts import keys, permissions
from safereport.accounts.models import (
    AlertsBy,
    AuditEvent,
    Organisation,
    OrganisationGrant,
    OrganisationKey,
    StaffKey,
    StaffUser,
)
from safereport.core import retention
from safereport.core.crypto import CryptoError, UnlockedOrganisation, UnlockedStaff
from safereport.core.events import EventKind
from safereport.core.vocabulary import OrgKind, Role

BACKUP_CODE_COUNT = 10


def outermost[**P, R](step: Callable[P, R]) -> Callable[P, R]:
    """The action that runs ``step`` in its own durable transaction."""

    @wraps(step)
    def action(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(durable=True):
            return step(*args, **kwargs)

    return action


class ActionRefused(Exception):
    """The action is not allowed; the message says why in plain words."""

    def translated(self) -> str:
        """The message in the active language: what a page shows."""
        return gettext(str(self))


@dataclass(frozen=True)
class Enrolment:
    """What a new staff member needs to set up two-factor authentication. Shown once."""

    totp_secret_base32: str
    otpauth_uri: str
    backup_codes: list[str]
    # Set when this account founded its organisation's key: print it once, never store it.
    organisation_recovery_secret: str | None = field(default=None, repr=False)
    # The organisation key unlocked while creating the account (for granting colleagues
    # in the same run); None when the new colleague still waits for a grant.
    organisation_key: UnlockedOrganisation | None = field(default=None, repr=False)


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
    if not permissions.may_administer(acting_user, organisation):
        raise ActionRefused("Only an admin of this organisation can do that.")


def create_organisation_step(
    *,
    name: str,
    slug: str,
    kind: OrgKind,
    description: str = "",
    languages: list[str] | None = None,
    areas: list[str] | None = None,
    specialisms: list[str] | None = None,
    contact_email: str = "",
    referral_kinds: list[str] | None = None,
    description_translations: dict[str, str] | None = None,
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
        referral_kinds=referral_kinds or [],
        description_translations=description_translations or {},
    )
    record_event(EventKind.ORGANISATION_CREATED, organisation=org, org_kind=kind.value)
    return org


do_create_organisation = outermost(create_organisation_step)


@transaction.atomic(durable=True)
def do_set_alert_preference(
    person: StaffUser, alerts_by: str, *, acting_user: StaffUser
) -> StaffUser:
    """How ``person`` wants her alerts: by e-mail, or none (the staff home lists
    what is waiting either way). Each person chooses for herself only."""
    if acting_user.pk != person.pk or not permissions.is_staff(acting_user):
        raise ActionRefused("Each person chooses their own alerts.")
    if alerts_by not in AlertsBy.values:
        raise ActionRefused("Choose e-mail or no alerts.")
    person = StaffUser.objects.select_for_update().get(pk=person.pk)
    old = person.alerts_by
    if old != alerts_by:
        person.alerts_by = alerts_by
        person.save(update_fields=["alerts_by"])
        record_event(EventKind.ALERT_PREFERENCE_CHANGED, actor=acting_user, old=old, new=alerts_by)
    return person


@transaction.atomic(durable=True)
def do_set_retention(
    organisation: Organisation, months: int, *, acting_user: StaffUser | None
) -> Organisation:
    """How long the organisation keeps closed cases before they are shredded."""
    _require_admin_of(acting_user, organisation)
    try:
        retention.check_organisation_months(months)
    except retention.RetentionError as error:
        raise ActionRefused(str(error)) from None
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    old = organisation.retention_months
    if old != months:
        organisation.retention_months = months
        organisation.save(update_fields=["retention_months"])
        record_event(
            EventKind.RETENTION_CHANGED,
            actor=acting_user,
            organisation=organisation,
            old=old,
            new=months,
        )
    return organisation


def _issue_backup_codes(user: StaffUser, codes: list[str] | None = None) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = codes or [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def enrolment_of(device: TOTPDevice, codes: list[str]) -> Enrolment:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return Enrolment(totp_secret_base32=secret, otpauth_uri=device.config_url, backup_codes=codes)


@transaction.atomic(durable=True)
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
    organisation_key: UnlockedOrganisation | None = None,
) -> tuple[StaffUser, Enrolment]:
    """Create a staff account with its two-factor devices; return what to hand over once.

    The account gets a key pair wrapped under its password. The first account of an
    organisation founds the organisation key (its recovery secret is returned once);
    a later one is granted the key when ``organisation_key`` (unlocked by a signed-in
    colleague, or by the founder in the same run) is given, else it waits for a
    colleague to grant it (``do_grant_organisation_key``)."""
    _require_admin_of(acting_user, organisation)
    if not organisation.can_have_staff:
        raise ActionRefused(
            f"{organisation.name} is an immigration authority: it can never have an account here."
        )
    if not permissions.role_exists_in(role, organisation):
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
    record, unlocked_staff = keys.vault().new_staff(keys.staff_id(user), password)
    keys.save_record(user, record)
    recovery_secret, unlocked = _found_or_grant(
        user, unlocked_staff, organisation_key, acting_user=acting_user
    )
    return user, replace(
        enrolment_of(device, codes),
        organisation_recovery_secret=recovery_secret,
        organisation_key=unlocked,
    )


def _found_or_grant(
    user: StaffUser,
    unlocked_staff: UnlockedStaff,
    organisation_key: UnlockedOrganisation | None,
    *,
    acting_user: StaffUser | None,
) -> tuple[str | None, UnlockedOrganisation | None]:
    """The first account of an organisation founds its key (the recovery secret is
    returned once); a later one is granted ``organisation_key`` when it is given.
    Returns (recovery secret or None, the organisation key unlocked or None)."""
    organisation = user.organisation
    assert organisation is not None  # noqa: S101 - callers checked it
    if not OrganisationKey.objects.filter(organisation=organisation).exists():
        founded = keys.vault().new_organisation(keys.org_id(organisation), founder=unlocked_staff)
        OrganisationKey.objects.create(
            organisation=organisation,
            public_key=founded.public_key,
            recovery_wrap=founded.recovery_wrap,
        )
        OrganisationGrant.objects.create(
            organisation=organisation, staff=user, sealed_key=founded.founder_grant
        )
        record_event(
            EventKind.ORGANISATION_KEY_CREATED, actor=acting_user, organisation=organisation
        )
        return founded.recovery_secret, founded.unlocked
    if organisation_key is not None:
        _grant(user, organisation_key, granted_by=acting_user)
    return None, organisation_key


@transaction.atomic(durable=True)
def do_set_up_staff_keys(
    user: StaffUser,
    *,
    password: str,
    organisation_key: UnlockedOrganisation | None = None,
    acting_user: StaffUser | None,
) -> tuple[str | None, UnlockedOrganisation | None]:
    """Give an account made before keys existed, or still waiting for a grant, what
    it lacks: its key pair wrapped under its password, then the organisation key
    (founded when the organisation has none, else granted when ``organisation_key``
    is given). Needs the account's own password, so only the operator of a demo,
    who prints it, can do this for others. Returns what ``_found_or_grant`` does."""
    organisation = user.organisation
    if organisation is None or not organisation.can_have_staff:
        raise ActionRefused("This account belongs to no organisation that can hold keys.")
    _require_admin_of(acting_user, organisation)
    if not user.check_password(password):
        raise ActionRefused("That is not the password of this account.")
    row = StaffKey.objects.filter(staff=user).first()
    if row is None:
        record, unlocked_staff = keys.vault().new_staff(keys.staff_id(user), password)
        keys.save_record(user, record)
    else:
        try:
            unlocked_staff = keys.vault().unlock_staff(
                keys.staff_id(user), keys.record_of(row), password
            )
        except CryptoError:
            raise ActionRefused("This account's key does not open with its password.") from None
    if OrganisationGrant.objects.filter(staff=user).exists():
        return None, keys.unlock_organisation_for(user, unlocked_staff)
    return _found_or_grant(user, unlocked_staff, organisation_key, acting_user=acting_user)


def _grant(
    user: StaffUser, organisation_key: UnlockedOrganisation, *, granted_by: StaffUser | None
) -> OrganisationGrant:
    organisation = user.organisation
    if organisation is None or organisation_key.org_id != keys.org_id(organisation):
        raise ActionRefused("That key belongs to another organisation.")
    staff_key = StaffKey.objects.filter(staff=user).first()
    if staff_key is None:
        raise ActionRefused("This account has no key yet: it must sign in once first.")
    sealed = keys.vault().grant_organisation(
        organisation_key, staff_id=keys.staff_id(user), staff_public_key=bytes(staff_key.public_key)
    )
    grant, _ = OrganisationGrant.objects.update_or_create(
        staff=user,
        defaults={"organisation": organisation, "sealed_key": sealed, "granted_by": granted_by},
    )
    record_event(
        EventKind.ORGANISATION_KEY_GRANTED,
        actor=granted_by,
        organisation=organisation,
        username=user.username,
    )
    return grant


@transaction.atomic(durable=True)
def do_grant_organisation_key(
    user: StaffUser, *, organisation_key: UnlockedOrganisation, acting_user: StaffUser
) -> OrganisationGrant:
    """A signed-in colleague (whose keys are unlocked) lets a new colleague read
    the organisation's reports, by sealing the organisation key to them."""
    if not permissions.may_grant_key_to(acting_user, user):
        raise ActionRefused("Only a colleague in the same organisation can do that.")
    return _grant(user, organisation_key, granted_by=acting_user)


@transaction.atomic(durable=True)
def do_change_password(
    user: StaffUser, *, old_password: str, new_password: str, acting_user: StaffUser
) -> UnlockedStaff | None:
    """Change a staff member's own password and re-wrap their key under it."""
    if acting_user.pk != user.pk:
        raise ActionRefused("People change only their own password.")
    if not user.check_password(old_password):
        raise ActionRefused("The current password is not right.")
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    row = StaffKey.objects.filter(staff=user).first()
    unlocked = None
    if row is not None:
        record = keys.vault().change_password(
            keys.staff_id(user), keys.record_of(row), old_password, new_password
        )
        keys.save_record(user, record)
        unlocked = keys.vault().unlock_staff(keys.staff_id(user), record, new_password)
    record_event(EventKind.STAFF_PASSWORD_CHANGED, actor=acting_user)
    return unlocked


@transaction.atomic(durable=True)
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


@transaction.atomic(durable=True)
def do_warn_of_password_guessing(account: StaffUser, *, minutes: int) -> AuditEvent:
    """Someone typed many different wrong passwords for ``account``'s name: record it
    for her organisation's admins, and once committed queue a mail with no details
    to her and to each admin (``notify.StaffAlert``). Called once per guard, by the
    sign-in (``accounts.signin``), never per guess. Nobody acts: the event names
    the account, and nothing about who typed or from where."""
    from safereport.accounts.notify import StaffAlert, alert_staff
    from safereport.accounts.selectors import admins_of

    event = record_event(EventKind.STAFF_LOGIN_THROTTLED, actor=account, minutes=minutes)
    alert_staff(account, StaffAlert.PASSWORDS_GUESSED_YOURS, reverse("staff:login"))
    for admin in admins_of(account.organisation):
        if admin.pk != account.pk:
            alert_staff(
                admin, StaffAlert.PASSWORDS_GUESSED_COLLEAGUE, reverse("staff:organisation")
            )
    return event


def do_record_job_failure(*, task: str, error: str, organisation_id: int | None) -> AuditEvent:
    """An audit row for organisation admins: a queued task that failed for good, by
    its name and the error's type only (never its message, which could quote an
    address). ``organisation_id`` is the organisation the task worked for, if
    any; without one every admin sees it. The worker acts, not a person."""
    organisation = (
        Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    )
    return record_event(EventKind.JOB_FAILED, organisation=organisation, task=task, error=error)
