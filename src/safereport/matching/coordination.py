"""Coordinated support on a match (issue 16, item 3; docs/matching.md).

When two reports name the same person or business, each has a ``MatchSide``.
Each reporter is asked on her return page whether her caseworker may work
with the organisation that holds the other report (``do_answer_match``).
Only when both said yes may a caseworker of either report tell the other
organisation that it holds one of the two reports, and its reference
(``do_share_reference``): a disclosure the firewall decides, with the purpose
``coordinated_support``, no section, and her agreement as the consent it
reads. Each side shares its own reference; each decision is an attempt, a
public log entry and an audit row, like every disclosure.

Nothing here tells anyone which identifier matched. The other organisation's
name reaches a caseworker only when the other side shares, or when their own
side shares (they then know to whom they disclosed); the reporters are never
told the other organisation's name.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django.utils.translation import gettext_noop as N_

from safereport.accounts.actions import ActionRefused, record_event
from safereport.accounts.models import StaffUser
from safereport.accounts.notify import StaffAlert, alert_each, this_hour
from safereport.cases.actions import (
    ConsentChoice,
    case_workers_of,
    require_case_worker,
    store_consent,
)
from safereport.cases.models import Author, Report
from safereport.core.crypto import UnlockedOrganisation
from safereport.core.events import EventKind
from safereport.core.vocabulary import Purpose
from safereport.disclosures import ledger
from safereport.disclosures.actions import KeysLocked, decide_and_record
from safereport.disclosures.models import DisclosureAttempt
from safereport.disclosures.selectors import Ask, open_report
from safereport.matching.models import MatchSide

COORDINATED = Purpose.COORDINATED_SUPPORT


def _lock_sides(match_ids: Collection[int]) -> list[MatchSide]:
    """Both sides of each match, locked in one query in key order (every writer
    locks this way, so two of them wait for each other instead of deadlocking)."""
    return list(
        MatchSide.objects.select_for_update(of=("self",))
        .select_related("report", "report__custodian")
        .filter(match_id__in=list(match_ids))
        .order_by("pk")
    )


def _both_agreed(side: MatchSide, other: MatchSide) -> bool:
    return side.answer == other.answer == MatchSide.Answer.YES


def do_ask_reporter(report: Report, *, acting_user: StaffUser) -> int:
    """A caseworker of ``report`` lets its return page ask the reporter about
    each of its matches not yet asked; how many.

    Her page shows nothing of a match before: a person named in a report can
    file one naming himself and watch his own return page to learn whether
    someone reported him, so a caseworker who has read the report (and sees
    whether it was opened with the second phrase) decides. An audit row."""
    require_case_worker(acting_user, report)
    with transaction.atomic(durable=True):
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.is_shredded:
            raise ActionRefused(N_("This report has been deleted."))
        asked = MatchSide.objects.filter(report=locked, asked_at__isnull=True).update(
            asked_at=timezone.now()
        )
        if asked:
            record_event(
                EventKind.MATCH_ASKED, actor=acting_user, report=locked.public_id, matches=asked
            )
    return asked


def do_answer_match(report: Report, *, agree: bool) -> list[MatchSide]:
    """The reporter's answer on her return page: may her caseworker work with
    the organisations holding the other reports, of the matches she was asked
    about (``do_ask_reporter``)? Her page asks one question
    however many reports name the same person, so the answer covers every
    match of her report not yet shared (a flood of reports naming what she
    named adds nothing to her page). She may change it until her caseworker
    has shared; after that a "no" cannot take the reference back. Where this
    answer makes two yeses, both organisations' caseworkers are alerted (one
    fixed sentence, after commit). Returns the sides answered."""
    answer = MatchSide.Answer.YES if agree else MatchSide.Answer.NO
    with transaction.atomic(durable=True):
        mine = set(
            MatchSide.objects.filter(
                report=report, report__shredded_at__isnull=True, asked_at__isnull=False
            ).values_list("match_id", flat=True)
        )
        locked = _lock_sides(mine)
        sides = [side for side in locked if side.report_id == report.pk]
        # The reporter reads these two refusals: gettext_noop by name, which makemessages
        # extracts (it does not know the N_ alias of the staff refusals below).
        if not sides:
            raise ActionRefused(gettext_noop("This question is no longer open."))
        open_sides = [side for side in sides if side.shared_id is None]
        if not open_sides:
            raise ActionRefused(
                gettext_noop(
                    "Your caseworker has already told the other organisation. That cannot "
                    "be taken back; send a message to your caseworker to talk about it."
                )
            )
        others = {side.match_id: side for side in locked if side.report_id != report.pk}
        for side in open_sides:
            if side.answer != answer:
                _answer(side, others[side.match_id], answer)
    return open_sides


def _answer(side: MatchSide, other: MatchSide, answer: MatchSide.Answer) -> None:
    side.answer = answer
    side.answered_at = timezone.now()
    side.save(update_fields=["answer", "answered_at"])
    record_event(
        EventKind.MATCH_ANSWERED,
        organisation=side.report.custodian,
        report=side.report.public_id,
        match=side.match_id,
        answer=answer.value,
    )
    if _both_agreed(side, other) and other.report.shredded_at is None:
        # At most one mail an hour per person, as for a match: reports whose
        # reporters all say yes (a flood's would) must not mail once per match.
        hour = this_hour()
        for each in (side, other):
            record_event(
                EventKind.MATCH_AGREED,
                organisation=each.report.custodian,
                report=each.report.public_id,
                match=side.match_id,
            )
            alert_each(
                case_workers_of(each.report),
                StaffAlert.MATCH_AGREED,
                once=f"match-agreed:{hour}",
            )


def _live_agreement(report: Report, recipient_id: int) -> bool:
    return report.consents.filter(
        recipient_id=recipient_id, purpose=COORDINATED.value, withdrawn_at__isnull=True
    ).exists()


def do_share_reference(
    side: MatchSide,
    *,
    acting_user: StaffUser,
    organisation_key: UnlockedOrganisation | None,
) -> DisclosureAttempt:
    """A caseworker of ``side``'s report tells the organisation holding the
    other report that hers holds this one, and its reference.

    Refused with a clear message (nothing written) unless both reporters said
    yes, neither report is deleted and it was not shared already. Otherwise
    her agreement becomes a consent naming that organisation (once), the
    firewall decides, and the attempt is recorded either way. Raises
    ``KeysLocked`` when the firewall allowed it but the caseworker's keys are
    locked (the log entry's commitment needs the report opened)."""
    require_case_worker(acting_user, side.report)
    with transaction.atomic(durable=True):
        pair = _lock_sides([side.match_id])
        side = next(each for each in pair if each.pk == side.pk)
        other = next(each for each in pair if each.pk != side.pk)
        report = side.report
        if report.is_shredded or other.report.is_shredded:
            raise ActionRefused(N_("One of the two reports has been deleted. Nothing was shared."))
        if side.shared_id is not None:
            raise ActionRefused(N_("You have already shared this report's reference."))
        if not _both_agreed(side, other):
            raise ActionRefused(
                N_("Both people must agree before either organisation is told anything.")
            )
        recipient = other.report.custodian
        unlocked = open_report(report, acting_user, organisation_key)
        if unlocked is None:
            raise KeysLocked()
        if not _live_agreement(report, recipient.pk):
            side.consent = store_consent(
                report, ConsentChoice(recipient, COORDINATED, ()), Author.REPORTER
            )
            ledger.append(
                EventKind.CONSENT_GIVEN,
                custodian=report.custodian,
                recipient_kind=recipient.org_kind,
                purpose=COORDINATED,
                sections=frozenset(),
                commitment=ledger.commitment_for(unlocked),
            )
        ask = Ask(acting_user, recipient, COORDINATED, frozenset())
        attempt = decide_and_record(report, ask, unlocked=unlocked)
        if attempt.allowed:
            side.shared = attempt
        side.save(update_fields=["consent", "shared"])
    return attempt
