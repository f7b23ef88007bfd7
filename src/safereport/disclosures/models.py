"""Disclosures: every attempt to share report data, the packages that leave,
safeguarding overrides, and requests from immigration authorities.

Every attempt is kept, allowed or refused, with the policy's hash and the
rules that decided it. A package holds only the sections the firewall
allowed, re-sealed to the recipient organisation's key; nothing here is
stored in the clear except what the decision itself is about.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from safereport.accounts.models import Organisation, StaffUser
from safereport.cases.models import Report
from safereport.core import labels
from safereport.core.vocabulary import Purpose, Section

# Lazily translated, for forms and pages (the words themselves live in core.labels).
PURPOSE_LABELS = {p: _(text) for p, text in labels.PURPOSE_LABELS.items()}
SECTION_LABELS = {s: _(text) for s, text in labels.SECTION_LABELS.items()}
PURPOSE_CHOICES = [(p.value, PURPOSE_LABELS[p]) for p in Purpose]
SECTION_CHOICES = [(s.value, SECTION_LABELS[s]) for s in Section]


def new_package_id() -> str:
    return uuid.uuid4().hex


class Override(models.Model):
    """A safeguarding override (risk to life): a written reason, and a second
    member of the custodian's staff who approves it (never the requester)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second approver")
        APPROVED = "approved", _("Approved and sent")
        REFUSED = "refused", _("Refused by the firewall")
        CANCELLED = "cancelled", _("Cancelled")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="overrides")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=40, choices=PURPOSE_CHOICES)
    sections = models.JSONField(default=list)  # Section values
    reason = models.TextField(max_length=2000)
    requested_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )

    class Meta:
        ordering = ["-requested_at", "-id"]


class DisclosureAttempt(models.Model):
    """One decision of the firewall: who asked to share what, with whom, why,
    and what the policy said (allowed or refused, by which rules)."""

    # Null only for a request from an immigration authority not tied to a report.
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="disclosure_attempts"
    )
    # The organisation whose data it is (the report's custodian, or the
    # organisation that received an immigration authority's request).
    custodian = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recipient_kind = models.CharField(max_length=32)
    purpose = models.CharField(max_length=40, choices=PURPOSE_CHOICES)
    sections = models.JSONField(default=list)  # Section values asked for
    override = models.ForeignKey(
        Override, on_delete=models.PROTECT, null=True, blank=True, related_name="attempts"
    )
    allowed = models.BooleanField()
    rule_ids = models.JSONField(default=list)
    policy_hash = models.CharField(max_length=64)
    # Index of the transparency-log entry that records this decision (set in
    # the same transaction as the row).
    ledger_index = models.BigIntegerField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def decision_label(self) -> str:
        return str(_("Allowed")) if self.allowed else str(_("Refused"))


class DisclosurePackage(models.Model):
    """What leaves: the allowed sections, sealed to a package key that is
    itself sealed to the recipient organisation (core.crypto)."""

    package_id = models.CharField(max_length=40, unique=True, default=new_package_id)
    attempt = models.OneToOneField(
        DisclosureAttempt, on_delete=models.PROTECT, related_name="package"
    )
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="packages")
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="received_packages"
    )
    purpose = models.CharField(max_length=40, choices=PURPOSE_CHOICES)
    sections = models.JSONField(default=list)  # Section values it holds
    public_key = models.BinaryField()
    recipient_wrap = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def shows_sender(self) -> bool:
        """Whether the recipient may see which organisation sent it: not for
        anonymous information to the police (a by-and-for organisation's name
        can say who a person is). The police handover, if any, decides."""
        handover = getattr(self, "handover", None)  # liaison.PoliceHandover, one-to-one
        return True if handover is None else bool(handover.shows_sender)


class PackageSection(models.Model):
    """One section of a package, sealed for the package key."""

    package = models.ForeignKey(
        DisclosurePackage, on_delete=models.CASCADE, related_name="sealed_sections"
    )
    section = models.CharField(max_length=32, choices=SECTION_CHOICES)
    ciphertext = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["package", "section"], name="one_section_per_package")
        ]


class ImmigrationAuthorityRequest(models.Model):
    """A request for data from an immigration authority: recorded, refused, counted."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the letter asked for, in a few words (kept minimal: no names).
    what_was_asked = models.CharField(max_length=500)
    received_on = models.DateField()
    recorded_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    refused = models.BooleanField(default=True)
    attempt = models.OneToOneField(
        DisclosureAttempt, on_delete=models.PROTECT, related_name="immigration_request"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]


# -- transfer of custody (issue 13, item 3) --------------------------------------


class Transfer(models.Model):
    """A proposal to move a report to another organisation, and what became of it.

    The move itself is a disclosure the firewall decides (purpose
    ``transfer``): on the reporter's consent (given on her return page, or
    by phone and recorded by the caseworker) or on a safeguarding override
    approved by a second member of staff. When it is allowed the report's
    key is re-wrapped for the receiving organisation and custody changes; the
    sending organisation keeps this row (who, when, to whom) and nothing of
    the report's content."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the reporter's agreement")
        DONE = "done", _("Transferred")
        DECLINED = "declined", _("The reporter said no")
        REFUSED = "refused", _("Refused by the firewall")
        CANCELLED = "cancelled", _("Cancelled")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transfers")
    # The custodian when it was proposed (it keeps this record after the move).
    from_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    # The firewall's decision that moved it (or refused to), and the override, if any.
    attempt = models.OneToOneField(
        DisclosureAttempt, on_delete=models.PROTECT, null=True, blank=True, related_name="transfer"
    )
    override = models.OneToOneField(
        Override, on_delete=models.PROTECT, null=True, blank=True, related_name="transfer"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # At most one open proposal per report.
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(status="proposed"),
                name="one_open_transfer_per_report",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PROPOSED
