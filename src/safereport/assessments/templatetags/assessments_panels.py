"""Panels this app adds to pages of other apps (case page, reporter page, package page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from safereport.core.crypto import CryptoError
from safereport.core.risk import DOMESTIC_ABUSE_QUESTIONS, FLAG_LABELS, LEVEL_LABELS, RiskError

register = template.Library()


@register.inclusion_tag("assessments/_case_panel.html", takes_context=True)
def assessments_case_panel(context: Any, report: Any, unlocked: Any) -> dict[str, Any]:
    """The latest level, score, date and flags, opened with ``unlocked``; with
    no unlocked key (or a deleted report) only the links are shown."""
    from safereport.assessments.selectors import exploitation_history, risk_history

    panel: dict[str, Any] = {
        "request": context.get("request"),
        "report": report,
        "show": False,
        "total": len(DOMESTIC_ABUSE_QUESTIONS),
    }
    if unlocked is None or report.is_shredded:
        return panel
    panel["show"] = True
    try:
        history = risk_history(report, unlocked)
        exploitation = exploitation_history(report, unlocked)
    except (CryptoError, RiskError):
        panel["broken"] = True
        return panel
    latest = history[-1] if history else None
    panel["latest"] = latest
    panel["exploitation"] = exploitation[-1] if exploitation else None
    if latest is not None:
        panel["level_label"] = _(LEVEL_LABELS[latest.result.level])
        panel["flags"] = [_(FLAG_LABELS[f]) for f in latest.result.flags]
    return panel
