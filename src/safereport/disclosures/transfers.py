"""Transfer of custody: a report moves to another organisation (issue 13, item 3).

A transfer is a disclosure like any other, decided by the published Cedar
policy with the purpose ``transfer`` and every section the report holds:

- the reporter's live consent naming the receiving organisation (she agrees
  on her return page to what a caseworker proposed, or says so by phone and
  the caseworker records it), or
- a safeguarding override with a written reason approved by a second member
  of staff (the override rules reach only a specialist service here).

The policy never lets a report go to the police or an immigration authority
under this purpose (``inv8-transfer-to-support-only``). When it is allowed,
the report's private key is re-wrapped for the receiving organisation's
public key (``Vault.transfer_report``) and the custodian changes in the same
transaction: the sending organisation's key no longer opens the report. The
sender keeps only the record (this ``Transfer`` row, the attempt, its audit
rows); the public log gets the disclosure entry (purpose ``transfer``), and
both organisations get an audit row.

Checks here (a recipient with nobody to read it, the custodian itself, a
kind the policy never allows) only stop things earlier with a clear message;
they never allow anything the policy refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from safereport.accounts import keys, permissions
from safereport.accounts.actions import ActionRefused, outermost, record_event
from safereport.accounts.models import Organisation, OrganisationKey, StaffUser
from safereport.accounts.notify import StaffAlert, alert_each
from safereport.accounts.selectors import organisations_with_readers
from safereport.cases.actions import (
    ConsentChoice,
    case_workers_of,
    keyring_of,
    require_case_worker,
    store_consent,
)
from safereport.cases.models import Author, Report, ReportStatus
from safereport.core.crypto import UnlockedOrganisation, UnlockedReport
from safereport.core.events import EventKind
from safereport.core.vocabulary import Purpose, Section
from safereport.disclosures import ledger
from safereport.disclosures.actions import (
    Outcome,
    decide_and_record,
    record_spoken_consent,
    withdraw_consent_for_reporter,
)
from safereport.disclosures.models import DisclosureAttempt, Override, Transfer
from safereport.disclosures.selectors import Ask, open_report

TRANSFER = Purpose.TRANSFER


def sections_held(report: Report) -> frozenset[Section]:
    """Every section the report holds: what a transfer hands over (the key
    that moves opens all of it)."""
    held = {Section(v) for v in report.sections.values_list("section", flat=True).distinct()}
    if report.attachments.exists():
        held.add(Section.ATTACHMENTS)
    return frozenset(held)


def check_recipient(report: Report, recipient: Organisation) -> None:
    """Raise ``ActionRefused`` with a clear message unless ``recipient`` could
    take the report over: another organisation, of a kind the policy lets a
    transfer reach, where an active caseworker holds the organisation's key."""
    if recipient.pk == report.custodian_id:
        raise ActionRefused(N_("This report is already with your organisation. Choose another."))
    if recipient.org_kind not in permissions.transfer_recipient_kinds():
        raise ActionRefused(
            N_(
                "A report can only be transferred to a support organisation or a specialist "
                "service, never to the police or an immigration authority."
            )
        )
    if not organisations_with_readers().filter(pk=recipient.pk).exists():
        raise ActionRefused(
            N_(
                "Nobody at this organisation can read a report yet: no active caseworker "
                "holds its key. Choose another organisation."
            )
        )


def _require_open(transfer: Transfer, *, report: Report | None = None) -> Transfer:
    """The transfer, locked, if it is still waiting (and of ``report``, when given)."""
    rows = Transfer.objects.select_for_update(of=("self",)).select_related("to_org", "from_org")
    if report is not None:
        rows = rows.filter(report=report)
    locked = rows.filter(pk=transfer.pk, status=Transfer.Status.PROPOSED).first()
    if locked is None:
        raise ActionRefused(N_("This transfer is no longer waiting: it was decided or cancelled."))
    return locked


