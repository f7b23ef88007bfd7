"""The referrals and legal-route deadlines on the case page's timeline.

Registered with ``cases.timeline`` when the app is ready."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safereport.cases.models import Report
from safereport.cases.timeline import Deadline, Entry, source
from safereport.core.crypto import UnlockedReport
from safereport.core.referrals import KIND_LABELS, STATE_LABELS, ReferralKind, ReferralState


@source
def referral_events(
    report: Report, unlocked: UnlockedReport | None
) -> tuple[list[Entry], list[Deadline]]:
    from safereport.referrals.selectors import TextReader, referrals_of_report, task_rows

    entries: list[Entry] = []
    deadlines: list[Deadline] = []
    reader = TextReader(report_key=unlocked)
    for referral in referrals_of_report(report.pk):
        link = reverse("staff:referral", kwargs={"referral_id": referral.pk})
        what = _("%(kind)s: %(service)s") % {
            "kind": _(KIND_LABELS[ReferralKind(referral.kind)]),
            "service": referral.service.name,
        }
        for event in referral.events.all():
            state = _(STATE_LABELS[ReferralState(event.state_after)])
            title = _("Referral to %(what)s · %(state)s") % {"what": what, "state": state}
            entries.append(Entry(event.at, "referral", title, link=link, link_text=_("Open")))
        for row in task_rows(reader, referral.legal_tasks.all()):
            task = row["task"]
            if row["sealed"] or task.done_at is not None:  # type: ignore[attr-defined]
                continue
            deadlines.append(Deadline(row["due_on"], str(row["title"]), link))  # type: ignore[arg-type]
    return entries, deadlines
