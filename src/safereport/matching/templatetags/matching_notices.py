"""Panels this app adds to pages of other apps: the case page's match panel
and the reporter's question on her return page (so that cases and intake
import nothing from matching's views)."""

from __future__ import annotations

from typing import Any

from django import template

from safereport.cases.models import Report
from safereport.matching.models import MatchSide
from safereport.matching.selectors import has_match, sides_for_case, sides_for_reporter

register = template.Library()


@register.filter
def matched(report: Report) -> bool:
    return not report.is_shredded and has_match(report)


@register.inclusion_tag("matching/_staff_case_panel.html", takes_context=True)
def matching_case_panel(context: Any, report: Report) -> dict[str, Any]:
    """The caseworker's view of each match: "another report names the same
    person or business", a button to let her return page ask her, her answer,
    whether both agreed, a button to share this report's reference, and the
    other's once they shared."""
    sides = [] if report.is_shredded else sides_for_case(report)
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "report": report,
        "sides": sides,
        "not_asked": any(item.side.asked_at is None for item in sides),
        "answers": MatchSide.Answer,
    }


@register.inclusion_tag("matching/_reporter_panel.html", takes_context=True)
def matching_reporter_panel(context: Any, report: Report) -> dict[str, Any]:
    """The reporter's question: may her caseworker work with the organisation
    holding the other report? Never its name, its reference or its answer.

    One question however many reports name the same person: her answer covers
    every match not yet shared (a flood of reports naming what she named adds
    no question to her page, and the page does not say how many there are)."""
    sides = sides_for_reporter(report)
    waiting = [side for side in sides if side.shared_id is None]
    answers = {side.answer for side in waiting}
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "matched": bool(sides),
        "shared": len(waiting) < len(sides),
        "waiting": waiting,
        "answer": answers.pop() if len(answers) == 1 else None,
        "answers": MatchSide.Answer,
    }
