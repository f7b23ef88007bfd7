"""Every write to a report: submission, messages, notes, status, consents, shredding.

Each action checks who may do it, writes, and records its event in one
transaction. Content is sealed to the report's public key before it is
written (safereport.core.crypto); nothing here logs or stores plaintext.
The reporter has no account: reporter-side actions take ``acting_user=None``
and are reached only through an opened receipt.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from safereport.accounts import keys, permissions
from safereport.accounts.actions import ActionRefused, outermost, record_event
from safereport.accounts.models import Organisation, OrganisationKey, StaffUser
from safereport.accounts.notify import (
    Notice,
    StaffAlert,
    alert_each,
    alert_staff,
    notify,
    this_hour,
)
from safereport.accounts.selectors import staff_of
from safereport.cases.models import (
    Attachment,
    Author,
    CaseAccess,
    Consent,
    LegalHold,
    Message,
    Note,
    Report,
    ReportSection,
    ReportStatus,
)
from safereport.core import retention
from safereport.core.backup import deletion_commitment_key
from safereport.core.contact import Channel, Concern
from safereport.core.crypto import ReceiptKeys, ReportKeyring, seal_message, seal_section
from safereport.core.crypto.receipts import NewReceipt
from safereport.core.events import EventKind
from safereport.core.ledger import Entry, iso_week
from safereport.core.vocabulary import OrgKind, Purpose, Section
from safereport.transparency.actions import append_entry, commitment_for_key

CUSTODIAN_KINDS = frozenset({OrgKind.SUPPORT_ORG, OrgKind.LABOUR_RIGHTS})


class AlreadySubmitted(Exception):
    """This draft was submitted before; ``report`` is the report it made."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.public_id)
        self.report = report


@dataclass(frozen=True)
class ConsentChoice:
    recipient: Organisation
    purpose: Purpose
    sections: tuple[Section, ...]
    note: str = ""


@dataclass(frozen=True)
class CleanFile:
    """A cleaned attachment (core.attachments ``CleanAttachment.data``), never the upload."""

    data: bytes = field(repr=False)
    media_type: str


@dataclass(frozen=True)
class NewReport:
    crime_type: str
    wants: str
    custodian: Organisation
    # Section -> the answers of that section (JSON-serialisable); empty ones are skipped.
    sections: dict[Section, dict[str, object]]
    attachments: tuple[CleanFile, ...] = ()
    consents: tuple[ConsentChoice, ...] = ()
    danger_now: bool = False  # she ticked "I am in danger now"


