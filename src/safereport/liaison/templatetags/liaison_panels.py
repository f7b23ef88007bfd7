"""Panels this app adds to pages of other apps (case page, reporter page, package page)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("liaison/_case_panel.html", takes_context=True)
def liaison_case_panel(context: Any, report: Any, unlocked: Any) -> dict[str, Any]:
    return {"request": context.get("request"), "report": report, "show": False}


@register.inclusion_tag("liaison/_reporter_panel.html", takes_context=True)
def liaison_reporter_panel(context: Any, report: Any, unlocked: Any) -> dict[str, Any]:
    return {"request": context.get("request"), "report": report, "show": False}


@register.inclusion_tag("liaison/_package_panel.html", takes_context=True)
def liaison_package_panel(context: Any, package: Any) -> dict[str, Any]:
    return {"request": context.get("request"), "package": package, "show": False}
