"""The police handover, questions, answers and updates on the case timeline.

Registered with ``cases.timeline`` when the app is ready."""

from __future__ import annotations

from django.utils.translation import gettext as _

from safereport.cases.models import Report
from safereport.cases.timeline import Deadline, Entry, source
from safereport.core.crypto import UnlockedReport


@source
def police_events(
    report: Report, unlocked: UnlockedReport | None
) -> tuple[list[Entry], list[Deadline]]:
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
    return entries, []
