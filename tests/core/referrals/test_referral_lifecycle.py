"""The referral state machine: a full truth table of state x action x side."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safereport.core.events import EventKind
from safereport.core.referrals import (
    EVENT_FOR_ACTION,
    FINAL_STATES,
    INITIAL_STATE,
    REPORTER_STATUS_TEXT,
    STATE_LABELS,
    ActionNotAvailable,
    ActorSide,
    NotPermitted,
    ReasonRequired,
    ReasonTooLong,
    ReferralAction,
    ReferralError,
    ReferralState,
    allowed_actions,
    transition,
)

S, A, SIDE = ReferralState, ReferralAction, ActorSide
RECEIVER, SENDER, OTHER = SIDE.RECEIVING_SERVICE, SIDE.SENDING_ORGANISATION, SIDE.OTHER

# Written out by hand, independently of the module's own table.
ALLOWED: dict[tuple[ReferralState, ReferralAction, ActorSide], ReferralState] = {
    (S.SENT, A.ACCEPT, RECEIVER): S.ACCEPTED,
    (S.SENT, A.DECLINE, RECEIVER): S.DECLINED,
    (S.SENT, A.WITHDRAW, SENDER): S.WITHDRAWN,
    (S.ACCEPTED, A.START, RECEIVER): S.IN_PROGRESS,
    (S.ACCEPTED, A.CLOSE, RECEIVER): S.CLOSED,
    (S.IN_PROGRESS, A.CLOSE, RECEIVER): S.CLOSED,
}
RIGHT_SIDE = {
    A.ACCEPT: RECEIVER,
    A.DECLINE: RECEIVER,
    A.START: RECEIVER,
    A.CLOSE: RECEIVER,
    A.WITHDRAW: SENDER,
}
CASES = list(itertools.product(ReferralState, ReferralAction, ActorSide))


def expected(state: ReferralState, action: ReferralAction, side: ActorSide) -> object:
    if (state, action, side) in ALLOWED:
        return ALLOWED[(state, action, side)]
    if side is not RIGHT_SIDE[action]:
        return NotPermitted
    return ActionNotAvailable


def test_the_truth_table_has_every_combination() -> None:
    assert len(CASES) == len(ReferralState) * len(ReferralAction) * len(ActorSide) == 90


@pytest.mark.parametrize(("state", "action", "side"), CASES, ids=lambda v: str(v))
def test_truth_table(state: ReferralState, action: ReferralAction, side: ActorSide) -> None:
    outcome = expected(state, action, side)
    reason = "No space in the refuge this month."
    if isinstance(outcome, ReferralState):
        assert transition(state, action, side, reason=reason) is outcome
    else:
        assert outcome in (NotPermitted, ActionNotAvailable)
        with pytest.raises(ReferralError) as caught:
            transition(state, action, side, reason=reason)
        assert type(caught.value) is outcome
        assert caught.value.message  # a plain sentence for the person who tried
        assert str(caught.value) == caught.value.message


@pytest.mark.parametrize(("state", "side"), list(itertools.product(ReferralState, ActorSide)))
def test_allowed_actions_match_the_truth_table(state: ReferralState, side: ActorSide) -> None:
    listed = set(allowed_actions(state, side))
    assert listed == {a for a in ReferralAction if (state, a, side) in ALLOWED}


def test_outsiders_can_do_nothing_in_any_state() -> None:
    for state in ReferralState:
        assert allowed_actions(state, OTHER) == ()


def test_final_states_allow_nothing() -> None:
    assert {S.DECLINED, S.CLOSED, S.WITHDRAWN} == FINAL_STATES
    for state, side in itertools.product(FINAL_STATES, ActorSide):
        assert allowed_actions(state, side) == ()


def test_a_referral_starts_as_sent() -> None:
    assert INITIAL_STATE is S.SENT


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
@pytest.mark.parametrize(
    ("action", "side"), [(A.DECLINE, RECEIVER), (A.WITHDRAW, SENDER)], ids=["decline", "withdraw"]
)
def test_decline_and_withdraw_need_a_reason(
    action: ReferralAction, side: ActorSide, reason: str
) -> None:
    with pytest.raises(ReasonRequired) as caught:
        transition(S.SENT, action, side, reason=reason)
    assert "Write down why" in str(caught.value)


@pytest.mark.parametrize(
    ("state", "action"), [(S.SENT, A.ACCEPT), (S.ACCEPTED, A.START), (S.IN_PROGRESS, A.CLOSE)]
)
def test_other_actions_need_no_reason(state: ReferralState, action: ReferralAction) -> None:
    assert transition(state, action, RECEIVER) in ReferralState


def test_a_reason_over_the_limit_is_refused() -> None:
    with pytest.raises(ReasonTooLong) as caught:
        transition(S.SENT, A.DECLINE, RECEIVER, reason="x" * 2001)
    assert caught.value.params == {"limit": 2000}
    assert transition(S.SENT, A.DECLINE, RECEIVER, reason="x" * 2000) is S.DECLINED


def test_the_side_is_checked_before_the_state() -> None:
    # An outsider probing a closed referral is told only that it is not theirs.
    with pytest.raises(NotPermitted):
        transition(S.CLOSED, A.ACCEPT, OTHER)
    with pytest.raises(NotPermitted, match="Only the organisation that sent"):
        transition(S.SENT, A.WITHDRAW, RECEIVER, reason="oops")


def test_withdrawing_after_an_answer_explains_what_to_do_instead() -> None:
    with pytest.raises(ActionNotAvailable, match="ask it to close"):
        transition(S.ACCEPTED, A.WITHDRAW, SENDER, reason="She changed her mind.")


def test_every_action_has_its_own_event() -> None:
    assert set(EVENT_FOR_ACTION) == set(ReferralAction)
    assert len(set(EVENT_FOR_ACTION.values())) == len(ReferralAction)
    assert EVENT_FOR_ACTION[A.DECLINE] is EventKind.REFERRAL_DECLINED
    assert EventKind.REFERRAL_SENT not in EVENT_FOR_ACTION.values()


def test_every_state_has_a_label_and_a_plain_status_for_the_reporter() -> None:
    assert set(STATE_LABELS) == set(ReferralState)
    assert set(REPORTER_STATUS_TEXT) == set(ReferralState)
    assert len(set(REPORTER_STATUS_TEXT.values())) == len(ReferralState)


_step = st.tuples(st.sampled_from(list(ReferralAction)), st.sampled_from(list(ActorSide)))


@given(st.lists(_step, max_size=12))
def test_any_sequence_of_attempts_stays_on_the_drawn_paths(
    steps: list[tuple[ReferralAction, ActorSide]],
) -> None:
    state = INITIAL_STATE
    visited = [state]
    for action, side in steps:
        try:
            new = transition(state, action, side, reason="recorded reason")
        except ReferralError:
            continue
        assert (state, action, side) in ALLOWED
        assert state not in FINAL_STATES
        state = new
        visited.append(state)
    # Every path is a prefix of one of the drawn paths.
    paths = [
        [S.SENT, S.ACCEPTED, S.IN_PROGRESS, S.CLOSED],
        [S.SENT, S.ACCEPTED, S.CLOSED],
        [S.SENT, S.DECLINED],
        [S.SENT, S.WITHDRAWN],
    ]
    assert any(visited == path[: len(visited)] for path in paths)
