"""The one Django-side adapter around safereport.core.crypto.

- ``vault()``: the configured ``Vault`` (installation salt from settings,
  production Argon2id costs, every derivation inside the admission gate,
  ``safereport.admission``). Only test fixtures swap it, with ``use_vault``.
- Conversions between the stored rows and the core's records.
- The keeping of unlocked staff keys between requests: sealed by
  ``safereport.custody`` under a wrapping key that only the staff member's
  browser holds (a fresh one at each sign-in), in the shared ``secrets``
  store for as long as the staff session may stay idle, refreshed on every
  staff request, deleted at sign-out. Never in the clear anywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from safereport import admission, custody
from safereport.accounts.models import (
    Organisation,
    OrganisationGrant,
    OrganisationKey,
    StaffKey,
    StaffUser,
)
from safereport.core.crypto import (
    CryptoError,
    StaffKeyRecord,
    UnlockedOrganisation,
    UnlockedStaff,
    Vault,
)

_vault: Vault | None = None


def vault() -> Vault:
    global _vault
    if _vault is None:
        _vault = Vault(installation_salt=settings.INSTALLATION_SALT, kdf_gate=admission.admitted)
    return _vault


def use_vault(replacement: Vault | None) -> None:
    """For test fixtures only: a vault with lowered costs (None restores the default)."""
    global _vault
    _vault = replacement


def staff_id(user: StaffUser) -> str:
    return f"staff:{user.pk}"


def org_id(organisation: Organisation) -> str:
    return f"org:{organisation.pk}"


def record_of(row: StaffKey) -> StaffKeyRecord:
    return StaffKeyRecord(
        public_key=bytes(row.public_key),
        salt=bytes(row.salt),
        wrapped_private_key=bytes(row.wrapped_private_key),
        opslimit=row.opslimit,
        memlimit=row.memlimit,
    )


def save_record(user: StaffUser, record: StaffKeyRecord) -> StaffKey:
    row, _ = StaffKey.objects.update_or_create(
        staff=user,
        defaults={
            "public_key": record.public_key,
            "salt": record.salt,
            "wrapped_private_key": record.wrapped_private_key,
            "opslimit": record.opslimit,
            "memlimit": record.memlimit,
        },
    )
    return row


# -- keeping the unlocked staff key between requests ----------------------------

_PURPOSE = "staff-key"


def _idle_seconds() -> int:
    return settings.STAFF_SESSION_IDLE_MINUTES * 60


def remember_staff_key(request: HttpRequest, unlocked: UnlockedStaff, *, fresh: bool) -> None:
    """Keep the unlocked key, sealed for this browser; ``fresh`` at sign-in."""
    custody.keep(request, _PURPOSE, unlocked.secret_bytes(), _idle_seconds(), fresh=fresh)


def refresh_staff_key(request: HttpRequest) -> None:
    """The staff member is active: the sealed key stays for another idle spell."""
    custody.refresh(request, _PURPOSE, _idle_seconds())


def unlocked_staff(request: HttpRequest) -> UnlockedStaff | None:
    """The signed-in staff member's unlocked key, or None (the store lost it,
    the session was idle, the browser lost its cookie, or the account has no
    keys): the caller asks them to sign in again."""
    user = request.user
    if not user.is_authenticated:
        return None
    secret = custody.recall(request, _PURPOSE)  # its timeout restarts in the middleware
    row = StaffKey.objects.filter(staff_id=user.pk).first()
    if secret is None or row is None:
        return None
    try:
        return UnlockedStaff.from_secret_bytes(
            staff_id(user),  # type: ignore[arg-type]
            secret,
            public_key=bytes(row.public_key),
        )
    except CryptoError:
        return None


def unlock_organisation_for(user: StaffUser, staff: UnlockedStaff) -> UnlockedOrganisation | None:
    """Open the user's grant of their organisation's key, if they hold one."""
    organisation = user.organisation
    if organisation is None:
        return None
    key = OrganisationKey.objects.filter(organisation=organisation).first()
    grant = OrganisationGrant.objects.filter(staff=user, organisation=organisation).first()
    if key is None or grant is None:
        return None
    try:
        return vault().unlock_organisation(
            org_id(organisation), bytes(key.public_key), bytes(grant.sealed_key), staff
        )
    except CryptoError:
        return None


def unlocked_organisation(request: HttpRequest) -> UnlockedOrganisation | None:
    staff = unlocked_staff(request)
    if staff is None:
        return None
    return unlock_organisation_for(request.user, staff)  # type: ignore[arg-type]


def unlock_at_sign_in(request: HttpRequest, user: StaffUser, password: str) -> None:
    """Unlock the staff key with the password just checked and keep it, sealed
    under a new key for this browser. An account made before keys existed gets
    its key pair now; a key wrapped at an older cost is re-wrapped at the current one."""
    row = StaffKey.objects.filter(staff=user).first()
    if row is None:
        record, unlocked = vault().new_staff(staff_id(user), password)
        save_record(user, record)
    else:
        try:
            unlocked = vault().unlock_staff(staff_id(user), record_of(row), password)
        except CryptoError:
            return  # the key is unusable; case pages will say so
        if vault().needs_rewrap(record_of(row)):
            save_record(
                user, vault().change_password(staff_id(user), record_of(row), password, password)
            )
    remember_staff_key(request, unlocked, fresh=True)


def forget_on_logout(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Receiver for ``user_logged_out``: delete the sealed key and the browser's key."""
    if request is not None and hasattr(request, "session"):
        custody.drop(request, _PURPOSE)
        custody.forget_browser_key(request)
