"""Every write of the firewall's Django side.

``do_disclose_report`` is the only way report data leaves its custodian:
it builds the firewall's request from the database, asks the published
Cedar policy (``core.policy.decide``), records the attempt and appends the
transparency-log entry in the same transaction, and only when the policy
allowed it seals a package holding exactly the allowed sections for the
recipient organisation's key. A refusal is recorded exactly like an
allowed disclosure; nothing of the report is copied.

The firewall itself is not re-implemented here: every decision is Cedar's.
Checks in this module only stop things earlier (a locked key, a report that
was deleted) and never allow anything the policy refused.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from safereport.accounts import keys, permissions
from safereport.accounts.actions import ActionRefused, outermost, record_event
from safereport.accounts.models import Organisation, OrganisationKey, StaffUser
from safereport.accounts.notify import StaffAlert, alert_each
from safereport.accounts.selectors import staff_of
from safereport.cases.actions import (
    require_case_worker,
    withdraw_consent,
)
from safereport.cases.models import Author, Consent, Report
from safereport.core import policy
from safereport.core.crypto import UnlockedOrganisation, UnlockedReport
from safereport.core.events import EventKind
from safereport.core.vocabulary import OrgKind, Purpose, Section
from safereport.disclosures import ledger
from safereport.disclosures.models import (
    DisclosureAttempt,
    DisclosurePackage,
    ImmigrationAuthorityRequest,
    Override,
    PackageSection,
)
from safereport.disclosures.selectors import (
    Ask,
    actor_of,
    build_request,
    consents_of,
    open_report,
)


class KeysLocked(ActionRefused):
    """The staff member's keys are not unlocked in this session."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "Your encryption keys are locked (the server restarted or your session is "
                "old). Sign out and sign in again, then try once more. Nothing was shared."
            )
        )


@dataclass(frozen=True)
class Outcome:
    """What a disclosure did: the recorded attempt and, if allowed, the package."""

    attempt: DisclosureAttempt
    package: DisclosurePackage | None
    # A spoken consent recorded for this disclosure and withdrawn again
    # because the firewall refused it (``do_disclose_with_consent``).
    consent_not_kept: Consent | None = None

    @property
    def allowed(self) -> bool:
        return self.attempt.allowed


def _bundle(report: Report, unlocked: UnlockedReport, section: Section) -> bytes:
    """Every stored item of one section, opened, as one JSON document."""
    items: list[dict[str, object]] = []
    if section is Section.ATTACHMENTS:
        for attachment in report.attachments.all():
            data = unlocked.open_section(
                Section.ATTACHMENTS, bytes(attachment.ciphertext), item_id=attachment.item_id
            )
            items.append(
                {
                    "media_type": attachment.media_type,
                    "data": base64.b64encode(data).decode("ascii"),
                }
            )
    else:
        for row in report.sections.filter(section=section.value):
            plain = unlocked.open_section(section, bytes(row.ciphertext), item_id=row.item_id)
            items.append(
                {
                    "answers": json.loads(plain),
                    "added_by": row.added_by,
                    "added_at": row.added_at.astimezone(dt.UTC).date().isoformat(),
                }
            )
    return json.dumps(
        {"section": section.value, "items": items}, ensure_ascii=False, sort_keys=True
    ).encode("utf-8")


def _seal_package(
    attempt: DisclosureAttempt,
    report: Report,
    unlocked: UnlockedReport,
    recipient: Organisation,
    sections: frozenset[Section],
) -> DisclosurePackage:
    recipient_key = OrganisationKey.objects.filter(organisation=recipient).first()
    if recipient_key is None:
        raise ActionRefused(
            N_(
                "This organisation cannot receive packages yet: it has no encryption key "
                "(nobody there has an account). Nothing was shared."
            )
        )
    package = DisclosurePackage(
        attempt=attempt, report=report, recipient=recipient, purpose=attempt.purpose
    )
    sealed = {s: unlocked.seal_section(s, _bundle(report, unlocked, s)) for s in sorted(sections)}
    made = keys.vault().new_disclosure_package(
        package.package_id,
        unlocked,
        sealed,
        recipient_org_id=keys.org_id(recipient),
        recipient_kind=recipient.org_kind,
        recipient_public_key=bytes(recipient_key.public_key),
    )
    package.sections = sorted(s.value for s in made.sections)
    package.public_key = made.public_key
    package.recipient_wrap = made.recipient_wrap
    package.save()
    PackageSection.objects.bulk_create(
        PackageSection(package=package, section=s.value, ciphertext=c)
        for s, c in sorted(made.sections.items())
    )
    return package


