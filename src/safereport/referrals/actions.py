"""Every write of referrals and the service directory.

``do_send_referral`` is a disclosure first: the reporter's consent (an
existing one, or one the caseworker records now) and then
``do_disclose_report`` with the purpose the referral kind implies. Only if
the firewall allowed it is a referral made; a refusal is recorded by the
firewall (attempt and log entry) and no referral exists. Lifecycle changes
go through the core's ``transition`` and ``side_of``. Notification e-mails
carry a fixed sentence and a link, sent after commit (accounts.notify).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import nacl.utils
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from safereport.accounts import permissions
from safereport.accounts.actions import ActionRefused, record_event
from safereport.accounts.models import Organisation, OrganisationKey, StaffUser
from safereport.accounts.notify import Notice, StaffAlert, alert_each, notify
from safereport.accounts.selectors import staff_of
from safereport.cases.actions import mark_in_progress, place_legal_hold, require_case_worker
from safereport.cases.models import LegalHold, Report
from safereport.core.crypto import UnlockedOrganisation, seal_message, seal_package_message
from safereport.core.events import EventKind
from safereport.core.referrals import (
    EVENT_FOR_ACTION,
    INITIAL_STATE,
    REFERRAL_PURPOSE,
    LegalRoute,
    ReferralAction,
    ReferralError,
    ReferralKind,
    SameOrganisation,
    check_can_track_routes,
    plan_deadline,
    transition,
)
from safereport.core.vocabulary import Section
from safereport.disclosures.actions import Outcome, disclose_with_consent
from safereport.disclosures.models import DisclosureAttempt
from safereport.referrals.models import SEND, LegalTask, Referral, ReferralEvent, SealedText
from safereport.referrals.selectors import (
    TaskDetails,
    kinds_for,
    kinds_of,
    report_message_id,
)

NOTE_MAX_LENGTH = 2000
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
NOTIFY_ON = frozenset({ReferralAction.ACCEPT, ReferralAction.DECLINE, ReferralAction.CLOSE})


def _path(referral: Referral) -> str:
    return reverse("staff:referral", kwargs={"referral_id": referral.pk})


def _new_note_id() -> str:
    return nacl.utils.random(16).hex()


def _seal_plain(item: SealedText, referral: Referral, plain: bytes) -> None:
    """Seal ``plain`` twice: to the report (sender) and to the referral's
    disclosure package (service, which opens it with the package key)."""
    note_id = _new_note_id()
    message_id = report_message_id(note_id)
    report = referral.report
    package = referral.package
    item.note_id = note_id
    item.for_report = seal_message(report.public_id, bytes(report.public_key), message_id, plain)
    item.for_service = seal_package_message(
        package.package_id, bytes(package.public_key), message_id, plain
    )


def _seal_text(item: SealedText, referral: Referral, text: str) -> None:
    """Seal a reason for both readers; nothing is stored for an empty text."""
    text = text.strip()
    if text:
        _seal_plain(item, referral, text.encode("utf-8"))


# -- the directory --------------------------------------------------------------


# The public site's languages: a description can be written in each.
PUBLIC_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class EntryChange:
    description: str
    referral_kinds: Sequence[str]
    languages: Sequence[str]
    areas: Sequence[str]
    specialisms: Sequence[str]
    contact_email: str
    description_translations: Mapping[str, str] = field(default_factory=dict)


def do_change_directory_entry(
    organisation: Organisation, change: EntryChange, *, acting_user: StaffUser
) -> Organisation:
    """An organisation admin edits their own organisation's directory entry."""
    if not permissions.may_administer(acting_user, organisation):
        raise ActionRefused(N_("Only an admin of this organisation can change its entry."))
    allowed = {k.value for k in kinds_for(organisation.org_kind)}
    wrong = [k for k in change.referral_kinds if k not in allowed]
    if wrong:
        raise ActionRefused(N_("Your organisation cannot take that kind of referral."))
    bad = [code for code in change.languages if not LANGUAGE_CODE.match(code)]
    if bad:
        raise ActionRefused(N_("Write languages as codes, for example en, es, pl."))
    with transaction.atomic(durable=True):
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = {
            "description": organisation.description,
            "referral_kinds": organisation.referral_kinds,
            "languages": organisation.languages,
            "areas": organisation.areas,
            "specialisms": organisation.specialisms,
            "contact_email": organisation.contact_email,
            "description_translations": organisation.description_translations,
        }
        organisation.description = change.description.strip()
        organisation.description_translations = {
            code: text.strip()
            for code, text in change.description_translations.items()
            if code in PUBLIC_LANGUAGES and code != settings.LANGUAGE_CODE and text.strip()
        }
        organisation.referral_kinds = [k for k in allowed if k in set(change.referral_kinds)]
        organisation.referral_kinds.sort(key=[k.value for k in ReferralKind].index)
        organisation.languages = list(dict.fromkeys(change.languages))
        organisation.areas = list(dict.fromkeys(change.areas))
        organisation.specialisms = list(dict.fromkeys(change.specialisms))
        organisation.contact_email = change.contact_email.strip()
        after = {key: getattr(organisation, key) for key in before}
        changed = sorted(key for key in before if before[key] != after[key])
        if changed:
            organisation.save(update_fields=changed)
            record_event(
                EventKind.DIRECTORY_ENTRY_CHANGED,
                actor=acting_user,
                organisation=organisation,
                fields=changed,
            )
    return organisation


