"""Authorised reads for disclosures: they return what the actor may see, or raise.

A recipient (police liaison, service staff) reaches report data only
through packages addressed to their own organisation; every other package,
section or report is refused exactly like one that does not exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext_noop as N_

from safereport.accounts import keys, permissions
from safereport.accounts.access import first_or_404
from safereport.accounts.actions import ActionRefused
from safereport.accounts.models import Organisation, StaffUser
from safereport.accounts.selectors import organisations_with_readers
from safereport.cases.actions import keyring_of
from safereport.cases.models import Consent, Report
from safereport.core import policy
from safereport.core.crypto import CryptoError, UnlockedOrganisation, UnlockedReport
from safereport.core.crypto import DisclosurePackage as SealedPackage
from safereport.core.vocabulary import OrgKind, Purpose, Section
from safereport.disclosures.models import (
    DisclosureAttempt,
    DisclosurePackage,
    ImmigrationAuthorityRequest,
    Override,
    Transfer,
)


def report_for_disclosure(actor: StaffUser, public_id: str) -> Report:
    """The report a disclosure is asked for, to be put to the firewall.

    Unlike ``cases.selectors.access_report`` this returns another
    organisation's report too: the firewall must see the attempt to refuse
    and record it (inv4-custodian-only). Nothing of the report is shown; the
    caller only passes it to ``do_disclose_report``."""
    return first_or_404(
        Report.objects.filter(public_id=public_id).select_related("custodian"),
        "report",
        allowed=permissions.is_staff(actor),
    )


def access_own_report(actor: StaffUser, public_id: str) -> Report:
    """A report of the actor's own organisation, for its caseworkers, or 404."""
    return first_or_404(
        Report.objects.filter(
            public_id=public_id, custodian_id=actor.organisation_id
        ).select_related("custodian"),
        "report",
        allowed=permissions.is_case_worker(actor),
    )


def attempts_for(report: Report) -> QuerySet[DisclosureAttempt]:
    return report.disclosure_attempts.select_related("actor", "recipient", "override")


def access_attempt(actor: StaffUser, attempt_id: int) -> DisclosureAttempt:
    """An attempt on data of the actor's own organisation, for its caseworkers, or 404."""
    return first_or_404(
        DisclosureAttempt.objects.filter(
            pk=attempt_id, custodian_id=actor.organisation_id
        ).select_related("report", "recipient", "actor", "override"),
        "attempt",
        allowed=permissions.is_case_worker(actor),
    )


def consents_for(report: Report) -> QuerySet[Consent]:
    return report.consents.select_related("recipient")


def access_consent(actor: StaffUser, report: Report, consent_id: int) -> Consent:
    return first_or_404(
        report.consents.filter(pk=consent_id).select_related("recipient", "report"),
        "consent",
        allowed=permissions.may_read_case(actor, report),
    )


def overrides_for(report: Report) -> QuerySet[Override]:
    return report.overrides.select_related("recipient", "requested_by", "approved_by")


def pending_overrides_for(actor: StaffUser) -> QuerySet[Override]:
    """Overrides waiting for a second approver in the actor's organisation."""
    if not permissions.is_case_worker(actor):
        return Override.objects.none()
    return Override.objects.filter(
        report__custodian_id=actor.organisation_id, status=Override.Status.PENDING
    ).select_related("report", "recipient", "requested_by")


def access_override(actor: StaffUser, override_id: int) -> Override:
    return first_or_404(
        Override.objects.filter(
            pk=override_id, report__custodian_id=actor.organisation_id
        ).select_related("report", "report__custodian", "recipient", "requested_by", "approved_by"),
        "override",
        allowed=permissions.is_case_worker(actor),
    )


def recipients_for_sharing() -> QuerySet[Organisation]:
    """Organisations a caseworker may be offered: never an immigration authority."""
    return Organisation.objects.exclude(kind=OrgKind.IMMIGRATION_AUTHORITY.value).exclude(
        kind__in=[OrgKind.SUPPORT_ORG.value, OrgKind.OVERSIGHT.value]
    )


def immigration_authorities() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrgKind.IMMIGRATION_AUTHORITY.value)


def immigration_requests_for(actor: StaffUser) -> QuerySet[ImmigrationAuthorityRequest]:
    if not permissions.is_case_worker(actor):
        return ImmigrationAuthorityRequest.objects.none()
    return ImmigrationAuthorityRequest.objects.filter(
        organisation_id=actor.organisation_id
    ).select_related("authority", "recorded_by", "attempt")


def access_immigration_request(actor: StaffUser, request_id: int) -> ImmigrationAuthorityRequest:
    return first_or_404(immigration_requests_for(actor).filter(pk=request_id), "request")


# -- the firewall's view of a disclosure ------------------------------------------


def refusal_reasons(attempt: DisclosureAttempt) -> list[str]:
    """The plain-words reasons (untranslated; pass each through gettext)."""
    if attempt.allowed:
        return []
    return [policy.explain(rule_id) for rule_id in attempt.rule_ids]


def actor_of(user: StaffUser) -> policy.Actor:
    organisation = user.organisation
    return policy.Actor(
        staff_id=keys.staff_id(user),
        organisation_id=keys.org_id(organisation) if organisation else "org:none",
        role=user.staff_role,
    )