def decide_and_record(
    report: Report, ask: Ask, *, unlocked: UnlockedReport | None
) -> DisclosureAttempt:
    """Ask the firewall (with the report's consents locked) about one
    disclosure of ``report`` and record its decision, allowed or refused: the
    attempt, its public log entry (in the caller's transaction) and the
    custodian's audit row. Raises ``KeysLocked``, writing nothing, when the
    policy allows it but the report is not ``unlocked``: then the disclosure
    did not happen and is not a refusal. Shared by packages and transfers."""
    request = build_request(report, ask, lock=True)
    decision = policy.decide(request)
    if decision.allowed and unlocked is None:
        raise KeysLocked()
    attempt = DisclosureAttempt.objects.create(
        report=report,
        custodian=report.custodian,
        actor=ask.actor,
        recipient=ask.recipient,
        recipient_kind=ask.recipient.kind,
        purpose=Purpose(ask.purpose).value,
        sections=sorted(s.value for s in ask.sections),
        override=ask.override,
        allowed=decision.allowed,
        rule_ids=list(decision.rule_ids),
        policy_hash=decision.policy_hash,
    )
    event = EventKind.DISCLOSURE_ALLOWED if decision.allowed else EventKind.DISCLOSURE_REFUSED
    attempt.ledger_index = ledger.append(
        event,
        custodian=report.custodian,
        recipient_kind=ask.recipient.org_kind,
        purpose=Purpose(ask.purpose),
        sections=ask.sections,
        allowed=decision.allowed,
        policy_hash=decision.policy_hash,
        rule_ids=decision.rule_ids,
        commitment=ledger.commitment_for(unlocked),
    )
    attempt.save(update_fields=["ledger_index"])
    record_event(
        event,
        actor=ask.actor,
        organisation=report.custodian,
        report=report.public_id,
        attempt=attempt.pk,
        recipient=ask.recipient.slug,
        purpose=attempt.purpose,
        sections=attempt.sections,
        rule_ids=attempt.rule_ids,
    )
    return attempt


def _disclose(
    report: Report, ask: Ask, *, organisation_key: UnlockedOrganisation | None
) -> Outcome:
    unlocked = open_report(report, ask.actor, organisation_key)
    attempt = decide_and_record(report, ask, unlocked=unlocked)
    package = None
    if attempt.allowed:
        assert unlocked is not None  # noqa: S101 - decide_and_record raised KeysLocked otherwise
        package = _seal_package(attempt, report, unlocked, ask.recipient, ask.sections)
    return Outcome(attempt, package)


def disclose_report(
    report: Report,
    *,
    recipient: Organisation,
    purpose: Purpose,
    sections: Iterable[Section],
    override: Override | None = None,
    organisation_key: UnlockedOrganisation | None,
    acting_user: StaffUser,
) -> Outcome:
    """Ask the firewall to share ``sections`` of ``report`` with ``recipient``.

    Always records the attempt (and its log entry) unless it raises. Raises
    ``KeysLocked`` when the policy allowed it but the actor's keys are not
    unlocked, and ``ActionRefused`` for a deleted report or a recipient
    without a key; in those cases nothing is written at all.

    Runs in the caller's transaction; ``do_disclose_report`` is the action."""
    if report.is_shredded:
        raise ActionRefused(N_("This report has been deleted. Nothing can be shared from it."))
    if Purpose(purpose) is Purpose.TRANSFER:
        raise ActionRefused(
            N_("A report is transferred from its transfer page, not shared as a package.")
        )
    if Purpose(purpose) is Purpose.COORDINATED_SUPPORT:
        raise ActionRefused(
            N_("Coordinated support shares a reference from the case page, never a package.")
        )
    ask = Ask(
        acting_user, recipient, Purpose(purpose), frozenset(Section(s) for s in sections), override
    )
    return _disclose(report, ask, organisation_key=organisation_key)


do_disclose_report = outermost(disclose_report)


# -- consent recorded by a caseworker ------------------------------------------


