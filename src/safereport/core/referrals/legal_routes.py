"""Legal routes a legal adviser may pursue, as tasks with default deadlines.

With an accepted referral to an immigration legal adviser, the adviser can
track the routes they are pursuing for the person:

* the Migrant Victims of Domestic Abuse Concession (three months' permission
  to stay, with access to public funds, to leave an abusive relationship);
* settlement as a victim of domestic abuse (an application that must be
  made within those three months when the concession is used);
* the National Referral Mechanism (advice before the person decides, since
  the Home Office makes NRM decisions);
* a request to extend stay, or to defer removal, so that the person can
  give evidence in criminal proceedings.

**The system itself never sends anything to an immigration authority.** A
legal task is a reminder for the adviser, who makes any application or
request themselves, outside SafeReport, on the person's instructions. No
task kind, deadline or status here causes data to leave the system; the
firewall policy refuses every flow to an immigration authority whatever is
recorded here.

The default deadlines are planning aids chosen by us, not legal advice and
not rules of the Home Office: each is counted from a date the adviser
records (``DeadlineAnchor``), and the adviser can always set another. Where
a route has a real outer limit we know of (the end of the concession's three
months, the day current permission ends, the removal date) it is given as
``hard_limit`` and the default falls before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from safereport.core.i18n import gettext_noop
from safereport.core.referrals.errors import ActionNotAvailable, InvalidDeadline, NotPermitted
from safereport.core.referrals.kinds import ReferralKind
from safereport.core.referrals.lifecycle import ActorSide, ReferralState
from safereport.core.risk.months import add_months


class LegalRoute(StrEnum):
    DOMESTIC_ABUSE_CONCESSION = "domestic_abuse_concession"
    DOMESTIC_ABUSE_SETTLEMENT = "domestic_abuse_settlement"
    NRM = "nrm"
    EXTEND_STAY_TO_GIVE_EVIDENCE = "extend_stay_to_give_evidence"
    DEFER_REMOVAL_TO_GIVE_EVIDENCE = "defer_removal_to_give_evidence"


class DeadlineAnchor(StrEnum):
    """The date a default deadline is counted from."""

    ADVISER_ACCEPTED = "adviser_accepted"  # the adviser accepted the referral
    CONCESSION_GRANTED = "concession_granted"  # concession permission began
    PERMISSION_ENDS = "permission_ends"  # the person's current permission ends
    REMOVAL_DATE = "removal_date"  # a removal date has been set


TRACKING_STATES: frozenset[ReferralState] = frozenset(
    {ReferralState.ACCEPTED, ReferralState.IN_PROGRESS}
)
"""A legal adviser tracks routes only on a referral it has accepted and not closed."""


def check_can_track_routes(kind: ReferralKind, state: ReferralState, side: ActorSide) -> None:
    """Raise unless legal-route tasks may be opened or updated on this referral.

    Only on a referral to an immigration legal adviser, only by the adviser
    (the receiving side), and only while the referral is accepted or in
    progress. The sending caseworker can read the tasks (a selector matter
    for the Django layer) but does not set them.
    """
    if kind is not ReferralKind.IMMIGRATION_LEGAL_ADVISER:
        raise ActionNotAvailable(
            gettext_noop("Legal routes are tracked only on a referral to a legal adviser.")
        )
    if side is not ActorSide.RECEIVING_SERVICE:
        raise NotPermitted(gettext_noop("Only the legal adviser can set legal-route tasks."))
    if state not in TRACKING_STATES:
        raise ActionNotAvailable(
            gettext_noop(
                "Legal routes can be tracked only while the referral is accepted or in progress."
            )
        )


# Anchors that are events already past when recorded, and anchors that are
# future limits.
PAST_ANCHORS = frozenset({DeadlineAnchor.ADVISER_ACCEPTED, DeadlineAnchor.CONCESSION_GRANTED})

CONCESSION_MONTHS = 3


@dataclass(frozen=True, slots=True)
class RouteGuidance:
    route: LegalRoute
    title: str
    description: str
    anchor: DeadlineAnchor
    anchor_label: str
    deadline_text: str


ROUTE_GUIDANCE: Mapping[LegalRoute, RouteGuidance] = {
    g.route: g
    for g in (
        RouteGuidance(
            LegalRoute.DOMESTIC_ABUSE_CONCESSION,
            gettext_noop("Domestic abuse concession"),
            gettext_noop(
                "Three months' permission to stay, with access to public funds, so the "
                "person can leave an abusive relationship and make a further application. "
                "Who can use it depends on the permission they had; the adviser decides."
            ),
            DeadlineAnchor.ADVISER_ACCEPTED,
            gettext_noop("Date the adviser accepted the referral"),
            gettext_noop("Default: decide with the person and apply within 14 days."),
        ),
        RouteGuidance(
            LegalRoute.DOMESTIC_ABUSE_SETTLEMENT,
            gettext_noop("Settlement as a victim of domestic abuse"),
            gettext_noop(
                "An application to settle in the UK as a victim of domestic abuse. When the "
                "concession is used, it must be made within its three months."
            ),
            DeadlineAnchor.CONCESSION_GRANTED,
            gettext_noop("Date the concession permission began"),
            gettext_noop(
                "Default: 4 weeks before the three months end; the end of the three "
                "months is the outer limit."
            ),
        ),
        RouteGuidance(
            LegalRoute.NRM,
            gettext_noop("National Referral Mechanism"),
            gettext_noop(
                "Advice on the NRM before the person decides whether to be referred. NRM "
                "decisions are made by the Home Office, so the person should know this first."
            ),
            DeadlineAnchor.ADVISER_ACCEPTED,
            gettext_noop("Date the adviser accepted the referral"),
            gettext_noop("Default: give this advice within 7 days."),
        ),
        RouteGuidance(
            LegalRoute.EXTEND_STAY_TO_GIVE_EVIDENCE,
            gettext_noop("Extend stay to give evidence"),
            gettext_noop(
                "A request for permission to stay long enough to give evidence in criminal "
                "proceedings. It should be made before current permission ends."
            ),
            DeadlineAnchor.PERMISSION_ENDS,
            gettext_noop("Date current permission to stay ends"),
            gettext_noop(
                "Default: 4 weeks before permission ends; the day it ends is the outer limit."
            ),
        ),
        RouteGuidance(
            LegalRoute.DEFER_REMOVAL_TO_GIVE_EVIDENCE,
            gettext_noop("Defer removal to give evidence"),
            gettext_noop(
                "A request that removal be put off so that the person can give evidence in "
                "criminal proceedings."
            ),
            DeadlineAnchor.REMOVAL_DATE,
            gettext_noop("Date set for removal"),
            gettext_noop(
                "Default: 7 days before the removal date (act at once if that has passed); "
                "the removal date is the outer limit."
            ),
        ),
    )
}

_LEAD = {
    LegalRoute.DOMESTIC_ABUSE_CONCESSION: timedelta(days=14),
    LegalRoute.DOMESTIC_ABUSE_SETTLEMENT: timedelta(days=-28),
    LegalRoute.NRM: timedelta(days=7),
    LegalRoute.EXTEND_STAY_TO_GIVE_EVIDENCE: timedelta(days=-28),
    LegalRoute.DEFER_REMOVAL_TO_GIVE_EVIDENCE: timedelta(days=-7),
}


def hard_limit(route: LegalRoute, anchor_on: date) -> date | None:
    """The outer limit we know of for a route, or ``None``."""
    if route is LegalRoute.DOMESTIC_ABUSE_SETTLEMENT:
        return add_months(anchor_on, CONCESSION_MONTHS)
    if route in (
        LegalRoute.EXTEND_STAY_TO_GIVE_EVIDENCE,
        LegalRoute.DEFER_REMOVAL_TO_GIVE_EVIDENCE,
    ):
        return anchor_on
    return None


def default_deadline(route: LegalRoute, anchor_on: date) -> date:
    """The default deadline counted from the anchor date (before any clamping)."""
    limit = hard_limit(route, anchor_on)
    base = limit if limit is not None else anchor_on
    return base + _LEAD[route]


@dataclass(frozen=True, slots=True)
class DeadlinePlan:
    route: LegalRoute
    due_on: date
    hard_limit: date | None
    urgent: bool
    """The default date had already passed, so the task is due today."""
    limit_passed: bool
    """The outer limit is already in the past: the adviser must look at this now."""


def plan_deadline(route: LegalRoute, anchor_on: date, *, today: date) -> DeadlinePlan:
    """Plan a legal task's deadline from its anchor date, as seen on ``today``.

    Raises ``InvalidDeadline`` when an anchor that is a past event (the
    adviser accepting, the concession starting) is dated in the future.
    """
    guidance = ROUTE_GUIDANCE[route]
    if guidance.anchor in PAST_ANCHORS and anchor_on > today:
        raise InvalidDeadline(detail="the starting date is in the future")
    limit = hard_limit(route, anchor_on)
    due = default_deadline(route, anchor_on)
    urgent = due < today
    if urgent:
        due = today
    return DeadlinePlan(
        route=route,
        due_on=due,
        hard_limit=limit,
        urgent=urgent,
        limit_passed=limit is not None and limit < today,
    )