def encode_answers(answers: dict[str, object]) -> bytes:
    return json.dumps(answers, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _has_content(answers: dict[str, object]) -> bool:
    return any(value not in (None, "", [], False) for value in answers.values())


def keyring_of(report: Report) -> ReportKeyring:
    def opt(value: object) -> bytes | None:
        return None if value is None else bytes(value)  # type: ignore[arg-type]

    return ReportKeyring(
        report_id=report.public_id,
        public_key=bytes(report.public_key),
        custodian_org_id=keys.org_id(report.custodian),
        receipt_lookup_digest=opt(report.receipt_lookup_digest),
        receipt_wrap=opt(report.receipt_wrap),
        custodian_wrap=opt(report.custodian_wrap),
    )


def submission_key_for(token: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"submission:{token}".encode(), hashlib.sha256
    ).hexdigest()


def require_case_worker(acting_user: StaffUser, report: Report) -> None:
    """Raise ``ActionRefused`` unless ``acting_user`` may work on ``report`` as one
    of its custodian organisation's caseworkers or admins."""
    if not permissions.may_read_case(acting_user, report):
        raise ActionRefused(N_("Only the custodian organisation's caseworkers can do that."))


def new_item_id() -> str:
    return uuid.uuid4().hex


def derive_new_receipt() -> tuple[str, ReceiptKeys]:
    """A fresh passphrase and its keys. Slow (Argon2id): call outside transactions."""
    vault = keys.vault()
    passphrase = vault.new_receipt_passphrase()
    return passphrase, vault.derive_receipt(passphrase)


def derive_receipt_in(form: str) -> tuple[NewReceipt, ReceiptKeys]:
    """A fresh receipt in ``form`` (a language's words, or digits) and its
    keys. Slow (Argon2id): call outside transactions."""
    vault = keys.vault()
    receipt = vault.new_receipt(form)
    return receipt, vault.derive_receipt(receipt.text)


def do_set_duress_phrase(report: Report, duress: ReceiptKeys) -> Report:
    """The reporter, just after sending, asks for a second phrase to type if
    someone forces her to open her report. One per report."""
    _live(report)
    if report.duress_lookup_digest is not None:
        raise ActionRefused(N_("Your report already has a second phrase."))
    with transaction.atomic(durable=True):
        report.duress_lookup_digest = duress.lookup_digest
        report.save(update_fields=["duress_lookup_digest", "updated_at"])
        record_event(
            EventKind.DURESS_PHRASE_SET, organisation=report.custodian, report=report.public_id
        )
    return report


def do_note_reporter_under_pressure(lookup_digest: bytes) -> None:
    """A well-formed phrase that opened nothing was typed on the return page
    (run by the job queue, ``cases.tasks.note_possible_duress``): when it was
    a report's second phrase, mark the case for its caseworkers. The event
    names the case and nothing about the request."""
    with transaction.atomic(durable=True):
        report = (
            Report.objects.select_for_update(of=("self",))
            .filter(duress_lookup_digest=lookup_digest, shredded_at=None)
            .select_related("custodian")
            .first()
        )
        if report is None:
            return
        if report.under_pressure_at is None:
            report.under_pressure_at = timezone.now()
            report.save(update_fields=["under_pressure_at", "updated_at"])
        record_event(
            EventKind.REPORTER_UNDER_PRESSURE,
            organisation=report.custodian,
            report=report.public_id,
        )


def do_submit_report(
    new: NewReport,
    *,
    receipt: ReceiptKeys,
    submission_token: str | None,
    acting_user: StaffUser | None,
) -> Report:
    """Store a new report, every section sealed to its own key.

    ``receipt`` comes from ``derive_new_receipt`` (run before, outside the
    transaction, because Argon2id is slow). A ``submission_token`` already
    used raises ``AlreadySubmitted`` with the first report: submitting a draft
    twice makes one report. ``acting_user`` is a caseworker filing on the
    reporter's behalf, or None for the reporter."""
    custodian = new.custodian
    if custodian.org_kind not in CUSTODIAN_KINDS:
        raise ActionRefused("Reports can only be sent to a support organisation.")
    if acting_user is not None and not permissions.may_work_cases(acting_user, custodian):
        raise ActionRefused("Only a caseworker of this organisation can file for a reporter.")
    submission_key = submission_key_for(submission_token) if submission_token else None
    try:  # a second submission of one draft breaks the key's unique constraint
        with transaction.atomic(durable=True):
            return _store_report(new, receipt, submission_key, acting_user)
    except IntegrityError:
        if submission_key is not None:
            earlier = Report.objects.filter(submission_key=submission_key).first()
            if earlier is not None:
                raise AlreadySubmitted(earlier) from None
        raise


def _store_report(
    new: NewReport,
    receipt: ReceiptKeys,
    submission_key: str | None,
    acting_user: StaffUser | None,
) -> Report:
    custodian = new.custodian
    try:
        org_key = custodian.key  # already read with the custodian by the intake (select_related)
    except OrganisationKey.DoesNotExist:
        org_key = None
    if org_key is None:
        raise ActionRefused("This organisation cannot receive reports yet (it has no key).")
    report = Report(
        custodian=custodian,
        crime_type=new.crime_type,
        wants=new.wants,
        danger_now=new.danger_now,
        filed_by=acting_user,
        submission_key=submission_key,
        # filed by a caseworker who heard it: read already, never escalated as unread
        opened_at=timezone.now() if acting_user is not None else None,
    )
    keyring = keys.vault().new_report(
        report.public_id,
        custodian_org_id=keys.org_id(custodian),
        custodian_public_key=bytes(org_key.public_key),
        receipt=receipt,
    )
    report.public_key = keyring.public_key
    report.receipt_lookup_digest = keyring.receipt_lookup_digest
    report.receipt_wrap = keyring.receipt_wrap
    report.custodian_wrap = keyring.custodian_wrap
    report.save()
    author = Author.CASEWORKER if acting_user is not None else Author.REPORTER
    sealed: list[ReportSection] = []
    for section, answers in new.sections.items():
        if section in (Section.IMMIGRATION, Section.ATTACHMENTS):
            raise ActionRefused("Immigration information is never asked at intake.")
        if _has_content(answers):
            sealed.append(
                ReportSection(
                    report=report,
                    section=section.value,
                    ciphertext=seal_section(
                        report.public_id, keyring.public_key, section, encode_answers(answers)
                    ),
                    added_by=author,
                )
            )
    ReportSection.objects.bulk_create(sealed)  # one INSERT for every section
    for clean in new.attachments:
        _store_attachment(report, clean, author)
    for choice in new.consents:
        store_consent(report, choice, author)
    record_event(
        EventKind.REPORT_FILED_FOR_REPORTER if acting_user else EventKind.REPORT_SUBMITTED,
        actor=acting_user,
        organisation=custodian,
        report=report.public_id,
    )
    if acting_user is None:
        from safereport.cases.tasks import alert_new_report  # the task module imports this one

        # Who gets the alert is looked up by the job, off the reporter's request.
        transaction.on_commit(
            functools.partial(alert_new_report, report_id=report.pk, hour=this_hour()),
            robust=True,
        )
    return report


def send_new_report_alerts(report_id: int, hour: str) -> int:
    """The new-report alert to each caseworker of the report's organisation
    (``cases.tasks.alert_new_report``, queued when a reporter's report is
    stored); how many were queued. At most one per person per ``hour``: a flood
    of submissions cannot become a flood of mail (the staff home lists every
    report). Nothing for a report deleted since."""
    report = Report.objects.filter(pk=report_id, shredded_at=None).first()
    if report is None:
        return 0
    return alert_each(case_workers_of(report), StaffAlert.NEW_REPORT, once=f"new:{hour}")


def case_workers_of(report: Report) -> list[StaffUser]:
    """Who works the report's cases (``permissions.may_read_case``): its new-report alerts."""
    return staff_of(report.custodian_id, lambda person: permissions.may_read_case(person, report))


def _store_attachment(report: Report, clean: CleanFile, author: str) -> Attachment:
    item_id = new_item_id()
    return Attachment.objects.create(
        report=report,
        item_id=item_id,
        media_type=clean.media_type,
        ciphertext=seal_section(
            report.public_id,
            bytes(report.public_key),
            Section.ATTACHMENTS,
            clean.data,
            item_id=item_id,
        ),
        added_by=author,
    )


def store_consent(report: Report, choice: ConsentChoice, author: str) -> Consent:
    if choice.recipient.org_kind is OrgKind.IMMIGRATION_AUTHORITY:
        raise ActionRefused("Nothing is ever shared with an immigration authority.")
    if choice.purpose is Purpose.IMMIGRATION_ENFORCEMENT:
        raise ActionRefused("Nothing is ever shared for immigration enforcement.")
    consent = Consent.objects.create(
        report=report,
        recipient=choice.recipient,
        purpose=choice.purpose.value,
        sections=[Section(s).value for s in choice.sections],
        given_by=author,
        note=choice.note,
    )
    record_event(
        EventKind.CONSENT_GIVEN,
        organisation=report.custodian,
        report=report.public_id,
        consent=consent.pk,
        purpose=consent.purpose,
    )
    return consent


def _live(report: Report) -> None:
    if report.is_shredded:
        raise ActionRefused("This report has been deleted.")


def _require_live_case(acting_user: StaffUser, report: Report) -> None:
    """A caseworker's write: they may work on the case, and it is not deleted."""
    require_case_worker(acting_user, report)
    _live(report)


def _new_message(
    report: Report, direction: str, body: str, *, author: StaffUser | None = None
) -> Message:
    """A message between the reporter and the caseworkers, sealed to the report."""
    message_id = new_item_id()
    return Message.objects.create(
        report=report,
        message_id=message_id,
        direction=direction,
        ciphertext=seal_message(
            report.public_id, bytes(report.public_key), message_id, body.encode("utf-8")
        ),
        author=author,
    )


def _new_note(report: Report, text: str, *, author: StaffUser) -> Note:
    """A case note (staff only), sealed to the report."""
    note_id = new_item_id()
    return Note.objects.create(
        report=report,
        note_id=note_id,
        ciphertext=seal_message(
            report.public_id, bytes(report.public_key), f"note:{note_id}", text.encode("utf-8")
        ),
        author=author,
    )


# -- the reporter, through an opened receipt ----------------------------------


@transaction.atomic(durable=True)
def do_send_reporter_message(report: Report, body: str) -> Message:
    _live(report)
    message = _new_message(report, Message.Direction.FROM_REPORTER, body)
    if report.status == ReportStatus.WAITING_FOR_REPORTER:
        report.status = ReportStatus.IN_PROGRESS
        report.save(update_fields=["status", "updated_at"])
    record_event(
        EventKind.MESSAGE_FROM_REPORTER, organisation=report.custodian, report=report.public_id
    )
    assigned = report.assigned_to
    if assigned is not None and permissions.may_read_case(assigned, report):
        readers = [assigned]
    else:
        readers = case_workers_of(report)
    # One alert per report until someone opens the case again: a reporter (or
    # whoever holds her receipt) sending many messages sends one mail.
    views = CaseAccess.objects.filter(report=report, action=CaseAccess.Action.VIEWED).count()
    alert_each(readers, StaffAlert.REPORTER_MESSAGE, once=f"message:{report.pk}:{views}")
    return message


@transaction.atomic(durable=True)
def do_add_information(
    report: Report, text: str, attachments: tuple[CleanFile, ...] = ()
) -> ReportSection | None:
    """The reporter adds to what happened (a new sealed item of the incident section)."""
    _live(report)
    if len(report.attachments.all()) + len(attachments) > settings.ATTACHMENT_MAX_COUNT:
        raise ActionRefused("Too many attachments.")
    row = None
    if text.strip():
        item_id = new_item_id()
        row = ReportSection.objects.create(
            report=report,
            section=Section.INCIDENT.value,
            item_id=item_id,
            ciphertext=seal_section(
                report.public_id,
                bytes(report.public_key),
                Section.INCIDENT,
                encode_answers({"added": text}),
                item_id=item_id,
            ),
            added_by=Author.REPORTER,
        )
    for clean in attachments:
        _store_attachment(report, clean, Author.REPORTER)
    record_event(
        EventKind.REPORT_INFORMATION_ADDED,
        organisation=report.custodian,
        report=report.public_id,
        attachments=len(attachments),
    )
    return row


def withdraw_consent(consent: Consent, *, report: Report) -> Consent:
    """The reporter withdraws a consent; from now on it allows nothing. Runs in
    the caller's transaction (``do_withdraw_consent`` is the action)."""
    if consent.report_id != report.pk:
        raise ActionRefused("That consent belongs to another report.")
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        record_event(
            EventKind.CONSENT_WITHDRAWN,
            organisation=report.custodian,
            report=report.public_id,
            consent=consent.pk,
        )
    return consent


do_withdraw_consent = outermost(withdraw_consent)


def shred(report: Report, *, by: str, actor: StaffUser | None = None) -> Report:
    """Crypto-shredding: delete every wrap of the report's key, and the sealed
    content too. Nobody (reporter, custodian, operator) can read it after this.
    The row stays, with its crime type, dates and status, for the statistics.
    A step inside the caller's transaction; ``by`` says who asked, for the audit row."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_shredded:
        return report
    shredded = keyring_of(report).shredded()
    report.receipt_lookup_digest = shredded.receipt_lookup_digest
    report.receipt_wrap = shredded.receipt_wrap
    report.custodian_wrap = shredded.custodian_wrap
    report.shredded_at = timezone.now()
    report.status = ReportStatus.CLOSED
    report.save()
    report.sections.all().delete()
    report.attachments.all().delete()
    report.messages.all().delete()
    report.notes.all().delete()
    report.consents.filter(withdrawn_at=None).update(withdrawn_at=report.shredded_at)
    record_event(
        EventKind.REPORT_SHREDDED,
        actor=actor,
        organisation=report.custodian,
        report=report.public_id,
        by=by,
    )
    return report


@transaction.atomic(durable=True)
def do_shred_report(report: Report, *, acting_user: StaffUser | None) -> Report:
    """The reporter (``acting_user=None``, through her receipt) or one of the
    custodian's caseworkers deletes the report for good."""
    if acting_user is not None:
        require_case_worker(acting_user, report)
    locked = Report.objects.select_for_update().select_related("custodian").get(pk=report.pk)
    if locked.is_shredded:
        return locked  # deleted already: nothing to shred or count again
    shredded = shred(locked, by="caseworker" if acting_user else "reporter", actor=acting_user)
    record_deletion(shredded, EventKind.REPORT_DELETION)
    return shredded


def record_deletion(report: Report, kind: EventKind, now: datetime | None = None) -> int:
    """The public-log entry of a shredding: its organisation, a count of one and a
    commitment under the installation's deletion key that only a restore (which
    holds the key) can link to the report, so that restoring an older backup
    shreds it again (safereport.backups; docs/threat-model.md "Backups")."""
    moment = (now or timezone.now()).astimezone(dt.UTC)
    key = deletion_commitment_key(settings.DELETION_KEY, report.public_id)
    return append_entry(
        Entry(
            kind=kind,
            week=iso_week(moment),
            org=report.custodian.slug,
            count=1,
            commitment=commitment_for_key(key),
        )
    )


# -- the custodian's caseworkers -----------------------------------------------


def do_record_case_access(report: Report, *, action: str, acting_user: StaffUser) -> CaseAccess:
    """Record a read; the first reading of the case page marks the report opened,
    which ends its escalation as unread (``do_escalate_unread``)."""
    require_case_worker(acting_user, report)
    with transaction.atomic(durable=True):
        if action == CaseAccess.Action.VIEWED and report.opened_at is None:
            report.opened_at = timezone.now()
            Report.objects.filter(pk=report.pk, opened_at=None).update(opened_at=report.opened_at)
        return CaseAccess.objects.create(report=report, staff=acting_user, action=action)


def mark_in_progress(report: Report) -> None:
    """A caseworker acted on a new report (a reply, a risk assessment, a
    referral, the police): it is in progress now, for the inbox and for the
    reporter. Call inside the action's transaction."""
    if report.status == ReportStatus.NEW:
        report.status = ReportStatus.IN_PROGRESS
        report.save(update_fields=["status", "updated_at"])


@transaction.atomic(durable=True)
def do_reply_to_reporter(report: Report, body: str, *, acting_user: StaffUser) -> Message:
    _require_live_case(acting_user, report)
    message = _new_message(report, Message.Direction.TO_REPORTER, body, author=acting_user)
    mark_in_progress(report)
    record_event(EventKind.MESSAGE_TO_REPORTER, actor=acting_user, report=report.public_id)
    return message


@transaction.atomic(durable=True)
def do_add_note(report: Report, text: str, *, acting_user: StaffUser) -> Note:
    _require_live_case(acting_user, report)
    note = _new_note(report, text, author=acting_user)
    record_event(EventKind.CASE_NOTE_ADDED, actor=acting_user, report=report.public_id)
    return note


@transaction.atomic(durable=True)
def do_change_status(report: Report, status: str, *, acting_user: StaffUser) -> Report:
    _require_live_case(acting_user, report)
    new_status = ReportStatus(status)
    old = report.status
    if old != new_status:
        report.status = new_status
        # The retention clock starts when the case is closed, and again on a later closing.
        report.closed_at = timezone.now() if new_status == ReportStatus.CLOSED else None
        report.retention_warned_at = None
        report.save(update_fields=["status", "closed_at", "retention_warned_at", "updated_at"])
        record_event(
            EventKind.REPORT_STATUS_CHANGED,
            actor=acting_user,
            report=report.public_id,
            old=old,
            new=new_status.value,
        )
    return report


@transaction.atomic(durable=True)
def do_assign_report(
    report: Report, assignee: StaffUser | None, *, acting_user: StaffUser
) -> Report:
    """Name the caseworker who looks after ``report`` (or nobody, with None).

    A caseworker may take a report or give up their own; an admin of the
    organisation may give it to any working caseworker or admin of it
    (``permissions.may_assign``). The row is locked so that two people taking
    the same report at once leave one name and two honest audit events."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if not permissions.may_assign(acting_user, locked, assignee):
        raise ActionRefused(
            N_("You can take a report yourself; only an admin can give it to someone else.")
        )
    if locked.is_shredded:
        raise ActionRefused(N_("This report was deleted."))
    old = locked.assigned_to_id
    new = assignee.pk if assignee is not None else None
    if old != new:
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to", "updated_at"])
        record_event(
            EventKind.REPORT_ASSIGNED,
            actor=acting_user,
            report=locked.public_id,
            old=old,
            new=new,
        )
    report.assigned_to = locked.assigned_to
    return report


@transaction.atomic(durable=True)
def do_record_contact(
    report: Report,
    *,
    channel: Channel,
    at: datetime,
    note: str,
    concerns: Sequence[Concern],
    reason: str,
    acting_user: StaffUser,
) -> Note:
    """Record a contact with the reporter outside the website (a call, a text,
    a visit...). ``concerns`` are the ways it goes against their safe-contact
    plan (``core.contact.check_contact``), which the caseworker was shown; a
    contact against the plan needs the caseworker's written reason. The
    record is a sealed case note; the audit event holds only the channel and
    the concerns' names."""
    _require_live_case(acting_user, report)
    if concerns and not reason.strip():
        raise ActionRefused(
            N_("This contact goes against the person's safe-contact plan. Write down why.")
        )
    lines = [f"Contact: {channel.value}, {timezone.localtime(at):%Y-%m-%d %H:%M}"]
    if note.strip():
        lines.append(note.strip())
    if concerns:
        lines.append("Against the plan: " + ", ".join(c.value for c in concerns))
        lines.append("Reason: " + reason.strip())
    row = _new_note(report, "\n".join(lines), author=acting_user)
    record_event(
        EventKind.CONTACT_RECORDED,
        actor=acting_user,
        report=report.public_id,
        channel=channel.value,
        against_plan=[c.value for c in concerns],
    )
    return row


# -- retention (core.retention) --------------------------------------------------


def place_legal_hold(report: Report, reason: LegalHold, *, actor: StaffUser | None) -> None:
    """Keep the case whatever its retention date while proceedings are live. A step
    inside the caller's transaction (sending to the police, opening a legal task)."""
    if report.legal_hold:
        return
    report.legal_hold = reason.value
    report.save(update_fields=["legal_hold", "updated_at"])
    record_event(
        EventKind.LEGAL_HOLD_PLACED,
        actor=actor,
        organisation=report.custodian,
        report=report.public_id,
        reason=reason.value,
    )


@transaction.atomic(durable=True)
def do_set_legal_hold(report: Report, reason: str, *, acting_user: StaffUser) -> Report:
    require_case_worker(acting_user, report)
    _live(report)
    try:
        place_legal_hold(report, LegalHold(reason), actor=acting_user)
    except ValueError:
        raise ActionRefused(N_("Choose why the case must be kept.")) from None
    return report


@transaction.atomic(durable=True)
def do_release_legal_hold(report: Report, *, acting_user: StaffUser) -> Report:
    """The proceedings are over: the case follows its retention period again."""
    require_case_worker(acting_user, report)
    _live(report)
    if report.legal_hold:
        reason = report.legal_hold
        report.legal_hold = ""
        report.retention_warned_at = None
        report.save(update_fields=["legal_hold", "retention_warned_at", "updated_at"])
        record_event(
            EventKind.LEGAL_HOLD_RELEASED, actor=acting_user, report=report.public_id, reason=reason
        )
    return report


@transaction.atomic(durable=True)
def do_request_shorter_retention(report: Report, months: int) -> Report:
    """The reporter (through her receipt) asks for her report to be kept for a
    shorter time after it is closed."""
    _live(report)
    try:
        retention.check_reporter_months(months, report.custodian.retention_months)
    except retention.RetentionError as error:
        raise ActionRefused(N_("Choose one of the shorter periods offered.")) from error
    report.retention_months_requested = months
    report.retention_warned_at = None
    report.save(update_fields=["retention_months_requested", "retention_warned_at", "updated_at"])
    record_event(
        EventKind.RETENTION_REQUESTED,
        organisation=report.custodian,
        report=report.public_id,
        months=months,
    )
    return report


def reports_due_for_warning(now: datetime) -> list[Report]:
    """Closed cases due within the warning period, not yet warned about (nor on hold)."""
    candidates = Report.objects.filter(
        status=ReportStatus.CLOSED,
        shredded_at=None,
        legal_hold="",
        retention_warned_at=None,
        closed_at__isnull=False,
    ).select_related("custodian")
    return [r for r in candidates if _in_warning_window(r, now)]


def _in_warning_window(report: Report, now: datetime) -> bool:
    """Due within the warning period, not yet due (a case already due is shredded
    in the same run: a warning then would only be noise)."""
    warn_from, due = report.retention.warn_from(), report.retention.delete_on
    return warn_from is not None and due is not None and warn_from <= now < due


def reports_due_for_shredding(now: datetime) -> list[Report]:
    candidates = Report.objects.filter(
        status=ReportStatus.CLOSED, shredded_at=None, legal_hold="", closed_at__isnull=False
    ).select_related("custodian")
    return [r for r in candidates if r.retention.is_due(now)]


@transaction.atomic(durable=True)
def do_warn_retention_due(report: Report, *, now: datetime) -> bool:
    """Tell the caseworker the case is assigned to (or, when nobody has it or she
    has no address, the organisation) that the case will be deleted soon (once).
    The mail holds a fixed sentence and a link to the inbox, never the case's
    reference; the case page shows the date."""
    report = Report.objects.select_for_update().select_related("custodian").get(pk=report.pk)
    if report.retention_warned_at or report.is_shredded or not _in_warning_window(report, now):
        return False
    report.retention_warned_at = now
    report.save(update_fields=["retention_warned_at"])
    inbox = "/staff/cases/"
    assigned = report.assigned_to
    to_caseworker = (
        assigned is not None
        and assigned.is_active
        and alert_staff(assigned, StaffAlert.CASE_DUE_FOR_DELETION, inbox)
    )
    if not to_caseworker:
        notify(report.custodian, Notice.RETENTION_DUE_SOON, inbox)
    record_event(
        EventKind.RETENTION_WARNING_SENT,
        organisation=report.custodian,
        report=report.public_id,
        due=report.retention.delete_on.date().isoformat() if report.retention.delete_on else "",
        to="assigned caseworker" if to_caseworker else "organisation",
    )
    return True


@transaction.atomic(durable=True)
def do_shred_for_retention(report: Report, *, now: datetime) -> bool:
    """Shred a closed case whose retention period has ended, and count it in the
    public log (an entry holding the organisation and a count, nothing else)."""
    report = Report.objects.select_for_update().select_related("custodian").get(pk=report.pk)
    if report.is_shredded or not report.retention.is_due(now):
        return False  # reopened, put on hold or given more time since it was found
    shred(report, by="retention")
    record_deletion(report, EventKind.RETENTION_DELETION, now)
    return True


# -- escalation of unread reports (cases.tasks.escalate_unread) -----------------

UNREAD_AFTER = dt.timedelta(hours=24)
UNREAD_AFTER_WHEN_URGENT = dt.timedelta(hours=2)


def unread_interval(report: Report) -> dt.timedelta:
    """How long a report may wait unopened, and then between reminders: 2 hours
    when its risk is high or the reporter said she is in danger now, else 24 hours."""
    urgent = report.risk_high or report.danger_now
    return UNREAD_AFTER_WHEN_URGENT if urgent else UNREAD_AFTER


def _unread_due(report: Report, now: datetime) -> bool:
    if report.opened_at is not None or report.is_shredded or report.status == ReportStatus.CLOSED:
        return False
    since = report.unread_alerted_at or report.created_at
    return now >= since + unread_interval(report)


def reports_unread_too_long(now: datetime) -> list[Report]:
    """Reports nobody has opened whose next escalation is due (the shortest wait
    bounds the query; each report's own interval decides)."""
    candidates = Report.objects.filter(
        opened_at=None,
        shredded_at=None,
        created_at__lte=now - UNREAD_AFTER_WHEN_URGENT,
    ).exclude(status=ReportStatus.CLOSED)
    return [report for report in candidates if _unread_due(report, now)]


@transaction.atomic(durable=True)
def do_escalate_unread(report: Report, *, now: datetime) -> bool:
    """Tell the organisation's admins that ``report`` has not been opened, once per
    interval until someone opens it. Run twice in one interval, it sends nothing
    the second time (the row is locked and re-checked; each alert has its key)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not _unread_due(report, now):
        return False
    report.unread_alerted_at = now
    report.unread_alerts += 1
    report.save(update_fields=["unread_alerted_at", "unread_alerts"])
    admins = staff_of(report.custodian_id, permissions.is_org_admin)
    queued = alert_each(
        admins, StaffAlert.REPORT_UNREAD, once=f"unread:{report.pk}:{report.unread_alerts}"
    )
    record_event(
        EventKind.REPORT_UNREAD_ESCALATED,
        organisation=report.custodian,
        report=report.public_id,
        times=report.unread_alerts,
        mailed=queued,
    )
    return True