def _log_consent(
    event: EventKind,
    consent: Consent,
    acting_user: StaffUser,
    organisation_key: UnlockedOrganisation | None,
) -> None:
    """Append a consent given or withdrawn to the transparency log: the
    recipient's kind, the purpose, the sections and the report's commitment."""
    report = consent.report
    ledger.append(
        event,
        custodian=report.custodian,
        recipient_kind=consent.recipient.org_kind,
        purpose=Purpose(consent.purpose),
        sections=[Section(s) for s in consent.sections],
        commitment=ledger.commitment_for(open_report(report, acting_user, organisation_key)),
    )


def record_spoken_consent(
    report: Report,
    *,
    recipient: Organisation,
    purpose: Purpose,
    sections: Iterable[Section],
    note: str,
    organisation_key: UnlockedOrganisation | None = None,
    acting_user: StaffUser,
) -> Consent:
    """Record a consent the reporter gave by speaking to a caseworker.

    The note (how and when the reporter said it) is required. Consents that
    the firewall can never honour are refused here, so nobody is misled.

    Runs in the caller's transaction; ``do_record_spoken_consent`` is the action."""
    require_case_worker(acting_user, report)
    chosen = sorted({Section(s) for s in sections})
    purpose = Purpose(purpose)
    if report.is_shredded:
        raise ActionRefused(N_("This report has been deleted."))
    if not note.strip():
        raise ActionRefused(N_("Write down how and when the reporter gave this consent."))
    if not chosen:
        raise ActionRefused(N_("Choose at least one section."))
    if recipient.org_kind is OrgKind.IMMIGRATION_AUTHORITY:
        raise ActionRefused(N_("Nothing is ever shared with an immigration authority."))
    if purpose is Purpose.IMMIGRATION_ENFORCEMENT:
        raise ActionRefused(N_("Nothing is ever shared for immigration enforcement."))
    if Section.IMMIGRATION in chosen and not permissions.immigration_section_may_go_to(
        recipient.org_kind, purpose
    ):
        raise ActionRefused(
            N_("The immigration section can only be shared with a legal adviser, for legal advice.")
        )
    consent = Consent.objects.create(
        report=report,
        recipient=recipient,
        purpose=purpose.value,
        sections=[s.value for s in chosen],
        given_by=Author.CASEWORKER,
        note=note.strip()[:500],
    )
    record_event(
        EventKind.CONSENT_GIVEN,
        actor=acting_user,
        report=report.public_id,
        consent=consent.pk,
        purpose=consent.purpose,
        by="caseworker",
    )
    _log_consent(EventKind.CONSENT_GIVEN, consent, acting_user, organisation_key)
    return consent


do_record_spoken_consent = outermost(record_spoken_consent)


def withdraw_consent_for_reporter(
    consent: Consent,
    *,
    organisation_key: UnlockedOrganisation | None = None,
    acting_user: StaffUser,
) -> Consent:
    """A caseworker records that the reporter withdrew a consent (by phone, in
    person). From now on it allows nothing (the firewall reads the flag).

    Runs in the caller's transaction; ``do_withdraw_consent_for_reporter`` is the action."""
    report = consent.report
    require_case_worker(acting_user, report)
    was_live = consent.withdrawn_at is None
    consent = withdraw_consent(consent, report=report)
    if was_live:
        _log_consent(EventKind.CONSENT_WITHDRAWN, consent, acting_user, organisation_key)
    return consent


do_withdraw_consent_for_reporter = outermost(withdraw_consent_for_reporter)


def disclose_with_consent(
    report: Report,
    *,
    recipient: Organisation,
    purpose: Purpose,
    sections: Iterable[Section],
    spoken_consent_note: str | None,
    organisation_key: UnlockedOrganisation | None,
    acting_user: StaffUser,
) -> Outcome:
    """Record the reporter's spoken consent (when ``spoken_consent_note`` has
    words) and disclose, in one transaction.

    If the firewall refuses, the refusal stays recorded (attempt and log
    entry) and the consent just recorded is withdrawn again through the
    ordinary withdrawal (its own event and log entry), so no consent is left
    behind for a disclosure that did not happen; ``Outcome.consent_not_kept``
    names it. An existing consent is never touched. Raises like
    ``do_record_spoken_consent`` and ``do_disclose_report`` (nothing written).

    Runs in the caller's transaction; ``do_disclose_with_consent`` is the action."""
    chosen = sorted({Section(s) for s in sections})
    consent = None
    if spoken_consent_note and spoken_consent_note.strip():
        consent = record_spoken_consent(
            report,
            recipient=recipient,
            purpose=purpose,
            sections=chosen,
            note=spoken_consent_note,
            organisation_key=organisation_key,
            acting_user=acting_user,
        )
    outcome = disclose_report(
        report,
        recipient=recipient,
        purpose=purpose,
        sections=chosen,
        organisation_key=organisation_key,
        acting_user=acting_user,
    )
    if consent is not None and not outcome.allowed:
        consent = withdraw_consent_for_reporter(
            consent, organisation_key=organisation_key, acting_user=acting_user
        )
        return Outcome(outcome.attempt, outcome.package, consent_not_kept=consent)
    return outcome