# -- sending --------------------------------------------------------------------


@dataclass(frozen=True)
class SendOutcome:
    """What sending did: the firewall's outcome and, if allowed, the referral."""

    outcome: Outcome
    referral: Referral | None

    @property
    def allowed(self) -> bool:
        return self.referral is not None

    @property
    def attempt(self) -> DisclosureAttempt:
        return self.outcome.attempt

    @property
    def consent_not_kept(self) -> bool:
        """A spoken consent was recorded for this send and withdrawn after the refusal."""
        return self.outcome.consent_not_kept is not None


def _require_service_key(service: Organisation) -> None:
    if not OrganisationKey.objects.filter(organisation=service).exists():
        raise ActionRefused(
            N_(
                "This service cannot receive referrals yet: it has no encryption key "
                "(nobody there has an account). Nothing was shared."
            )
        )


def do_send_referral(
    report: Report,
    *,
    kind: ReferralKind,
    service: Organisation,
    sections: Iterable[Section],
    consent_note: str = "",
    organisation_key: UnlockedOrganisation | None,
    acting_user: StaffUser,
) -> SendOutcome:
    """Refer ``report`` to ``service``: consent (if ``consent_note`` is given,
    the reporter's spoken consent is recorded now), then the firewall's
    disclosure; a referral is made only if the firewall allowed it.

    Raises ``ActionRefused`` (nothing written) for a sender who is not the
    custodian's caseworker, a service that does not take this kind, locked
    keys or a consent that cannot be recorded."""
    kind = ReferralKind(kind)
    require_case_worker(acting_user, report)
    if service.pk == report.custodian_id:
        raise ActionRefused(SameOrganisation.message)
    if kind not in kinds_of(service):
        raise ActionRefused(N_("This service does not take this kind of referral."))
    chosen = sorted({Section(s) for s in sections})
    if not chosen:
        raise ActionRefused(N_("Choose at least one section to share."))
    _require_service_key(service)
    purpose = REFERRAL_PURPOSE[kind]
    with transaction.atomic(durable=True):
        outcome = disclose_with_consent(
            report,
            recipient=service,
            purpose=purpose,
            sections=chosen,
            spoken_consent_note=consent_note,
            organisation_key=organisation_key,
            acting_user=acting_user,
        )
        if not outcome.allowed or outcome.package is None:
            return SendOutcome(outcome, None)
        referral = Referral(
            report=report,
            sender_id=report.custodian_id,
            service=service,
            kind=kind.value,
            state=INITIAL_STATE.value,
            package=outcome.package,
            created_by=acting_user,
        )
        referral.save()
        ReferralEvent.objects.create(
            referral=referral,
            action=SEND,
            state_after=referral.state,
            actor=acting_user,
            actor_organisation_id=acting_user.organisation_id,
        )
        record_event(
            EventKind.REFERRAL_SENT,
            actor=acting_user,
            report=report.public_id,
            referral=referral.pk,
            referral_kind=kind.value,
            service=service.slug,
            attempt=outcome.attempt.pk,
        )
        mark_in_progress(report)
        notify(service, Notice.NEW_REFERRAL, _path(referral))
    return SendOutcome(outcome, referral)