def consents_of(report: Report | None, *, lock: bool = False) -> tuple[policy.Consent, ...]:
    """The report's consents as the firewall sees them. With ``lock`` (inside
    a transaction) the rows are locked, so a withdrawal running at the same
    moment either comes first and refuses this disclosure, or waits for it."""
    if report is None:
        return ()
    rows = Consent.objects.filter(report=report).select_related("recipient").order_by("pk")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return tuple(
        policy.Consent(
            recipient_organisation_id=keys.org_id(consent.recipient),
            purpose=Purpose(consent.purpose),
            sections=frozenset(Section(s) for s in consent.sections),
            withdrawn=consent.withdrawn_at is not None,
        )
        for consent in rows
    )


def override_of(override: Override | None) -> policy.Override | None:
    if override is None:
        return None
    approver = override.approved_by
    if approver is None:
        raise ActionRefused(N_("This safeguarding override has not been approved yet."))
    return policy.Override(
        reason=override.reason,
        approver_staff_id=keys.staff_id(approver),
        approver_organisation_id=(
            keys.org_id(approver.organisation) if approver.organisation else "org:none"
        ),
    )


@dataclass(frozen=True)
class Ask:
    """One disclosure put to the firewall: who asks, to whom, why, what, and
    under which override (if any)."""

    actor: StaffUser
    recipient: Organisation
    purpose: Purpose
    sections: frozenset[Section]
    override: Override | None = None


def build_request(report: Report, ask: Ask, *, lock: bool = False) -> policy.DisclosureRequest:
    """The firewall's view of one disclosure, built only from stored facts."""
    return policy.DisclosureRequest(
        actor=actor_of(ask.actor),
        custodian_organisation_id=keys.org_id(report.custodian),
        recipient=policy.Recipient(keys.org_id(ask.recipient), ask.recipient.org_kind),
        purpose=Purpose(ask.purpose),
        sections=frozenset(Section(s) for s in ask.sections),
        consents=consents_of(report, lock=lock),
        override=override_of(ask.override),
        report_id=report.public_id,
    )


def open_report(
    report: Report, actor: StaffUser, organisation_key: UnlockedOrganisation | None
) -> UnlockedReport | None:
    """The report opened with the actor's organisation key, or None when the
    actor is not of the custodian, holds no unlocked key, or it does not open."""
    if organisation_key is None or actor.organisation_id != report.custodian_id:
        return None
    if report.is_shredded:
        return None
    try:
        return keys.vault().open_report_as_custodian(keyring_of(report), organisation_key)
    except CryptoError:
        return None


# -- recipients ---------------------------------------------------------------


def packages_for(actor: StaffUser) -> QuerySet[DisclosurePackage]:
    """Packages addressed to the actor's own organisation, newest first; nothing else."""
    if not permissions.may_receive_packages(actor):
        return DisclosurePackage.objects.none()
    return DisclosurePackage.objects.filter(recipient_id=actor.organisation_id).select_related(
        "report__custodian", "recipient"
    )


def access_package(actor: StaffUser, package_id: str) -> DisclosurePackage:
    """A package addressed to the actor's organisation, or 404 (another
    organisation's package is refused exactly like one that does not exist)."""
    return first_or_404(packages_for(actor).filter(package_id=package_id), "package")


@dataclass
class OpenedPackage:
    package: DisclosurePackage
    # Section value -> the items it holds (answers, or attachments' media type and data).
    sections: dict[str, list[dict[str, object]]] = field(default_factory=dict)


def sealed_package(package: DisclosurePackage) -> SealedPackage:
    """A stored package as the vault opens it."""
    return SealedPackage(
        package_id=package.package_id,
        report_id=package.report.public_id,
        recipient_org_id=keys.org_id(package.recipient),
        public_key=bytes(package.public_key),
        recipient_wrap=None if package.recipient_wrap is None else bytes(package.recipient_wrap),
        sections={
            Section(row.section): bytes(row.ciphertext) for row in package.sealed_sections.all()
        },
    )


def open_package(package: DisclosurePackage, organisation: UnlockedOrganisation) -> OpenedPackage:
    """Decrypt a package with the recipient organisation's unlocked key."""
    sealed = sealed_package(package)
    unlocked = keys.vault().open_disclosure_package(sealed, organisation)
    opened = OpenedPackage(package)
    for section in sorted(sealed.sections):
        document = json.loads(unlocked.open_section(section))
        opened.sections[section.value] = list(document["items"])
    return opened


# -- transfer of custody (issue 13, item 3) -------------------------------------


def transfers_for(report: Report) -> QuerySet[Transfer]:
    return report.transfers.select_related("to_org", "from_org", "proposed_by", "attempt")


def access_transfer(actor: StaffUser, transfer_id: int) -> Transfer:
    """A transfer proposed by the actor's organisation, for its caseworkers, or
    404. It stays readable after the report has moved away: the sender keeps
    the record (never the content)."""
    return first_or_404(
        Transfer.objects.filter(pk=transfer_id, from_org_id=actor.organisation_id).select_related(
            "report", "report__custodian", "to_org", "from_org", "proposed_by", "attempt"
        ),
        "transfer",
        allowed=permissions.is_case_worker(actor),
    )


def transfer_recipients(report: Report) -> QuerySet[Organisation]:
    """The organisations a transfer of ``report`` may be offered to: of a kind
    the policy lets a transfer reach, someone there can read it, not the
    custodian itself. (The action checks again whatever a request names.)"""
    kinds = [k.value for k in permissions.transfer_recipient_kinds()]
    return (
        organisations_with_readers()
        .filter(kind__in=kinds)
        .exclude(pk=report.custodian_id)
        .order_by("name")
    )