do_disclose_with_consent = outermost(disclose_with_consent)


# -- safeguarding overrides ---------------------------------------------------


def do_request_override(
    report: Report,
    *,
    recipient: Organisation,
    purpose: Purpose,
    sections: Iterable[Section],
    reason: str,
    acting_user: StaffUser,
) -> Override:
    """Ask a colleague to approve a safeguarding override (risk to life).

    Nothing is shared until a second member of staff approves; the firewall
    then decides (and refuses an override to the wrong kind of recipient or
    carrying the immigration section, whatever was asked here)."""
    require_case_worker(acting_user, report)
    if report.is_shredded:
        raise ActionRefused(N_("This report has been deleted."))
    if not reason.strip():
        raise ActionRefused(N_("Describe the risk to life: an override needs a written reason."))
    chosen = sorted({Section(s).value for s in sections})
    if not chosen:
        raise ActionRefused(N_("Choose at least one section."))
    with transaction.atomic(durable=True):
        override = Override.objects.create(
            report=report,
            recipient=recipient,
            purpose=Purpose(purpose).value,
            sections=chosen,
            reason=reason.strip(),
            requested_by=acting_user,
        )
        record_event(
            EventKind.OVERRIDE_REQUESTED,
            actor=acting_user,
            report=report.public_id,
            override=override.pk,
        )
        alert_each(
            override_approvers(override),
            StaffAlert.OVERRIDE_WAITING,
            once=f"override:{override.pk}",
        )
    return override


def override_approvers(override: Override) -> list[StaffUser]:
    """Whoever may approve ``override`` (``permissions.may_approve_override``)."""
    report = override.report
    return staff_of(
        report.custodian_id,
        lambda person: permissions.may_approve_override(person, report, override.requested_by_id),
    )


def do_approve_override(
    override: Override,
    *,
    organisation_key: UnlockedOrganisation | None,
    acting_user: StaffUser,
) -> Outcome:
    """The second member of staff approves: the firewall decides the
    disclosure the requester asked for, with this approval attached.

    Approving one's own override is put to the firewall like any other
    attempt, so it is refused and recorded; the override stays open for a
    real second approver."""
    report = override.report
    require_case_worker(acting_user, report)
    if report.is_shredded:
        raise ActionRefused(N_("This report has been deleted."))
    with transaction.atomic(durable=True):
        override = Override.objects.select_for_update().get(pk=override.pk)
        if override.status != Override.Status.PENDING:
            raise ActionRefused(N_("This override has already been decided."))
        override.approved_by = acting_user
        if override.purpose == Purpose.TRANSFER.value:
            # A transfer of custody moves the report instead of sealing a package.
            from safereport.disclosures.transfers import transfer_by_override

            outcome = transfer_by_override(
                override, organisation_key=organisation_key, acting_user=acting_user
            )
        else:
            ask = Ask(
                override.requested_by,
                override.recipient,
                Purpose(override.purpose),
                frozenset(Section(s) for s in override.sections),
                override,
            )
            outcome = _disclose(report, ask, organisation_key=organisation_key)
        if outcome.allowed:
            override.status = Override.Status.APPROVED
        elif acting_user.pk == override.requested_by_id:
            override.approved_by = None  # still waiting for a real second approver
        else:
            override.status = Override.Status.REFUSED
        if override.status != Override.Status.PENDING:
            override.decided_at = timezone.now()
        override.save(update_fields=["approved_by", "status", "decided_at"])
        record_event(
            EventKind.OVERRIDE_APPROVED if outcome.allowed else EventKind.OVERRIDE_REFUSED,
            actor=acting_user,
            report=report.public_id,
            override=override.pk,
            attempt=outcome.attempt.pk,
        )
    return outcome