# -- the lifecycle ----------------------------------------------------------------


class ReferralRefused(ActionRefused):
    """A lifecycle change the core refused; ``error`` has the plain message."""

    def __init__(self, error: ReferralError) -> None:
        super().__init__(str(error))
        self.error = error

    def translated(self) -> str:
        """The message in the active language, with its placeholders filled."""
        text = gettext(self.error.message)
        return text % dict(self.error.params) if self.error.params else text


def do_referral_action(
    referral: Referral,
    action: ReferralAction,
    *,
    reason: str = "",
    acting_user: StaffUser,
) -> Referral:
    """Take ``action`` on ``referral`` as ``acting_user``'s side.

    Raises ``ReferralRefused`` with the core's plain message (wrong side,
    wrong state, missing or long reason); nothing is changed then."""
    action = ReferralAction(action)
    with transaction.atomic(durable=True):
        referral = (
            Referral.objects.select_for_update()
            .select_related("report", "sender", "service")
            .get(pk=referral.pk)
        )
        try:
            side = permissions.referral_side(acting_user, referral)
            new_state = transition(referral.referral_state, action, side, reason=reason)
        except ReferralError as error:
            raise ReferralRefused(error) from None
        referral.state = new_state.value
        referral.save(update_fields=["state", "updated_at"])
        event = ReferralEvent(
            referral=referral,
            action=action.value,
            state_after=new_state.value,
            actor=acting_user,
            actor_organisation_id=acting_user.organisation_id,
        )
        _seal_text(event, referral, reason)
        event.save()
        record_event(
            EVENT_FOR_ACTION[action],
            actor=acting_user,
            referral=referral.pk,
            state=new_state.value,
            with_reason=bool(event.note_id),
        )
        if action in NOTIFY_ON:
            notify(referral.sender, Notice.REFERRAL_UPDATED, _path(referral))
    return referral


# -- legal routes -----------------------------------------------------------------


def _check_tracking(referral: Referral, acting_user: StaffUser) -> None:
    side = permissions.referral_side(acting_user, referral)
    try:
        check_can_track_routes(referral.referral_kind, referral.referral_state, side)
    except ReferralError as error:
        raise ReferralRefused(error) from None


def do_open_legal_task(
    referral: Referral,
    *,
    route: LegalRoute,
    anchor_on: dt.date,
    note: str = "",
    acting_user: StaffUser,
    today: dt.date | None = None,
) -> LegalTask:
    """The legal adviser records a route it pursues; the deadline is planned
    by the core. A reminder only: nothing is sent to anyone."""
    route = LegalRoute(route)
    if len(note) > NOTE_MAX_LENGTH:
        raise ActionRefused(N_("Keep the note under 2000 characters."))
    with transaction.atomic(durable=True):
        referral = (
            Referral.objects.select_for_update()
            .select_related("report", "sender", "service")
            .get(pk=referral.pk)
        )
        _check_tracking(referral, acting_user)
        try:
            plan = plan_deadline(route, anchor_on, today=today or timezone.localdate())
        except ReferralError as error:
            raise ReferralRefused(error) from None
        task = LegalTask(
            referral=referral,
            created_by=acting_user,
            remind_week_on=plan.due_on - REMIND_WEEK,
            remind_day_on=plan.due_on - REMIND_DAY,
        )
        details = TaskDetails(
            route=route,
            anchor_on=anchor_on,
            due_on=plan.due_on,
            hard_limit=plan.hard_limit,
            note=note.strip(),
        )
        _seal_plain(task, referral, details.to_json())
        task.save()
        record_event(
            EventKind.LEGAL_TASK_OPENED,
            actor=acting_user,
            referral=referral.pk,
            task=task.pk,
        )
        place_legal_hold(referral.report, LegalHold.LEGAL, actor=acting_user)
    return task


