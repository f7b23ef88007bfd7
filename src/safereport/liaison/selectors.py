"""Authorised reads of the police liaison: they return what the actor may see, or raise.

A police force's liaison officers reach only handovers addressed to their
force; the custodian's caseworkers reach their own reports' handovers.
Anything else is refused exactly like something that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from safereport.accounts import keys, permissions
from safereport.accounts.access import first_or_404
from safereport.accounts.models import Organisation, StaffUser
from safereport.cases.models import Consent, Report
from safereport.core.crypto import UnlockedOrganisation, UnlockedPackage, UnlockedReport
from safereport.core.vocabulary import OrgKind, Purpose
from safereport.disclosures.models import DisclosurePackage
from safereport.disclosures.selectors import OpenedPackage, open_package, sealed_package
from safereport.liaison.models import LiaisonMessage, PoliceHandover


def police_forces() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrgKind.POLICE_FORCE.value)


def handovers_for_force(actor: StaffUser) -> QuerySet[PoliceHandover]:
    """The handovers addressed to the actor's own force; nothing for anyone else."""
    if not permissions.is_police_liaison(actor):
        return PoliceHandover.objects.none()
    return PoliceHandover.objects.filter(force_id=actor.organisation_id).select_related(
        "report__custodian", "package", "force"
    )


def other_packages_for_force(actor: StaffUser) -> QuerySet[DisclosurePackage]:
    """Packages addressed to the force that are not a handover (shared through
    the firewall's share page, or a safeguarding override)."""
    if not permissions.is_police_liaison(actor):
        return DisclosurePackage.objects.none()
    return DisclosurePackage.objects.filter(
        recipient_id=actor.organisation_id, handover__isnull=True
    ).select_related("report__custodian")


def access_handover_as_police(actor: StaffUser, handover_id: int) -> PoliceHandover:
    return first_or_404(handovers_for_force(actor).filter(pk=handover_id), "handover")


def access_handover_as_custodian(actor: StaffUser, handover_id: int) -> PoliceHandover:
    return first_or_404(
        PoliceHandover.objects.filter(
            pk=handover_id, report__custodian_id=actor.organisation_id
        ).select_related("report__custodian", "package", "force"),
        "handover",
        allowed=permissions.is_case_worker(actor),
    )


def access_question_as_custodian(
    actor: StaffUser, handover_id: int, question_id: int
) -> LiaisonMessage:
    handover = access_handover_as_custodian(actor, handover_id)
    return first_or_404(
        handover.messages.filter(pk=question_id, kind=LiaisonMessage.Kind.QUESTION).select_related(
            "handover__report", "handover__package", "handover__force"
        ),
        "question",
    )


def handovers_of_report(report: Report) -> QuerySet[PoliceHandover]:
    return report.police_handovers.select_related("force", "package", "acknowledged_by").order_by(
        "created_at", "id"
    )


def police_consents_of(report: Report) -> list[Consent]:
    """The reporter's active consents to police forces for a crime investigation."""
    return list(
        report.consents.filter(
            withdrawn_at=None,
            purpose=Purpose.CRIME_INVESTIGATION.value,
            recipient__kind=OrgKind.POLICE_FORCE.value,
        ).select_related("recipient")
    )


# -- opened texts ----------------------------------------------------------------


@dataclass
class OpenedText:
    pk: int
    kind: str
    body: str
    at: dt.datetime
    author: StaffUser | None
    question_id: int | None = None


@dataclass
class OpenedHandover:
    handover: PoliceHandover
    crime_reference: str = ""
    appointment_place: str = ""
    questions: list[OpenedText] = field(default_factory=list)
    answers: dict[int, list[OpenedText]] = field(default_factory=dict)
    updates: list[OpenedText] = field(default_factory=list)
    package: OpenedPackage | None = None

    @property
    def open_questions(self) -> list[OpenedText]:
        return [q for q in self.questions if q.pk not in self.answers]

    @property
    def question_threads(self) -> list[tuple[OpenedText, list[OpenedText]]]:
        return [(q, self.answers.get(q.pk, [])) for q in self.questions]


# Opens one text: (item id, ciphertext sealed to the report, to the package) -> text.
Opener = Callable[[str, Any, Any], str]


def _fill(opened: OpenedHandover, opener: Opener) -> OpenedHandover:
    """Open every text of a handover with ``opener``."""
    handover = opened.handover
    if handover.crime_reference_id:
        opened.crime_reference = opener(
            handover.crime_reference_id,
            handover.crime_reference_for_report,
            handover.crime_reference_for_package,
        )
    if handover.appointment_place_id:
        opened.appointment_place = opener(
            handover.appointment_place_id,
            handover.appointment_place_for_report,
            handover.appointment_place_for_package,
        )
    for message in handover.messages.select_related("author"):
        text = OpenedText(
            pk=message.pk,
            kind=message.kind,
            body=opener(message.message_id, message.for_report, message.for_package),
            at=message.at,
            author=message.author,
            question_id=message.question_id,
        )
        if message.kind == LiaisonMessage.Kind.QUESTION:
            opened.questions.append(text)
        elif message.kind == LiaisonMessage.Kind.ANSWER and message.question_id:
            opened.answers.setdefault(message.question_id, []).append(text)
        elif message.kind == LiaisonMessage.Kind.UPDATE:
            opened.updates.append(text)
    return opened


def open_with_report(handover: PoliceHandover, unlocked: UnlockedReport) -> OpenedHandover:
    """Every text of a handover, opened with the report's key (caseworker, reporter)."""

    def opener(item_id: str, for_report: Any, for_package: Any) -> str:
        return unlocked.open_message(f"liaison:{item_id}", bytes(for_report)).decode("utf-8")

    return _fill(OpenedHandover(handover), opener)


def open_with_package(
    handover: PoliceHandover, organisation: UnlockedOrganisation
) -> OpenedHandover:
    """The package and every text of a handover, opened with the force's
    organisation key (through the package key). Raises ``CryptoError``."""
    unlocked: UnlockedPackage = keys.vault().open_disclosure_package(
        sealed_package(handover.package), organisation
    )

    def opener(item_id: str, for_report: Any, for_package: Any) -> str:
        return unlocked.open_message(item_id, bytes(for_package)).decode("utf-8")

    opened = _fill(OpenedHandover(handover), opener)
    opened.package = open_package(handover.package, organisation)
    return opened