def do_cancel_override(override: Override, *, acting_user: StaffUser) -> Override:
    require_case_worker(acting_user, override.report)
    with transaction.atomic(durable=True):
        override = Override.objects.select_for_update().get(pk=override.pk)
        if override.status == Override.Status.PENDING:
            override.status = Override.Status.CANCELLED
            override.decided_at = timezone.now()
            override.save(update_fields=["status", "decided_at"])
            record_event(
                EventKind.OVERRIDE_CANCELLED,
                actor=acting_user,
                report=override.report.public_id,
                override=override.pk,
            )
    return override


# -- requests from an immigration authority -------------------------------------


class FirewallBroken(RuntimeError):
    """The policy allowed what it must never allow: stop, share nothing."""


def do_record_immigration_request(
    *,
    authority: Organisation,
    what_was_asked: str,
    received_on: dt.date,
    report: Report | None = None,
    acting_user: StaffUser,
) -> ImmigrationAuthorityRequest:
    """Record a request for data from an immigration authority and refuse it.

    The refusal is the firewall's (a DisclosureAttempt for immigration
    enforcement to that authority, decided by the policy), recorded and
    appended to the public log, where it is counted."""
    organisation = acting_user.organisation
    if not permissions.is_case_worker(acting_user) or organisation is None:
        raise ActionRefused(N_("Only caseworkers and organisation admins can record a request."))
    if report is not None and report.custodian_id != organisation.pk:
        raise ActionRefused(N_("That report belongs to another organisation."))
    if authority.org_kind is not OrgKind.IMMIGRATION_AUTHORITY:
        raise ActionRefused(N_("Choose the immigration authority that sent the request."))
    asked = what_was_asked.strip()
    if not asked:
        raise ActionRefused(N_("Say in a few words what the request asked for."))
    if received_on > timezone.localdate():
        raise ActionRefused(N_("The date the request arrived cannot be in the future."))
    sections = frozenset(Section)
    request = policy.DisclosureRequest(
        actor=actor_of(acting_user),
        custodian_organisation_id=keys.org_id(organisation),
        recipient=policy.Recipient(keys.org_id(authority), OrgKind.IMMIGRATION_AUTHORITY),
        purpose=Purpose.IMMIGRATION_ENFORCEMENT,
        sections=sections,
        consents=consents_of(report),
        report_id=report.public_id if report is not None else "no-report",
    )
    decision = policy.decide(request)
    if decision.allowed:
        raise FirewallBroken("the firewall allowed a disclosure to an immigration authority")
    with transaction.atomic(durable=True):
        attempt = DisclosureAttempt.objects.create(
            report=report,
            custodian=organisation,
            actor=acting_user,
            recipient=authority,
            recipient_kind=authority.kind,
            purpose=Purpose.IMMIGRATION_ENFORCEMENT.value,
            sections=sorted(s.value for s in sections),
            allowed=False,
            rule_ids=list(decision.rule_ids),
            policy_hash=decision.policy_hash,
        )
        attempt.ledger_index = ledger.append(
            EventKind.IMMIGRATION_REQUEST_REFUSED,
            custodian=organisation,
            recipient_kind=OrgKind.IMMIGRATION_AUTHORITY,
            purpose=Purpose.IMMIGRATION_ENFORCEMENT,
            allowed=False,
            policy_hash=decision.policy_hash,
            rule_ids=decision.rule_ids,
        )
        attempt.save(update_fields=["ledger_index"])
        recorded = ImmigrationAuthorityRequest.objects.create(
            organisation=organisation,
            authority=authority,
            report=report,
            what_was_asked=asked[:500],
            received_on=received_on,
            recorded_by=acting_user,
            attempt=attempt,
        )
        record_event(
            EventKind.IMMIGRATION_REQUEST_REFUSED,
            actor=acting_user,
            request=recorded.pk,
            attempt=attempt.pk,
        )
    return recorded


# -- recipients -----------------------------------------------------------------


def do_record_package_opened(package: DisclosurePackage, *, acting_user: StaffUser) -> None:
    record_event(EventKind.PACKAGE_OPENED, actor=acting_user, package=package.package_id)


def do_record_package_refused(package_id: str, *, acting_user: StaffUser) -> None:
    """A recipient asked for a package (or a section) that is not theirs."""
    record_event(EventKind.PACKAGE_ACCESS_REFUSED, actor=acting_user, package=str(package_id)[:40])
