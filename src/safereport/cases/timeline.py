"""Everything that happened to a case, in order, and its deadlines, for the case page.

The case page shows one timeline: the report arriving, messages both ways,
case notes, referrals and each step of them, police handovers and what came
back, risk and exploitation assessments, and every attempt to share. Each
app keeps its own records; this module only reads them (the caller has
already opened the report with ``access_report``) and opens sealed texts
with the report key the case page unlocked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from safereport.cases.models import Message, Report
from safereport.cases.selectors import CaseContent
from safereport.core.crypto import CryptoError, UnlockedReport
from safereport.core.labels import PURPOSE_LABELS
from safereport.core.referrals import KIND_LABELS, STATE_LABELS, ReferralKind, ReferralState
from safereport.core.risk import LEVEL_LABELS, RiskError
from safereport.core.vocabulary import Purpose


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the timeline. ``kind`` is a CSS hook (message-in, message-out,
    note, referral, police, risk, sharing, report); ``link`` goes to the page
    where the thing is handled, if any."""

    at: dt.datetime
    kind: str
    title: str
    body: str = ""
    link: str = ""
    link_text: str = ""


@dataclass(frozen=True, slots=True)
class Deadline:
    on: dt.date
    title: str
    link: str


def _messages(content: CaseContent) -> list[Entry]:
    entries = []
    for message in content.messages:
        if message.direction == Message.Direction.TO_REPORTER:
            who = message.author.display_name if message.author else "—"
            title = _("%(who)s wrote to the reporter") % {"who": who}
            kind = "message-out"
        else:
            title, kind = _("The reporter wrote"), "message-in"
        entries.append(Entry(message.sent_at, kind, title, message.body))
    for note in content.notes:
        who = note.author.display_name if note.author else "—"
        title = _("Case note by %(who)s") % {"who": who}
        entries.append(Entry(note.sent_at, "note", title, note.body))
    return entries


def _referrals(
    report: Report, unlocked: UnlockedReport | None
) -> tuple[list[Entry], list[Deadline]]:
    from safereport.referrals.selectors import TextReader, referrals_of_report, task_rows

    entries: list[Entry] = []
    deadlines: list[Deadline] = []
    reader = TextReader(report_key=unlocked)
    for referral in referrals_of_report(report.pk):
        link = reverse("staff:referral", kwargs={"referral_id": referral.pk})
        what = _("%(kind)s: %(service)s") % {
            "kind": _(KIND_LABELS[ReferralKind(referral.kind)]),
            "service": referral.service.name,
        }
        for event in referral.events.all():
            state = _(STATE_LABELS[ReferralState(event.state_after)])
            title = _("Referral to %(what)s · %(state)s") % {"what": what, "state": state}
            entries.append(Entry(event.at, "referral", title, link=link, link_text=_("Open")))
        for row in task_rows(reader, referral.legal_tasks.all()):
            task = row["task"]
            if row["sealed"] or task.done_at is not None:  # type: ignore[attr-defined]
                continue
            deadlines.append(Deadline(row["due_on"], str(row["title"]), link))  # type: ignore[arg-type]
    return entries, deadlines


def _police(report: Report, unlocked: UnlockedReport | None) -> list[Entry]:
    from safereport.liaison import selectors

    entries: list[Entry] = []
    link = "#police-liaison"
    for handover in selectors.handovers_of_report(report):
        force = handover.force.name
        entries.append(
            Entry(
                handover.created_at,
                "police",
                _("Handed to the police: %(force)s · %(way)s")
                % {"force": force, "way": handover.get_way_display()},
                link=link,
                link_text=_("Police"),
            )
        )
        if handover.acknowledged_at:
            entries.append(
                Entry(
                    handover.acknowledged_at,
                    "police",
                    _("%(force)s acknowledged the handover") % {"force": force},
                )
            )
        if unlocked is None:
            continue
        opened = selectors.open_with_report(handover, unlocked)
        if opened.crime_reference and handover.crime_reference_at:
            entries.append(
                Entry(
                    handover.crime_reference_at,
                    "police",
                    _("Crime reference from %(force)s: %(ref)s")
                    % {"force": force, "ref": opened.crime_reference},
                )
            )
        for question, answers in opened.question_threads:
            entries.append(
                Entry(
                    question.at,
                    "police",
                    _("Question from %(force)s") % {"force": force},
                    question.body,
                    link if not answers else "",
                    _("Answer it") if not answers else "",
                )
            )
            for answer in answers:
                who = answer.author.display_name if answer.author else "—"
                entries.append(
                    Entry(
                        answer.at,
                        "police",
                        _("%(who)s answered the police") % {"who": who},
                        answer.body,
                    )
                )
        for update in opened.updates:
            entries.append(
                Entry(
                    update.at,
                    "police",
                    _("Progress update from %(force)s") % {"force": force},
                    update.body,
                )
            )
    return entries


def _risk(report: Report, unlocked: UnlockedReport) -> list[Entry]:
    from safereport.assessments.selectors import exploitation_history, risk_history

    link = reverse("staff:risk", kwargs={"public_id": report.public_id})
    try:
        risks = risk_history(report, unlocked)
        exploitations = exploitation_history(report, unlocked)
    except (CryptoError, RiskError):
        return []
    entries = [
        Entry(
            item.created_at,
            "risk",
            _("Risk assessed: %(level)s (%(score)s yes)")
            % {"level": _(LEVEL_LABELS[item.result.level]), "score": item.result.score},
            link=link,
            link_text=_("Result and history"),
        )
        for item in risks
    ]
    for item in exploitations:
        title = _("Exploitation indicators recorded")
        if item.result.slavery_suspected:
            title += " · " + _("signs of modern slavery")
        entries.append(Entry(item.created_at, "risk", title))
    return entries


def _sharing(report: Report) -> list[Entry]:
    from safereport.disclosures.selectors import attempts_for

    entries = []
    for attempt in attempts_for(report).select_related("recipient"):
        title = _("Sharing with %(recipient)s for %(purpose)s: %(decision)s") % {
            "recipient": attempt.recipient.name,
            "purpose": _(PURPOSE_LABELS[Purpose(attempt.purpose)]),
            "decision": attempt.decision_label,
        }
        link = reverse("staff:disclosure_attempt", kwargs={"attempt_id": attempt.pk})
        entries.append(Entry(attempt.at, "sharing", title, link=link, link_text=_("Details")))
    return entries


def case_timeline(
    report: Report, content: CaseContent | None, unlocked: UnlockedReport | None
) -> tuple[list[Entry], list[Deadline]]:
    """The case's timeline, oldest first, and its open deadlines, soonest first."""
    entries = [Entry(report.created_at, "report", _("Report received"))]
    deadlines: list[Deadline] = []
    if content is not None:
        entries += _messages(content)
    if not report.is_shredded:
        referral_entries, deadlines = _referrals(report, unlocked)
        entries += referral_entries
        entries += _police(report, unlocked)
        if unlocked is not None:
            entries += _risk(report, unlocked)
        entries += _sharing(report)
    entries.sort(key=lambda e: e.at)
    deadlines.sort(key=lambda d: d.on)
    return entries, deadlines


def anchored(entries: list[Entry]) -> list[tuple[str, Entry]]:
    """Each entry with its fragment id (``event-1`` ... in order), so a link or
    a redirect can land on it."""
    return [(f"event-{n}", entry) for n, entry in enumerate(entries, start=1)]
