"""Every write of the police liaison.

``do_send_to_police`` is the caseworker's one action: (consent) → the
firewall's ``do_disclose_report`` → the handover, in one transaction. The
police force's liaison officers acknowledge, record the crime reference,
ask questions and post updates; the custodian's caseworkers answer.

Texts are sealed twice (see ``models``): only public keys are needed to
write, so no action here needs an unlocked key except the disclosure itself.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from safereport.accounts import permissions
from safereport.accounts.actions import ActionRefused, record_event
from safereport.accounts.models import Organisation, StaffUser
from safereport.accounts.notify import Notice, notify
from safereport.cases.actions import mark_in_progress, place_legal_hold, require_case_worker
from safereport.cases.models import Consent, LegalHold, Report
from safereport.core.crypto import UnlockedOrganisation, seal_message, seal_package_message
from safereport.core.events import EventKind
from safereport.core.vocabulary import OrgKind, Purpose, Section
from safereport.disclosures.actions import Outcome, disclose_with_consent
from safereport.disclosures.models import DisclosureAttempt, DisclosurePackage
from safereport.liaison.models import LiaisonMessage, PoliceHandover, Way

# Anonymous information carries only these sections: never identity or contact.
ANONYMOUS_SECTIONS = frozenset({Section.INCIDENT, Section.PERPETRATOR})
TEXT_MAX = 5000
CRIME_REFERENCE_MAX = 40
# Letters, digits and the separators forces use (/, -, . and spaces).
CRIME_REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/\-. ]*$")


@dataclass(frozen=True)
class SendOutcome:
    """What ``do_send_to_police`` did: the firewall's attempt and, if allowed, the handover."""

    attempt: DisclosureAttempt
    handover: PoliceHandover | None
    # The spoken consent recorded for this send and withdrawn after the refusal.
    consent_not_kept: Consent | None = None

    @property
    def allowed(self) -> bool:
        return self.handover is not None


def handover_path(handover: PoliceHandover) -> str:
    """The site path of a handover (for notifications: a number, nothing else)."""
    return reverse("staff:police_handover", kwargs={"handover_id": handover.pk})


def new_item_id() -> str:
    return uuid.uuid4().hex


def _report_item(item_id: str) -> str:
    """The message id a liaison text carries when sealed to the report (apart
    from the reporter's messages and the case notes)."""
    return f"liaison:{item_id}"


def _seal_twice(
    report: Report, package: DisclosurePackage, item_id: str, text: str
) -> tuple[bytes, bytes]:
    plain = text.encode("utf-8")
    return (
        seal_message(report.public_id, bytes(report.public_key), _report_item(item_id), plain),
        seal_package_message(package.package_id, bytes(package.public_key), item_id, plain),
    )


def _require_police_of(acting_user: StaffUser, handover: PoliceHandover) -> None:
    if not permissions.may_handle_handover(acting_user, handover):
        raise ActionRefused(
            N_("Only the liaison officers of the force it was sent to can do that.")
        )


def _live(report: Report) -> None:
    if report.is_shredded:
        raise ActionRefused(N_("This report has been deleted."))


def _clean_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise ActionRefused(N_("Write something first."))
    if len(cleaned) > TEXT_MAX:
        raise ActionRefused(N_("That is too long: keep it under 5000 characters."))
    return cleaned


def clean_crime_reference(reference: str) -> str:
    cleaned = " ".join(reference.split())
    if not cleaned:
        raise ActionRefused(N_("Type the crime reference number."))
    if len(cleaned) > CRIME_REFERENCE_MAX or not CRIME_REFERENCE_PATTERN.match(cleaned):
        raise ActionRefused(
            N_(
                "A crime reference has at most 40 letters, digits, spaces and the signs / - . "
                "(for example 01/123456/26)."
            )
        )
    return cleaned


# -- the caseworker sends -------------------------------------------------------


