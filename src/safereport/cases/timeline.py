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
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from safereport.cases.models import Message, Report
from safereport.cases.selectors import CaseContent
from safereport.core.crypto import UnlockedReport


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


# The other apps add their own events: each registers a source from its own
# timeline module (imported by its AppConfig.ready), so cases imports none of them.
Source = Callable[[Report, UnlockedReport | None], tuple[list[Entry], list[Deadline]]]
SOURCES: list[Source] = []


def source(fn: Source) -> Source:
    """Register ``fn`` as a source of timeline entries and deadlines."""
    SOURCES.append(fn)
    return fn


def case_timeline(
    report: Report, content: CaseContent | None, unlocked: UnlockedReport | None
) -> tuple[list[Entry], list[Deadline]]:
    """The case's timeline, oldest first, and its open deadlines, soonest first."""
    entries = [Entry(report.created_at, "report", _("Report received"))]
    deadlines: list[Deadline] = []
    if content is not None:
        entries += _messages(content)
    if not report.is_shredded:
        for found in SOURCES:
            more, due = found(report, unlocked)
            entries += more
            deadlines += due
    entries.sort(key=lambda e: e.at)
    deadlines.sort(key=lambda d: d.on)
    return entries, deadlines


def anchored(entries: list[Entry]) -> list[tuple[str, Entry]]:
    """Each entry with its fragment id (``event-1`` ... in order), so a link or
    a redirect can land on it."""
    return [(f"event-{n}", entry) for n, entry in enumerate(entries, start=1)]