def _audit(
    kind: EventKind,
    transfer: Transfer,
    organisation: Organisation,
    actor: StaffUser | None = None,
    **detail: object,
) -> None:
    """One audit row about a transfer, for ``organisation``'s admins."""
    record_event(
        kind,
        actor=actor,
        organisation=organisation,
        report=transfer.report.public_id,
        transfer=transfer.pk,
        **detail,
    )


def do_propose_transfer(
    report: Report, *, recipient: Organisation, acting_user: StaffUser
) -> Transfer:
    """A caseworker proposes to move the report to ``recipient``; nothing moves
    until the reporter agrees (or a second person approves an override)."""
    require_case_worker(acting_user, report)
    if report.is_shredded:
        raise ActionRefused(N_("This report has been deleted."))
    check_recipient(report, recipient)
    with transaction.atomic(durable=True):
        Report.objects.select_for_update().filter(pk=report.pk).first()
        if Transfer.objects.filter(report=report, status=Transfer.Status.PROPOSED).exists():
            raise ActionRefused(
                N_(
                    "A transfer of this report is already waiting. "
                    "Cancel it before proposing another."
                )
            )
        transfer = Transfer.objects.create(
            report=report, from_org=report.custodian, to_org=recipient, proposed_by=acting_user
        )
        _audit(
            EventKind.TRANSFER_PROPOSED, transfer, report.custodian, acting_user, to=recipient.slug
        )
    return transfer


def do_cancel_transfer(transfer: Transfer, *, acting_user: StaffUser) -> Transfer:
    """Withdraw a proposal that is still waiting (and its override, if any)."""
    require_case_worker(acting_user, transfer.report)
    with transaction.atomic(durable=True):
        transfer = _require_open(transfer)
        transfer.status = Transfer.Status.CANCELLED
        transfer.decided_at = timezone.now()
        transfer.save(update_fields=["status", "decided_at"])
        if transfer.override_id is not None:
            Override.objects.filter(pk=transfer.override_id, status=Override.Status.PENDING).update(
                status=Override.Status.CANCELLED, decided_at=timezone.now()
            )
        _audit(EventKind.TRANSFER_CANCELLED, transfer, transfer.from_org, acting_user)
    return transfer


@dataclass(frozen=True)
class TransferOutcome:
    transfer: Transfer
    attempt: DisclosureAttempt

    @property
    def allowed(self) -> bool:
        return self.attempt.allowed


def _hand_over(
    report: Report, unlocked: UnlockedReport, recipient: Organisation, recipient_key: bytes
) -> None:
    """Re-wrap the report key for the receiving organisation and change custody."""
    keyring = keys.vault().transfer_report(
        keyring_of(report),
        unlocked,
        recipient_org_id=keys.org_id(recipient),
        recipient_kind=recipient.org_kind,
        recipient_public_key=recipient_key,
    )
    report.custodian = recipient
    report.custodian_wrap = keyring.custodian_wrap
    report.assigned_to = None
    report.status = ReportStatus.NEW
    report.opened_at = None  # unread at its new home: escalated there until opened
    report.save(update_fields=["custodian", "custodian_wrap", "assigned_to", "status", "opened_at"])
    # Overrides the sender asked for and nobody approved die with its custody.
    Override.objects.filter(report=report, status=Override.Status.PENDING).exclude(
        transfer__isnull=False
    ).update(status=Override.Status.CANCELLED, decided_at=timezone.now())


