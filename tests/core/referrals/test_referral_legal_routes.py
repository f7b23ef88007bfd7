"""Legal routes as tasks with default deadlines (never sent anywhere)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

import safereport.core.referrals.legal_routes as legal_routes
from safereport.core.referrals import (
    ROUTE_GUIDANCE,
    ActorSide,
    DeadlineAnchor,
    InvalidDeadline,
    LegalRoute,
    ReferralError,
    ReferralKind,
    ReferralState,
    check_can_track_routes,
    plan_deadline,
)

TODAY = date(2026, 6, 1)


def test_every_route_has_guidance() -> None:
    assert set(ROUTE_GUIDANCE) == set(LegalRoute)
    for route, guidance in ROUTE_GUIDANCE.items():
        assert guidance.route is route
        assert guidance.title and guidance.description and guidance.deadline_text


def test_the_module_says_the_system_never_sends_to_an_immigration_authority() -> None:
    doc = legal_routes.__doc__ or ""
    assert "never sends anything to an immigration authority" in " ".join(doc.split())


@pytest.mark.parametrize(
    ("route", "anchor_on", "due_on", "limit"),
    [
        (LegalRoute.DOMESTIC_ABUSE_CONCESSION, date(2026, 5, 28), date(2026, 6, 11), None),
        (LegalRoute.NRM, date(2026, 5, 30), date(2026, 6, 6), None),
        (
            LegalRoute.DOMESTIC_ABUSE_SETTLEMENT,
            date(2026, 5, 15),
            date(2026, 7, 18),
            date(2026, 8, 15),
        ),
        (
            LegalRoute.EXTEND_STAY_TO_GIVE_EVIDENCE,
            date(2026, 9, 30),
            date(2026, 9, 2),
            date(2026, 9, 30),
        ),
        (
            LegalRoute.DEFER_REMOVAL_TO_GIVE_EVIDENCE,
            date(2026, 7, 1),
            date(2026, 6, 24),
            date(2026, 7, 1),
        ),
    ],
)
def test_default_deadlines(
    route: LegalRoute, anchor_on: date, due_on: date, limit: date | None
) -> None:
    plan = plan_deadline(route, anchor_on, today=TODAY)
    assert plan.route is route
    assert plan.due_on == due_on
    assert plan.hard_limit == limit
    assert not plan.urgent
    assert not plan.limit_passed
    if limit is not None:
        assert plan.due_on < limit


def test_settlement_limit_is_three_calendar_months_after_the_concession() -> None:
    plan = plan_deadline(LegalRoute.DOMESTIC_ABUSE_SETTLEMENT, date(2025, 11, 30), today=TODAY)
    assert plan.hard_limit == date(2026, 2, 28)
    assert plan.limit_passed
    assert plan.urgent
    assert plan.due_on == TODAY


def test_a_passed_default_makes_the_task_due_today() -> None:
    plan = plan_deadline(LegalRoute.DEFER_REMOVAL_TO_GIVE_EVIDENCE, date(2026, 6, 4), today=TODAY)
    assert plan.urgent
    assert plan.due_on == TODAY
    assert plan.hard_limit == date(2026, 6, 4)
    assert not plan.limit_passed


def test_a_removal_date_in_the_past_is_flagged() -> None:
    plan = plan_deadline(LegalRoute.DEFER_REMOVAL_TO_GIVE_EVIDENCE, date(2026, 5, 1), today=TODAY)
    assert plan.limit_passed


@pytest.mark.parametrize(
    "route",
    [
        r
        for r in LegalRoute
        if ROUTE_GUIDANCE[r].anchor
        in (DeadlineAnchor.ADVISER_ACCEPTED, DeadlineAnchor.CONCESSION_GRANTED)
    ],
)
def test_a_past_event_dated_in_the_future_is_refused(route: LegalRoute) -> None:
    with pytest.raises(InvalidDeadline, match="future"):
        plan_deadline(route, date(2026, 6, 2), today=TODAY)


TRACKING_CASES = list(itertools.product(ReferralKind, ReferralState, ActorSide))


@pytest.mark.parametrize(("kind", "state", "side"), TRACKING_CASES, ids=str)
def test_only_the_adviser_tracks_routes_on_an_open_legal_referral(
    kind: ReferralKind, state: ReferralState, side: ActorSide
) -> None:
    allowed = (
        kind is ReferralKind.IMMIGRATION_LEGAL_ADVISER
        and side is ActorSide.RECEIVING_SERVICE
        and state in (ReferralState.ACCEPTED, ReferralState.IN_PROGRESS)
    )
    if allowed:
        check_can_track_routes(kind, state, side)  # raises nothing
    else:
        with pytest.raises(ReferralError):
            check_can_track_routes(kind, state, side)
