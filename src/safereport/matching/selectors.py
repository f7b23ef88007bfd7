"""Reads for the matching app: which reports a report matched (never through what)."""

from __future__ import annotations

from django.db.models import Q

from safereport.cases.models import Report
from safereport.matching.models import Match


def has_match(report: Report) -> bool:
    """True when another report names the same person or business as ``report``.

    Callers have already authorised reading ``report`` (cases.selectors)."""
    return Match.objects.filter(Q(first=report) | Q(second=report)).exists()