def complete_transfer(
    transfer: Transfer,
    *,
    actor: StaffUser,
    unlocked: UnlockedReport | None,
    override: Override | None = None,
) -> TransferOutcome:
    """Put the transfer to the firewall and, if it allows it, move the report.

    ``actor`` is the member of the custodian's staff the disclosure is made
    by (the proposer, when the reporter agrees on her page); ``unlocked`` the
    report opened by whoever acts (the reporter's receipt, or a caseworker's
    organisation key). Records the attempt and its log entry either way.
    Raises ``KeysLocked`` (nothing written) when allowed but ``unlocked`` is
    None. Runs in the caller's transaction."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("custodian")
        .get(pk=transfer.report_id)
    )
    recipient = transfer.to_org
    if report.is_shredded:
        raise ActionRefused(N_("This report has been deleted."))
    if report.custodian_id != transfer.from_org_id:
        raise ActionRefused(N_("This report has already moved to another organisation."))
    recipient_key = OrganisationKey.objects.filter(organisation=recipient).first()
    if recipient_key is None or not organisations_with_readers().filter(pk=recipient.pk).exists():
        raise ActionRefused(
            N_(
                "Nobody at the receiving organisation can read a report now: no active "
                "caseworker holds its key. Nothing was transferred."
            )
        )
    sender = report.custodian
    ask = Ask(actor, recipient, TRANSFER, sections_held(report), override)
    attempt = decide_and_record(report, ask, unlocked=unlocked)
    transfer.attempt = attempt
    transfer.decided_at = timezone.now()
    if attempt.allowed:
        assert unlocked is not None  # noqa: S101 - decide_and_record raised KeysLocked otherwise
        _hand_over(report, unlocked, recipient, bytes(recipient_key.public_key))
        transfer.status = Transfer.Status.DONE
        _audit(EventKind.TRANSFER_SENT, transfer, sender, actor, to=recipient.slug)
        _audit(EventKind.TRANSFER_RECEIVED, transfer, recipient, sender=sender.slug)
        # Its new caseworkers hear of it as of any new report.
        alert_each(case_workers_of(report), StaffAlert.NEW_REPORT, once=f"transfer:{transfer.pk}")
    else:
        transfer.status = Transfer.Status.REFUSED
        _audit(EventKind.TRANSFER_REFUSED, transfer, sender, actor, rule_ids=attempt.rule_ids)
    transfer.save(update_fields=["attempt", "decided_at", "status"])
    return TransferOutcome(transfer, attempt)


# -- the reporter's answer, on her return page -------------------------------------


def open_proposals(report: Report) -> list[Transfer]:
    """Proposals waiting for the reporter's answer (at most one)."""
    return list(
        Transfer.objects.filter(report=report, status=Transfer.Status.PROPOSED).select_related(
            "to_org"
        )
    )


def _reporter_proposal(report: Report, transfer_id: int) -> Transfer:
    """Her report's proposal still waiting for her answer (any other id,
    another report's included, is refused alike)."""
    return _require_open(Transfer(pk=transfer_id), report=report)


def do_agree_to_transfer(
    report: Report, transfer_id: int, *, unlocked: UnlockedReport
) -> TransferOutcome:
    """The reporter agrees on her page: her consent (this organisation, for
    continuing support, every section her report holds) is recorded and the
    transfer is put to the firewall at once, made by the caseworker who
    proposed it and opened with her own receipt. If the firewall refuses,
    the consent is withdrawn again (recorded), so none is left behind."""
    with transaction.atomic(durable=True):
        transfer = _reporter_proposal(report, transfer_id)
        proposer = transfer.proposed_by
        if not permissions.may_read_case(proposer, report):
            raise ActionRefused(
                N_("The caseworker who suggested this can no longer act on it. Nothing was moved.")
            )
        sections = sections_held(report)
        consent = store_consent(
            report,
            ConsentChoice(transfer.to_org, TRANSFER, tuple(sorted(sections))),
            Author.REPORTER,
        )
        ledger.append(
            EventKind.CONSENT_GIVEN,
            custodian=report.custodian,
            recipient_kind=transfer.to_org.org_kind,
            purpose=TRANSFER,
            sections=sections,
            commitment=ledger.commitment_for(unlocked),
        )
        outcome = complete_transfer(transfer, actor=proposer, unlocked=unlocked)
        if not outcome.allowed:
            withdraw_consent_for_reporter(consent, acting_user=proposer)
    return outcome


