"""Authorised reads of reports: they return what the actor may see, or raise."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from safereport.accounts import keys, permissions
from safereport.accounts.access import first_or_404
from safereport.accounts.models import StaffUser
from safereport.cases.actions import keyring_of
from safereport.cases.models import (
    Attachment,
    CaseAccess,
    Consent,
    Message,
    Report,
    ReportStatus,
)
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


# -- the inbox, one page at a time ------------------------------------------------------

INBOX_PAGE_SIZE = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A cursor is "<microseconds since 1970>.<id>", both plain decimal integers.
_CURSOR = re.compile(r"\A([0-9]{1,17})\.([0-9]{1,18})\Z")
_MAX_ID = 2**63 - 1


class InboxView(StrEnum):
    """The inbox's filters. Each is decided on what is stored in the clear
    (``Report`` columns and a legal task being open), never by opening a
    sealed record."""

    ALL = "all"
    MINE = "mine"
    UNASSIGNED = "unassigned"
    NEW = "new"
    WAITING = "waiting"
    HIGH_RISK = "high-risk"
    # A referral of the report has a legal task not yet done whose deadline is
    # within 7 days: its week's reminder date (in clear, docs/threat-model.md) has
    # come. A task from before the reminder dates existed has none: it is listed,
    # as its deadline cannot be told without opening it.
    DEADLINE = "deadline"


BAD_CURSOR = N_("That page link is not valid. Start again from the first page.")


class BadInboxRequest(ValueError):
    """A filter or cursor the inbox does not know: the message says which."""


@dataclass(frozen=True)
class InboxCursor:
    """The last report of a page: the next page starts strictly after it."""

    created_at: datetime
    pk: int

    def encode(self) -> str:
        micros = (self.created_at - _EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.pk}"

    @classmethod
    def decode(cls, text: str) -> InboxCursor:
        """Our own cursors only. At most 17 digits of microseconds stays within
        the year 5138, so any cursor that matches is a date Python can hold."""
        match = _CURSOR.match(text)
        if match is None or int(match[2]) > _MAX_ID:
            raise BadInboxRequest(
                N_("That page link is not valid. Start again from the first page.")
            )
        return cls(_EPOCH + timedelta(microseconds=int(match[1])), int(match[2]))


@dataclass(frozen=True)
class InboxPage:
    reports: list[Report]
    next_cursor: str | None


def unread_reports_for(actor: StaffUser) -> QuerySet[Report]:
    """The organisation's reports nobody has opened yet (the staff home's list)."""
    return (
        inbox_for(actor)
        .filter(opened_at=None, shredded_at=None)
        .exclude(status=ReportStatus.CLOSED)
    )


def escalated_reports_for(actor: StaffUser) -> QuerySet[Report]:
    """For an admin: unread reports she has been alerted about (``do_escalate_unread``)."""
    if not permissions.is_org_admin(actor):
        return Report.objects.none()
    return unread_reports_for(actor).filter(unread_alerts__gt=0)


def reports_awaiting_reply_for(actor: StaffUser) -> QuerySet[Report]:
    """Open reports whose latest message is the reporter's, assigned to the actor
    or to nobody (what a reporter's message alert is about)."""
    latest = Message.objects.filter(report=OuterRef("pk")).order_by("-sent_at", "-id")
    return (
        inbox_for(actor)
        .filter(shredded_at=None)
        .filter(Q(assigned_to=actor) | Q(assigned_to=None))
        .annotate(last_direction=Subquery(latest.values("direction")[:1]))
        .filter(last_direction=Message.Direction.FROM_REPORTER)
    )


def normalise_reference(text: str) -> str:
    """A reference as typed (any case, spaces or dashes) in its stored form."""
    return "".join(ch for ch in text.lower() if ch.isalnum())[:16]


def _filtered(actor: StaffUser, view: InboxView) -> QuerySet[Report]:
    reports = inbox_for(actor)
    if view is InboxView.MINE:
        return reports.filter(assigned_to_id=actor.pk)
    if view is InboxView.UNASSIGNED:
        return reports.filter(assigned_to__isnull=True)
    if view is InboxView.NEW:
        return reports.filter(status=ReportStatus.NEW)
    if view is InboxView.WAITING:
        return reports.filter(status=ReportStatus.WAITING_FOR_REPORTER)
    if view is InboxView.HIGH_RISK:
        return reports.filter(Q(risk_high=True) | Q(danger_now=True))
    if view is InboxView.DEADLINE:
        # Few reports have an open legal task: read their ids first (one small
        # indexed query), so the page is a lookup by id, not a scan of the inbox.
        # The task model is reached through the report's reverse relations, so
        # that cases imports nothing from referrals (which builds on cases).
        referral_model = Report._meta.get_field("referrals").related_model
        task_model = referral_model._meta.get_field("legal_tasks").related_model
        with_open_tasks = set(
            task_model._default_manager.filter(
                Q(remind_week_on__isnull=True) | Q(remind_week_on__lte=timezone.localdate()),
                done_at__isnull=True,
                referral__sender_id=actor.organisation_id,
            ).values_list("referral__report_id", flat=True)
        )
        return reports.filter(pk__in=with_open_tasks)
    return reports


def inbox_page(
    actor: StaffUser,
    *,
    view: str = InboxView.ALL.value,
    reference: str = "",
    after: str = "",
    size: int | None = None,
) -> InboxPage:
    """One page of the actor's inbox, newest first, after the cursor ``after``.

    Keyset pagination on (created_at, id): the page is read from the
    ``inbox_*`` indexes without counting or skipping earlier rows, so the
    hundredth page costs what the first does, and a report arriving while
    someone pages neither repeats nor hides one. Raises ``BadInboxRequest``
    for an unknown filter or a cursor that is not one of ours."""
    try:
        chosen = InboxView(view or InboxView.ALL.value)
    except ValueError:
        raise BadInboxRequest(N_("The inbox has no such filter.")) from None
    reports = _filtered(actor, chosen)
    wanted = normalise_reference(reference)
    if wanted:
        reports = reports.filter(public_id=wanted)
    if after:
        cursor = InboxCursor.decode(after)
        reports = reports.filter(created_at__lte=cursor.created_at).filter(
            Q(created_at__lt=cursor.created_at) | Q(pk__lt=cursor.pk)
        )
    size = size or INBOX_PAGE_SIZE
    rows = list(reports.select_related("assigned_to")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    last = rows[-1] if more else None
    return InboxPage(
        rows, InboxCursor(last.created_at, last.pk).encode() if last is not None else None
    )


def assignable_colleagues(actor: StaffUser, report: Report) -> list[StaffUser]:
    """Whom ``actor`` may name as the report's caseworker (``permissions.may_assign``)."""
    if not permissions.may_read_case(actor, report):
        return []
    candidates = (
        StaffUser.objects.filter(organisation_id=report.custodian_id, is_active=True)
        .select_related("organisation")
        .order_by("display_name", "pk")
    )
    return [c for c in candidates if permissions.may_assign(actor, report, c)]


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
    "assignable_colleagues",
    "consent_of",
    "find_by_receipt",
    "inbox_for",
    "inbox_page",
    "open_as_custodian",
    "open_attachment",
    "read_content",
]
