"""Panels this app adds to pages of other apps (case page, reporter page, package page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist

from safereport.liaison import selectors
from safereport.liaison.forms import LiaisonTextForm
from safereport.liaison.models import WAY_FOR_WANTS, PoliceHandover, Way

register = template.Library()


def _opened(report: Any, unlocked: Any) -> list[Any]:
    handovers = list(selectors.handovers_of_report(report))
    if unlocked is None:
        return [selectors.OpenedHandover(h) for h in handovers]
    return [selectors.open_with_report(h, unlocked) for h in handovers]


@register.inclusion_tag("liaison/_case_panel.html", takes_context=True)
def liaison_case_panel(context: Any, report: Any, unlocked: Any) -> dict[str, Any]:
    """The caseworker's view: involve the police; each handover with its
    questions (and a form to answer each), crime reference and updates."""
    opened = [] if report.is_shredded else _opened(report, unlocked)
    threads = []
    for item in opened:
        rows = []
        for question, answers in item.question_threads:
            form = LiaisonTextForm(label="", auto_id=f"answer{question.pk}_%s")
            rows.append((question, answers, form))
        threads.append((item, rows))
    return {
        "request": context.get("request"),
        "report": report,
        "show": not report.is_shredded,
        "locked": unlocked is None,
        "threads": threads,
        "asked_for": WAY_FOR_WANTS.get(report.wants),
    }


@register.inclusion_tag("liaison/_reporter_panel.html", takes_context=True)
def liaison_reporter_panel(context: Any, report: Any, unlocked: Any) -> dict[str, Any]:
    """The reporter's view, with the receipt: the force, the way, acknowledged
    or not, the crime reference and every progress update. Never the police's
    questions (they are for the caseworker)."""
    opened = [] if unlocked is None or report.is_shredded else _opened(report, unlocked)
    return {
        "request": context.get("request"),
        "report": report,
        "show": bool(opened),
        "handovers": opened,
        "ways": Way,
    }


@register.inclusion_tag("liaison/_package_panel.html", takes_context=True)
def liaison_package_panel(context: Any, package: Any) -> dict[str, Any]:
    """On a package page: the link to its handover, for the force it was sent to."""
    try:
        handover: PoliceHandover | None = package.handover
    except ObjectDoesNotExist:
        handover = None
    request = context.get("request")
    user = getattr(request, "user", None)
    show = (
        handover is not None
        and user is not None
        and selectors.handovers_for_force(user).filter(pk=handover.pk).exists()
    )
    return {"request": request, "package": package, "handover": handover, "show": show}