def do_send_to_police(
    report: Report,
    *,
    force: Organisation,
    way: Way | str,
    sections: Iterable[Section | str],
    consent_words: str = "",
    appointment_at: dt.datetime | None = None,
    appointment_place: str = "",
    protocol_limits_told: bool,
    organisation_key: UnlockedOrganisation | None,
    acting_user: StaffUser,
) -> SendOutcome:
    """Send a package to a police force in the way the reporter chose.

    ``consent_words``, when given, records the consent the reporter gave in
    those words (``do_record_spoken_consent``) before the firewall is asked;
    otherwise the reporter's existing consents decide. The firewall's refusal
    is recorded (by ``do_disclose_report``) and nothing else is created.

    ``protocol_limits_told`` is the caseworker's confirmation that they told
    the reporter what the police may still do with immigration information
    and what the Home Office protocol does not promise; nothing is sent
    without it, and it is recorded with the consents this send relies on.
    Raises ``ActionRefused`` for what is never allowed here (nothing written)."""
    require_case_worker(acting_user, report)
    _live(report)
    if not protocol_limits_told:
        raise ActionRefused(
            N_(
                "Tell the reporter what the police may still do with immigration information "
                "and what the Home Office protocol does not promise, then confirm that you did."
            )
        )
    way = Way(way)
    chosen = frozenset(Section(s) for s in sections)
    if force.org_kind is not OrgKind.POLICE_FORCE:
        raise ActionRefused(N_("Choose a police force."))
    if not chosen:
        raise ActionRefused(N_("Choose at least one section."))
    if way is Way.ANONYMOUS and not chosen <= ANONYMOUS_SECTIONS:
        raise ActionRefused(
            N_(
                "Anonymous information carries only what happened and the person who did it: "
                "never the reporter's identity, contact plan or anything else."
            )
        )
    place = appointment_place.strip()
    if way is Way.ACCOMPANIED:
        if appointment_at is None or not place:
            raise ActionRefused(N_("An accompanied appointment needs a date, a time and a place."))
        if len(place) > 500:
            raise ActionRefused(N_("Keep the place under 500 characters."))
    with transaction.atomic(durable=True):
        outcome: Outcome = disclose_with_consent(
            report,
            recipient=force,
            purpose=Purpose.CRIME_INVESTIGATION,
            sections=sorted(chosen),
            spoken_consent_note=consent_words,
            organisation_key=organisation_key,
            acting_user=acting_user,
        )
        if not outcome.allowed or outcome.package is None:
            record_protocol_limits_told(
                report, force, chosen, None, outcome.consent_not_kept, acting_user=acting_user
            )
            return SendOutcome(outcome.attempt, None, consent_not_kept=outcome.consent_not_kept)
        package = outcome.package
        handover = PoliceHandover(
            report=report, force=force, way=way.value, package=package, created_by=acting_user
        )
        if way is Way.ACCOMPANIED:
            handover.appointment_at = appointment_at
            handover.appointment_place_id = new_item_id()
            (
                handover.appointment_place_for_report,
                handover.appointment_place_for_package,
            ) = _seal_twice(report, package, handover.appointment_place_id, place)
        handover.save()
        record_protocol_limits_told(report, force, chosen, handover, None, acting_user=acting_user)
        record_event(
            EventKind.POLICE_HANDOVER_SENT,
            actor=acting_user,
            report=report.public_id,
            handover=handover.pk,
            package=package.package_id,
            way=way.value,
            force=force.slug,
        )
        mark_in_progress(report)
        place_legal_hold(report, LegalHold.POLICE, actor=acting_user)
        notify(force, Notice.NEW_POLICE_PACKAGE, handover_path(handover))
    return SendOutcome(outcome.attempt, handover)


def record_protocol_limits_told(
    report: Report,
    force: Organisation,
    sections: frozenset[Section],
    handover: PoliceHandover | None,
    not_kept: Consent | None,
    *,
    acting_user: StaffUser,
) -> None:
    """Record, with the consents a send to ``force`` relies on (the reporter's
    active consents to it for a crime investigation that cover any of
    ``sections``, and a spoken consent withdrawn after a refusal), that the
    caseworker told her the protocol's limits. Each consent keeps the first
    such confirmation; every confirmation is an audit event.

    A step of ``do_send_to_police``: runs in its transaction."""
    consents = [
        consent
        for consent in report.consents.filter(
            recipient=force, purpose=Purpose.CRIME_INVESTIGATION.value, withdrawn_at=None
        )
        if sections & {Section(s) for s in consent.sections}
    ]
    if not_kept is not None:
        consents.append(not_kept)
    now = timezone.now()
    for consent in consents:
        if consent.protocol_limits_told_at is None:
            consent.protocol_limits_told_at = now
            consent.protocol_limits_told_by = acting_user
            consent.save(update_fields=["protocol_limits_told_at", "protocol_limits_told_by"])
    record_event(
        EventKind.PROTOCOL_LIMITS_TOLD,
        actor=acting_user,
        report=report.public_id,
        consents=[consent.pk for consent in consents],
        handover=handover.pk if handover is not None else None,
        force=force.slug,
    )


# -- the police force ----------------------------------------------------------


def _set_crime_reference(handover: PoliceHandover, reference: str) -> None:
    item_id = new_item_id()
    handover.crime_reference_id = item_id
    (
        handover.crime_reference_for_report,
        handover.crime_reference_for_package,
    ) = _seal_twice(handover.report, handover.package, item_id, reference)
    handover.crime_reference_at = timezone.now()


def _locked(handover: PoliceHandover) -> PoliceHandover:
    return (
        PoliceHandover.objects.select_for_update(of=("self",))
        .select_related("report", "package", "force")
        .get(pk=handover.pk)
    )