def do_mark_legal_task_done(task: LegalTask, *, acting_user: StaffUser) -> LegalTask:
    with transaction.atomic(durable=True):
        task = (
            LegalTask.objects.select_for_update()
            .select_related("referral__report", "referral__sender", "referral__service")
            .get(pk=task.pk)
        )
        _check_tracking(task.referral, acting_user)
        if task.done_at is None:
            task.done_at = timezone.now()
            task.done_by = acting_user
            task.remind_week_on = task.remind_day_on = None  # nothing more to remind
            task.save(update_fields=["done_at", "done_by", "remind_week_on", "remind_day_on"])
            record_event(
                EventKind.LEGAL_TASK_DONE,
                actor=acting_user,
                referral=task.referral_id,
                task=task.pk,
            )
    return task


# -- deadline reminders (referrals.tasks.remind_legal_deadlines) -------------------

REMIND_WEEK = dt.timedelta(days=7)
REMIND_DAY = dt.timedelta(days=1)


def tasks_due_for_reminder(today: dt.date) -> list[LegalTask]:
    """Open legal tasks whose 7-day or 1-day reminder date has come and not been sent."""
    return list(
        LegalTask.objects.filter(done_at=None).filter(
            Q(remind_week_on__lte=today, reminded_week_at=None)
            | Q(remind_day_on__lte=today, reminded_day_at=None)
        )
    )


def advisers_for(task: LegalTask) -> list[StaffUser]:
    """The adviser who opened the task, while she still acts on the referral;
    else the receiving service's staff who do."""
    referral = task.referral
    author = task.created_by
    if author is not None and permissions.may_act_on_referral(author, referral):
        return [author]
    return staff_of(
        referral.service_id, lambda person: permissions.may_act_on_referral(person, referral)
    )


@transaction.atomic(durable=True)
def do_remind_legal_deadline(task: LegalTask, *, today: dt.date) -> StaffAlert | None:
    """Send the reminder due for ``task`` (the 1-day one when both have come: a
    week's notice a day before would only confuse), once each."""
    task = (
        LegalTask.objects.select_for_update(of=("self",))
        .select_related("referral", "created_by__organisation")
        .get(pk=task.pk)
    )
    if task.done_at is not None:
        return None
    now = timezone.now()
    day_due = task.remind_day_on is not None and task.remind_day_on <= today
    week_due = task.remind_week_on is not None and task.remind_week_on <= today
    if day_due and task.reminded_day_at is None:
        alert, which = StaffAlert.LEGAL_DEADLINE_DAY, "day"
        task.reminded_day_at = now
        task.reminded_week_at = task.reminded_week_at or now
    elif week_due and task.reminded_week_at is None:
        alert, which = StaffAlert.LEGAL_DEADLINE_WEEK, "week"
        task.reminded_week_at = now
    else:
        return None
    task.save(update_fields=["reminded_week_at", "reminded_day_at"])
    queued = alert_each(advisers_for(task), alert, once=f"deadline:{task.pk}:{which}")
    record_event(
        EventKind.LEGAL_DEADLINE_REMINDED,
        organisation=task.referral.service,
        referral=task.referral_id,
        task=task.pk,
        ahead=which,
        mailed=queued,
    )
    return alert


__all__ = [
    "EntryChange",
    "ReferralRefused",
    "SendOutcome",
    "do_change_directory_entry",
    "do_mark_legal_task_done",
    "do_open_legal_task",
    "do_referral_action",
    "do_send_referral",
]
