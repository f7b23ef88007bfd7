"""Authorised reads of reports: they return what the actor may see, or raise."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from safereport.accounts import keys, permissions
from safereport.accounts.access import first_or_404
from safereport.accounts.models import StaffUser
from safereport.cases.actions import keyring_of
from safereport.cases.models import Attachment, CaseAccess, Consent, Message, Report
from safereport.core.crypto import (
    CryptoError,
    ReceiptKeys,
    UnlockedOrganisation,
    UnlockedReport,
)
from safereport.core.vocabulary import Section


def inbox_for(actor: StaffUser) -> QuerySet[Report]:
    """The actor's organisation's reports, newest first; nobody else's."""
    if not permissions.is_case_worker(actor):
        return Report.objects.none()
    return Report.objects.filter(custodian_id=actor.organisation_id).order_by("-created_at", "-id")


def access_report(actor: StaffUser, public_id: str) -> Report:
    """A report of the actor's own organisation, or 404 (another organisation's
    report is refused exactly like one that does not exist)."""
    return first_or_404(
        inbox_for(actor).filter(public_id=public_id).select_related("custodian"), "report"
    )


def access_log_for(actor: StaffUser) -> QuerySet[CaseAccess]:
    """Who read which case: for the organisation's admin only."""
    if not permissions.is_org_admin(actor):
        return CaseAccess.objects.none()
    return CaseAccess.objects.filter(report__custodian_id=actor.organisation_id).select_related(
        "staff", "report"
    )


def open_as_custodian(report: Report, organisation: UnlockedOrganisation) -> UnlockedReport:
    return keys.vault().open_report_as_custodian(keyring_of(report), organisation)


def find_by_receipt(receipt: ReceiptKeys) -> tuple[Report, UnlockedReport] | None:
    """The report this receipt opens, or None (no such report, shredded, or wrong key)."""
    report = (
        Report.objects.filter(receipt_lookup_digest=receipt.lookup_digest, shredded_at=None)
        .select_related("custodian")
        .first()
    )
    if report is None:
        return None
    try:
        return report, keys.vault().open_report_with_receipt(keyring_of(report), receipt)
    except CryptoError:
        return None


@dataclass
class SectionItem:
    section: str
    item_id: str
    answers: dict[str, object]
    added_by: str
    added_at: datetime


@dataclass
class OpenedMessage:
    direction: str
    body: str
    sent_at: datetime
    author: StaffUser | None


@dataclass
class CaseContent:
    sections: dict[str, list[SectionItem]] = field(default_factory=dict)
    messages: list[OpenedMessage] = field(default_factory=list)
    notes: list[OpenedMessage] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)


def read_content(
    report: Report, unlocked: UnlockedReport, *, include_notes: bool = False
) -> CaseContent:
    """Open every section and message of a report with its unlocked key."""
    content = CaseContent()
    for row in report.sections.all():
        plain = unlocked.open_section(
            Section(row.section), bytes(row.ciphertext), item_id=row.item_id
        )
        content.sections.setdefault(row.section, []).append(
            SectionItem(row.section, row.item_id, json.loads(plain), row.added_by, row.added_at)
        )
    for message in report.messages.select_related("author"):
        body = unlocked.open_message(message.message_id, bytes(message.ciphertext))
        content.messages.append(
            OpenedMessage(message.direction, body.decode("utf-8"), message.sent_at, message.author)
        )
    if include_notes:
        for note in report.notes.select_related("author"):
            body = unlocked.open_message(f"note:{note.note_id}", bytes(note.ciphertext))
            content.notes.append(
                OpenedMessage("note", body.decode("utf-8"), note.created_at, note.author)
            )
    content.attachments = list(report.attachments.all())
    content.consents = list(report.consents.select_related("recipient"))
    return content


def open_attachment(report: Report, unlocked: UnlockedReport, item_id: str) -> Attachment:
    """The attachment row (its ``data`` attribute set to the opened bytes), or 404."""
    attachment = first_or_404(report.attachments.filter(item_id=item_id), "attachment")
    attachment.data = unlocked.open_section(  # type: ignore[attr-defined]
        Section.ATTACHMENTS, bytes(attachment.ciphertext), item_id=item_id
    )
    return attachment


def consent_of(report: Report, consent_id: int) -> Consent:
    return first_or_404(report.consents.filter(pk=consent_id), "consent")


__all__ = [
    "CaseContent",
    "Message",
    "access_log_for",
    "access_report",
    "consent_of",
    "find_by_receipt",
    "inbox_for",
    "open_as_custodian",
    "open_attachment",
    "read_content",
]
