"""The risk and exploitation assessments on the case page's timeline.

Registered with ``cases.timeline`` when the app is ready."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safereport.cases.models import Report
from safereport.cases.timeline import Deadline, Entry, source
from safereport.core.crypto import CryptoError, UnlockedReport
from safereport.core.risk import LEVEL_LABELS, RiskError


@source
def risk_events(
    report: Report, unlocked: UnlockedReport | None
) -> tuple[list[Entry], list[Deadline]]:
    if unlocked is None:
        return [], []
    from safereport.assessments.selectors import exploitation_history, risk_history

    link = reverse("staff:risk", kwargs={"public_id": report.public_id})
    try:
        risks = risk_history(report, unlocked)
        exploitations = exploitation_history(report, unlocked)
    except (CryptoError, RiskError):
        return [], []
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
    return entries, []
