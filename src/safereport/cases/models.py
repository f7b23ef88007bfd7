"""Reports and what hangs off them.

Everything a reporter or caseworker writes (sections, attachments, messages,
notes) is stored only sealed to the report's own key
(safereport.core.crypto). What is stored in the clear is what the inbox,
the firewall and the public statistics need: custodian, crime type, status,
what the reporter wants, dates, and the consents given.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from safereport.accounts.models import Organisation, StaffUser
from safereport.core.referrals.consent_offers import ReporterWants as Wants
from safereport.core.retention import Retention
from safereport.core.vocabulary import CrimeType, Purpose, Section

CRIME_TYPE_LABELS = {
    CrimeType.DOMESTIC_ABUSE.value: _("Domestic abuse"),
    CrimeType.SEXUAL_VIOLENCE.value: _("Sexual violence"),
    CrimeType.STALKING_HARASSMENT.value: _("Stalking or harassment"),
    CrimeType.MODERN_SLAVERY.value: _("Modern slavery or trafficking"),
    CrimeType.LABOUR_EXPLOITATION.value: _("Labour exploitation"),
    CrimeType.HATE_CRIME.value: _("Hate crime"),
    CrimeType.OTHER.value: _("Something else"),
}
CRIME_TYPE_CHOICES = list(CRIME_TYPE_LABELS.items())


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_FOR_REPORTER = "waiting_for_reporter", _("Waiting for the reporter")
    CLOSED = "closed", _("Closed")


class ReporterWants(models.TextChoices):
    # The values are the core's (core/referrals/consent_offers.py decides the offers).
    SUPPORT_ONLY = Wants.SUPPORT_ONLY.value, _("Support only")
    POLICE_THROUGH_ORGANISATION = (
        Wants.POLICE_THROUGH_ORGANISATION.value,
        _("Report to the police through the organisation"),
    )
    ANONYMOUS_INFORMATION_TO_POLICE = (
        Wants.ANONYMOUS_INFORMATION_TO_POLICE.value,
        _("Pass information to the police anonymously"),
    )
    LEGAL_ADVICE = Wants.LEGAL_ADVICE.value, _("Legal advice")


class LegalHold(models.TextChoices):
    POLICE = "police", _("Police proceedings")
    LEGAL = "legal", _("Legal proceedings")
    OTHER = "other", _("Other proceedings")


class Author(models.TextChoices):
    REPORTER = "reporter", _("The reporter")
    CASEWORKER = "caseworker", _("A caseworker")


def new_public_id() -> str:
    """A random, unguessable reference (about 60 bits), never sequential."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Report(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id)
    custodian = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports")
    crime_type = models.CharField(max_length=32, choices=CRIME_TYPE_CHOICES)
    status = models.CharField(
        max_length=32, choices=ReportStatus.choices, default=ReportStatus.NEW, db_index=True
    )
    wants = models.CharField(max_length=40, choices=ReporterWants.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when a caseworker filed the report on the reporter's behalf.
    filed_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The named caseworker looking after the report (cases.actions.do_assign_report).
    assigned_to = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set from the latest domestic-abuse risk assessment (whose level is sealed):
    # the inbox's "high risk" filter and escalation need it without opening the report.
    risk_high = models.BooleanField(default=False)
    # The reporter ticked "I am in danger now" (kept in clear, like risk_high: the
    # unread escalation and the inbox need it without opening the report).
    danger_now = models.BooleanField(default=False)
    # Makes a repeated submission of the same draft a no-op (HMAC of a random draft token).
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The keyring (core.crypto.ReportKeyring). The wraps are deleted to shred the report.
    public_key = models.BinaryField()
    receipt_lookup_digest = models.BinaryField(null=True, blank=True, unique=True)
    receipt_wrap = models.BinaryField(null=True, blank=True)
    # Her second ("duress") phrase: typed on the return page, it opens nothing
    # and sets under_pressure_at, which only the caseworkers see (threat-model.md).
    duress_lookup_digest = models.BinaryField(null=True, blank=True, unique=True)
    under_pressure_at = models.DateTimeField(null=True, blank=True)
    custodian_wrap = models.BinaryField(null=True, blank=True)
    shredded_at = models.DateTimeField(null=True, blank=True)
    # Retention (core.retention): the clock starts when the case is closed.
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A shorter time the reporter asked for (months after closing), if any.
    retention_months_requested = models.PositiveSmallIntegerField(null=True, blank=True)
    # Set while police or legal proceedings are live: the case is kept whatever its date.
    legal_hold = models.CharField(max_length=16, choices=LegalHold.choices, blank=True)
    # When the caseworkers were told the case will be deleted soon (once per closing).
    retention_warned_at = models.DateTimeField(null=True, blank=True)
    # Escalation of an unread report (cases.actions.do_escalate_unread): when a
    # caseworker or admin first opened the case page (or filed it), when the
    # organisation's admins were last told it is unread, and how many times.
    opened_at = models.DateTimeField(null=True, blank=True)
    unread_alerted_at = models.DateTimeField(null=True, blank=True)
    unread_alerts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The inbox pages by (created_at, id) within one organisation (keyset, no OFFSET).
        indexes = [
            models.Index(fields=["custodian", "-created_at", "-id"], name="inbox_order"),
            models.Index(
                fields=["custodian", "assigned_to", "-created_at", "-id"], name="inbox_assigned"
            ),
            models.Index(fields=["custodian", "status", "-created_at", "-id"], name="inbox_status"),
            models.Index(
                fields=["custodian", "-created_at", "-id"],
                condition=models.Q(risk_high=True),
                name="inbox_high_risk",
            ),
            # The escalation job's question: which reports nobody has opened yet.
            models.Index(
                fields=["created_at"], condition=models.Q(opened_at=None), name="unread_reports"
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_shredded(self) -> bool:
        return self.shredded_at is not None

    @property
    def retention(self) -> Retention:
        return Retention(
            organisation_months=self.custodian.retention_months,
            requested_months=self.retention_months_requested,
            closed_at=self.closed_at if self.status == ReportStatus.CLOSED else None,
            on_hold=bool(self.legal_hold),
        )


class ReportSection(models.Model):
    """One sealed section (or a later addition to it, named by ``item_id``)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    section = models.CharField(max_length=32, choices=[(s.value, s.value) for s in Section])
    item_id = models.CharField(max_length=40, blank=True)
    ciphertext = models.BinaryField()
    added_by = models.CharField(max_length=16, choices=Author.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "section", "item_id"], name="one_ciphertext_per_section_item"
            )
        ]


class Attachment(models.Model):
    """A cleaned file (core.attachments), sealed; the uploaded name is never kept."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    item_id = models.CharField(max_length=40, unique=True)
    media_type = models.CharField(max_length=40)
    ciphertext = models.BinaryField()
    added_by = models.CharField(max_length=16, choices=Author.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]


class Message(models.Model):
    class Direction(models.TextChoices):
        TO_REPORTER = "to_reporter", _("To the reporter")
        FROM_REPORTER = "from_reporter", _("From the reporter")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    message_id = models.CharField(max_length=40, unique=True)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    ciphertext = models.BinaryField()
    author = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]


class Note(models.Model):
    """A caseworker's note, sealed to the report like everything else."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    note_id = models.CharField(max_length=40, unique=True)
    ciphertext = models.BinaryField()
    author = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Consent(models.Model):
    """The reporter's specific consent: this recipient, this purpose, these sections.

    The firewall's disclosures are built on it; a withdrawn consent allows nothing."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="consents")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=40, choices=[(p.value, p.value) for p in Purpose])
    sections = models.JSONField(default=list)  # Section values
    given_by = models.CharField(max_length=16, choices=Author.choices)
    note = models.CharField(max_length=500, blank=True)
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # For a consent that may reach the police: when and by whom the caseworker
    # confirmed telling the reporter what the police may still do with
    # immigration information, and what the Home Office protocol does not
    # promise (the police handover page; the first confirmation is kept, each
    # one is an audit event).
    protocol_limits_told_at = models.DateTimeField(null=True, blank=True)
    protocol_limits_told_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["given_at", "id"]

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class CaseAccess(models.Model):
    """Every time a staff member reads a case or an attachment: shown to the org admin."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Read the case")
        ATTACHMENT = "attachment", _("Opened an attachment")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="accesses")
    staff = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
