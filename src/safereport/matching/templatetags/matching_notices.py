"""The case page asks, through this filter, whether another report names the
same person or business (so that cases imports nothing from matching)."""

from __future__ import annotations

from django import template

from safereport.cases.models import Report
from safereport.matching.selectors import has_match

register = template.Library()


@register.filter
def matched(report: Report) -> bool:
    return not report.is_shredded and has_match(report)
