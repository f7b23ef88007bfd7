"""The attempts to share on the case page's timeline (registered with ``cases.timeline``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safereport.cases.models import Report
from safereport.cases.timeline import Deadline, Entry, source
from safereport.core.crypto import UnlockedReport
from safereport.core.labels import PURPOSE_LABELS
from safereport.core.vocabulary import Purpose


@source
def sharing_events(
    report: Report, unlocked: UnlockedReport | None
) -> tuple[list[Entry], list[Deadline]]:
    from safereport.disclosures.selectors import attempts_for

    entries = []
    for attempt in attempts_for(report).select_related("recipient"):
        title = _("Sharing with %(recipient)s for %(purpose)s: %(decision)s") % {
            "recipient": attempt.recipient.name,
            "purpose": _(PURPOSE_LABELS[Purpose(attempt.purpose)]),
            "decision": attempt.decision_label,
        }
        link = reverse("staff:disclosure_attempt", kwargs={"attempt_id": attempt.pk})
        entries.append(Entry(attempt.at, "sharing", title, link=link, link_text=_("Details")))
    return entries, []
