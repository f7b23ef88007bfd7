"""Organisations and the staff who sign in for them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from safereport.accounts import permissions
from safereport.core import labels
from safereport.core.retention import DEFAULT_MONTHS as DEFAULT_RETENTION_MONTHS
from safereport.core.vocabulary import STAFFED_ORG_KINDS, OrgKind, Role

# Lazily translated, for forms and pages (the words themselves live in core.labels).
ORG_KIND_LABELS = {k: _(text) for k, text in labels.ORG_KIND_LABELS.items()}
ROLE_LABELS = {r: _(text) for r, text in labels.ROLE_LABELS.items()}


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=32, choices=[(k.value, ORG_KIND_LABELS[k]) for k in OrgKind])
    description = models.TextField(blank=True)
    # The description in the other languages of the site: {"es": "...", ...}.
    # Written by the organisation's admin; a language without one shows the
    # English description, marked as English.
    description_translations = models.JSONField(default=dict, blank=True)
    # Directory facts used to suggest an organisation to a reporter.
    languages = models.JSONField(default=list, blank=True)  # language codes, e.g. ["en", "es"]
    areas = models.JSONField(default=list, blank=True)  # plain area names
    specialisms = models.JSONField(default=list, blank=True)
    contact_email = models.EmailField(blank=True)
    # ReferralKind values (safereport.core.referrals) this organisation takes, for the
    # service directory. Only organisations of a kind that can receive referrals list any.
    referral_kinds = models.JSONField(default=list, blank=True)
    # How long closed cases are kept before they are shredded (core.retention).
    retention_months = models.PositiveSmallIntegerField(default=DEFAULT_RETENTION_MONTHS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def description_in(self, language: str) -> tuple[str, str]:
        """The description in ``language`` if the organisation wrote one, else
        the English one; with the language code of the text returned."""
        translated = (self.description_translations or {}).get(language, "").strip()
        if translated:
            return translated, language
        return self.description, "en"

    @property
    def org_kind(self) -> OrgKind:
        return OrgKind(self.kind)

    @property
    def can_have_staff(self) -> bool:
        return self.org_kind in STAFFED_ORG_KINDS


class AlertsBy(models.TextChoices):
    """How a staff member wants alerts (``accounts.notify``): the staff home lists
    everything waiting either way."""

    EMAIL = "email", _("By e-mail")
    NONE = "none", _("No alerts")


class StaffUser(AbstractUser):
    """A person who signs in to work for an organisation. Reporters never have accounts."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", null=True
    )
    role = models.CharField(max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    display_name = models.CharField(max_length=200)
    # Their own choice, on their settings page (``do_set_alert_preference``).
    alerts_by = models.CharField(max_length=8, choices=AlertsBy.choices, default=AlertsBy.EMAIL)

    objects = UserManager()

    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def staff_role(self) -> Role:
        return Role(self.role)

    @property
    def may_work(self) -> bool:
        """True when this account belongs to an organisation that may hold staff
        in this role (``permissions.is_staff``)."""
        return permissions.is_staff(self)


class AttemptThrottle(models.Model):
    """Failed attempts under one key: staff sign-ins per account name (and each
    distinct wrong guess, accounts/signin.py). Receipt phrases are not counted
    here: each try needs a proof of work (intake/proofs.py).

    `key` is an HMAC of the scope and the name, so the table stores neither
    the name nor anything about where the attempt came from.
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)


class SentAlert(models.Model):
    """An alert mail already sent under a key (``accounts.notify.deliver_staff_alert``),
    so that a job run twice does not mail twice. The key names what the alert is
    about by database numbers only (``report:12``, ``unread:12:3``)."""

    staff = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="+")
    alert = models.CharField(max_length=40)
    key = models.CharField(max_length=80)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "alert", "key"], name="one_alert_per_key")
        ]


class AuditEvent(models.Model):
    """What staff did, for their organisation's admins. Never holds reporter data."""

    # An EventKind value. Not a `choices` field: the enum grows with every
    # feature, and a new event name must not need a database migration.
    kind = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def kind_label(self) -> str:
        return self.kind.replace("_", " ").capitalize()


# Key material (safereport.core.crypto; docs/threat-model.md) ------------------
# Only wrapped private keys are stored: a staff key under its owner's password,
# an organisation key sealed to each staff member (a grant) and under a
# recovery secret printed once. Unlocked keys live in server memory only.


class StaffKey(models.Model):
    """A staff member's key pair, the private half wrapped under their password."""

    staff = models.OneToOneField(StaffUser, on_delete=models.CASCADE, related_name="key")
    public_key = models.BinaryField()
    salt = models.BinaryField()
    wrapped_private_key = models.BinaryField()
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)


class OrganisationKey(models.Model):
    """An organisation's public key and its private key under the recovery secret."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="key")
    public_key = models.BinaryField()
    recovery_wrap = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)


class OrganisationGrant(models.Model):
    """The organisation's private key sealed to one staff member's public key."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    staff = models.OneToOneField(StaffUser, on_delete=models.CASCADE, related_name="grant")
    sealed_key = models.BinaryField()
    granted_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)


# Onboarding and the staff lifecycle (accounts/onboarding.py) -------------------


class Invitation(models.Model):
    """A one-time link to join an organisation (``JOIN``) or to sign in again
    after an approved reset (``RESET``, for an existing account).

    Only the SHA-256 of the link's token is stored. ``sealed_org_key`` holds
    the organisation key sealed under the token (``Vault.seal_for_invitation``)
    when whoever invited could unlock it; accepting grants it and clears it.
    ``totp_key`` is the authenticator secret offered on the invitation page,
    so that a page shown again after a mistake shows the same QR code."""

    class Purpose(models.TextChoices):
        JOIN = "join", "join"
        RESET = "reset", "reset"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=8, choices=Purpose.choices, default=Purpose.JOIN)
    role = models.CharField(max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    display_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    totp_key = models.CharField(max_length=80)
    sealed_org_key = models.BinaryField(null=True, blank=True)
    # The account being re-enrolled (RESET), or the one the invitation made (JOIN, once used).
    staff = models.ForeignKey(
        StaffUser, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    created_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def staff_role(self) -> Role:
        return Role(self.role)

    @property
    def carries_key(self) -> bool:
        return bool(self.sealed_org_key)


class SignInReset(models.Model):
    """A lost password or authenticator: asked for by one admin, approved by
    another (never the same person, never the person reset)."""

    class Reason(models.TextChoices):
        PASSWORD = "password", _("Lost password")
        AUTHENTICATOR = "authenticator", _("Lost authenticator")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="resets")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    requested_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