def do_acknowledge_handover(
    handover: PoliceHandover, *, crime_reference: str = "", acting_user: StaffUser
) -> PoliceHandover:
    """The force says it received the package (once), optionally with the crime reference."""
    _require_police_of(acting_user, handover)
    reference = clean_crime_reference(crime_reference) if crime_reference.strip() else ""
    with transaction.atomic(durable=True):
        handover = _locked(handover)
        _live(handover.report)
        fields = []
        if handover.acknowledged_at is None:
            handover.acknowledged_at = timezone.now()
            handover.acknowledged_by = acting_user
            fields += ["acknowledged_at", "acknowledged_by"]
            record_event(
                EventKind.POLICE_HANDOVER_ACKNOWLEDGED, actor=acting_user, handover=handover.pk
            )
        if reference:
            _set_crime_reference(handover, reference)
            fields += [
                "crime_reference_id",
                "crime_reference_for_report",
                "crime_reference_for_package",
                "crime_reference_at",
            ]
            record_event(
                EventKind.POLICE_CRIME_REFERENCE_RECORDED, actor=acting_user, handover=handover.pk
            )
        if fields:
            handover.save(update_fields=fields)
    return handover


def do_record_crime_reference(
    handover: PoliceHandover, reference: str, *, acting_user: StaffUser
) -> PoliceHandover:
    """Record or change the crime reference (recording it also acknowledges)."""
    _require_police_of(acting_user, handover)
    return do_acknowledge_handover(
        handover, crime_reference=clean_crime_reference(reference), acting_user=acting_user
    )


def _new_message(
    handover: PoliceHandover,
    kind: str,
    text: str,
    *,
    acting_user: StaffUser,
    question: LiaisonMessage | None = None,
) -> LiaisonMessage:
    message_id = new_item_id()
    for_report, for_package = _seal_twice(handover.report, handover.package, message_id, text)
    return LiaisonMessage.objects.create(
        handover=handover,
        kind=kind,
        message_id=message_id,
        question=question,
        for_report=for_report,
        for_package=for_package,
        author=acting_user,
    )


def _post_police_message(
    handover: PoliceHandover,
    kind: LiaisonMessage.Kind,
    text: str,
    event: EventKind,
    *,
    acting_user: StaffUser,
    notice: Notice | None = None,
) -> LiaisonMessage:
    """A message from the force's liaison officer, sealed twice, audited, and
    (for a question) a notice to the custodian: one transaction."""
    _require_police_of(acting_user, handover)
    cleaned = _clean_text(text)
    with transaction.atomic(durable=True):
        handover = _locked(handover)
        _live(handover.report)
        message = _new_message(handover, kind, cleaned, acting_user=acting_user)
        record_event(event, actor=acting_user, handover=handover.pk, message=message.pk)
        if notice is not None:
            notify(handover.report.custodian, notice, handover_path(handover))
    return message


def do_ask_question(
    handover: PoliceHandover, text: str, *, acting_user: StaffUser
) -> LiaisonMessage:
    """A follow-up question from the police, for the caseworker (never shown to the reporter)."""
    return _post_police_message(
        handover,
        LiaisonMessage.Kind.QUESTION,
        text,
        EventKind.POLICE_QUESTION_ASKED,
        acting_user=acting_user,
        notice=Notice.POLICE_QUESTION,
    )


def do_post_update(
    handover: PoliceHandover, text: str, *, acting_user: StaffUser
) -> LiaisonMessage:
    """A progress update: the caseworker and the reporter (with the receipt) read it.
    Nobody is mailed (the reporter has no e-mail here)."""
    return _post_police_message(
        handover,
        LiaisonMessage.Kind.UPDATE,
        text,
        EventKind.POLICE_UPDATE_POSTED,
        acting_user=acting_user,
    )


# -- the caseworker answers ------------------------------------------------------


def do_answer_question(
    question: LiaisonMessage, text: str, *, acting_user: StaffUser
) -> LiaisonMessage:
    """The caseworker records the answer (after asking the reporter through the
    normal messages if needed); the police read it."""
    handover = question.handover
    require_case_worker(acting_user, handover.report)
    if question.kind != LiaisonMessage.Kind.QUESTION:
        raise ActionRefused(N_("Only a question from the police can be answered."))
    cleaned = _clean_text(text)
    with transaction.atomic(durable=True):
        handover = _locked(handover)
        _live(handover.report)
        answer = _new_message(
            handover,
            LiaisonMessage.Kind.ANSWER,
            cleaned,
            acting_user=acting_user,
            question=question,
        )
        record_event(
            EventKind.POLICE_QUESTION_ANSWERED,
            actor=acting_user,
            report=handover.report.public_id,
            handover=handover.pk,
            message=answer.pk,
        )
        notify(handover.force, Notice.POLICE_ANSWER, handover_path(handover))
    return answer


def do_record_police_access_refused(what: str, *, acting_user: StaffUser) -> None:
    """Someone asked for a handover (or its summary) that is not theirs."""
    record_event(EventKind.POLICE_ACCESS_REFUSED, actor=acting_user, handover=str(what)[:40])