def do_decline_transfer(report: Report, transfer_id: int) -> Transfer:
    """The reporter says no: nothing moves, the caseworker sees her answer."""
    with transaction.atomic(durable=True):
        transfer = _reporter_proposal(report, transfer_id)
        transfer.status = Transfer.Status.DECLINED
        transfer.decided_at = timezone.now()
        transfer.save(update_fields=["status", "decided_at"])
        _audit(EventKind.TRANSFER_DECLINED, transfer, report.custodian)
    return transfer


# -- the caseworker records the reporter's spoken consent ---------------------------


def transfer_with_spoken_consent(
    transfer: Transfer,
    *,
    note: str,
    organisation_key: UnlockedOrganisation | None,
    acting_user: StaffUser,
) -> TransferOutcome:
    """The reporter agreed by phone or in person: record her consent (as
    ``record_spoken_consent`` does) and put the transfer to the firewall,
    opened with the caseworker's organisation key. A refusal withdraws the
    consent just recorded. Runs in the caller's transaction."""
    report = transfer.report
    require_case_worker(acting_user, report)
    transfer = _require_open(transfer)
    consent = record_spoken_consent(
        report,
        recipient=transfer.to_org,
        purpose=TRANSFER,
        sections=sections_held(report),
        note=note,
        organisation_key=organisation_key,
        acting_user=acting_user,
    )
    outcome = complete_transfer(
        transfer, actor=acting_user, unlocked=open_report(report, acting_user, organisation_key)
    )
    if not outcome.allowed:
        withdraw_consent_for_reporter(
            consent, organisation_key=organisation_key, acting_user=acting_user
        )
    return outcome


do_transfer_with_spoken_consent = outermost(transfer_with_spoken_consent)


# -- safeguarding override ---------------------------------------------------------


def do_request_transfer_override(
    transfer: Transfer, *, reason: str, acting_user: StaffUser
) -> Override:
    """Risk to life and the reporter cannot be asked: ask a second member of
    staff to approve moving the report without her consent. The approval
    (``actions.do_approve_override``) puts the transfer to the firewall."""
    report = transfer.report
    require_case_worker(acting_user, report)
    if not reason.strip():
        raise ActionRefused(N_("Describe the risk to life: an override needs a written reason."))
    if transfer.to_org.org_kind not in permissions.override_recipient_kinds():
        raise ActionRefused(
            N_(
                "Under a safeguarding override a report can only be transferred to a "
                "specialist service. Ask the reporter instead."
            )
        )
    with transaction.atomic(durable=True):
        transfer = _require_open(transfer)
        if transfer.override is not None and transfer.override.status == Override.Status.PENDING:
            raise ActionRefused(N_("An override for this transfer is already waiting."))
        override = Override.objects.create(
            report=report,
            recipient=transfer.to_org,
            purpose=TRANSFER.value,
            sections=sorted(s.value for s in sections_held(report)),
            reason=reason.strip(),
            requested_by=acting_user,
        )
        transfer.override = override
        transfer.save(update_fields=["override"])
        record_event(
            EventKind.OVERRIDE_REQUESTED,
            actor=acting_user,
            report=report.public_id,
            override=override.pk,
            transfer=transfer.pk,
        )
    return override


def transfer_by_override(
    override: Override, *, organisation_key: UnlockedOrganisation | None, acting_user: StaffUser
) -> Outcome:
    """The second approver's step (called by ``do_approve_override`` inside its
    transaction, with ``override.approved_by`` set): the transfer the
    override belongs to is put to the firewall with the approval attached."""
    transfer = Transfer.objects.select_related("to_org", "report").get(override=override)
    if not transfer.is_open:
        raise ActionRefused(N_("This transfer is no longer waiting: it was decided or cancelled."))
    outcome = complete_transfer(
        transfer,
        actor=override.requested_by,
        unlocked=open_report(override.report, acting_user, organisation_key),
        override=override,
    )
    if not outcome.allowed and acting_user.pk == override.requested_by_id:
        # Approving one's own override: refused and recorded, the proposal stays open.
        Transfer.objects.filter(pk=transfer.pk).update(status=Transfer.Status.PROPOSED)
    return Outcome(outcome.attempt, None)
