"""Panels this app adds to pages of other apps (case page, reporter page, package page).

Each page has already authorised its reader: the case page the custodian's
caseworkers, the reporter's page the receipt, the package page the
recipient. The panels show only what that reader may see; the reporter
never sees a reason, only the plain status text.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from safereport.core.referrals import (
    KIND_LABELS,
    REPORTER_STATUS_TEXT,
    STATE_LABELS,
    ReferralAction,
    ReferralKind,
    ReferralState,
)
from safereport.referrals.selectors import TextReader, referrals_of_report, task_rows

register = template.Library()


def _last_reason(reader: TextReader, referral: Any) -> str | None:
    for event in reversed(list(referral.events.all())):
        if event.action in (ReferralAction.DECLINE.value, ReferralAction.WITHDRAW.value):
            return reader.read(event) if event.note_id else None
    return None


@register.inclusion_tag("referrals/_case_panel.html", takes_context=True)
def referrals_case_panel(context: Any, report: Any, unlocked: Any) -> dict[str, Any]:
    from safereport.referrals.offers import offers_for

    reader = TextReader(report_key=unlocked)
    referrals = list(referrals_of_report(report.pk))
    rows = [
        {
            "referral": r,
            "kind": _(KIND_LABELS[ReferralKind(r.kind)]),
            "state": _(STATE_LABELS[ReferralState(r.state)]),
            "reason": _last_reason(reader, r),
            "has_reason": r.state in (ReferralState.DECLINED.value, ReferralState.WITHDRAWN.value),
            "can_withdraw": r.state == ReferralState.SENT.value,
            "tasks": task_rows(reader, r.legal_tasks.all()),
        }
        for r in referrals
    ]
    sent_kinds = {r.kind for r in referrals}
    offers = [
        (offer, _(KIND_LABELS[offer.kind]), [_(reason.text) for reason in offer.reasons])
        for offer in offers_for(report)
        if offer.kind.value not in sent_kinds
    ]
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "report": report,
        "rows": rows,
        "offers": offers,
        "show": not report.is_shredded,
    }


@register.inclusion_tag("referrals/_reporter_panel.html", takes_context=True)
def referrals_reporter_panel(context: Any, report: Any, unlocked: Any) -> dict[str, Any]:
    rows = [
        {
            "service": r.service.name,
            "kind": _(KIND_LABELS[ReferralKind(r.kind)]),
            "status": _(REPORTER_STATUS_TEXT[ReferralState(r.state)]),
            "since": r.updated_at,
        }
        for r in referrals_of_report(report.pk)
    ]
    return {"request": context.get("request"), "report": report, "rows": rows, "show": bool(rows)}


@register.inclusion_tag("referrals/_package_panel.html", takes_context=True)
def referrals_package_panel(context: Any, package: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    referral = getattr(package, "referral", None) if hasattr(package, "pk") else None
    show = (
        referral is not None
        and user is not None
        and getattr(user, "organisation_id", None) == referral.service_id
    )
    return {
        "request": request,
        "package": package,
        "referral": referral,
        "kind": _(KIND_LABELS[ReferralKind(referral.kind)]) if show else "",
        "state": _(STATE_LABELS[ReferralState(referral.state)]) if show else "",
        "show": show,
    }
