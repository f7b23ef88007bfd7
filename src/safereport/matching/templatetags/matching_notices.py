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
    person or business", the reporter's answer, whether both agreed, a button
    to share this report's reference, and the other's once they shared."""
    sides = [] if report.is_shredded else sides_for_case(report)
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "report": report,
        "sides": sides,
        "answers": MatchSide.Answer,
    }


@register.inclusion_tag("matching/_reporter_panel.html", takes_context=True)
def matching_reporter_panel(context: Any, report: Report) -> dict[str, Any]:
    """The reporter's question: may her caseworker work with the organisation
    holding the other report? Never its name, its reference or its answer."""
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "sides": sides_for_reporter(report),
        "answers": MatchSide.Answer,
    }
