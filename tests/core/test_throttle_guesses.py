"""Counting distinct failures and telling once per lock (core/throttle.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from safereport.core.throttle import (
    ThrottleRule,
    ThrottleState,
    after_failure,
    is_new_failure,
    starts_lock,
)

RULE = ThrottleRule(max_failures=3, window=timedelta(minutes=15), lock=timedelta(minutes=15))
T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def test_a_first_failure_is_new_and_a_repeat_inside_the_window_is_not():
    assert is_new_failure(None, RULE, T0)
    state = after_failure(None, RULE, T0)
    assert not is_new_failure(state, RULE, T0 + timedelta(minutes=14))
    assert is_new_failure(state, RULE, T0 + timedelta(minutes=16))


def test_a_repeat_after_a_lock_that_ended_is_new_again():
    locked = ThrottleState(failures=3, window_started_at=T0, locked_until=T0 + timedelta(minutes=1))
    assert not is_new_failure(locked, RULE, T0 + timedelta(seconds=30))
    assert is_new_failure(locked, RULE, T0 + timedelta(minutes=2))


def test_the_lock_starts_once_and_not_again_while_it_runs():
    state = None
    starts = []
    for n in range(6):
        now = T0 + timedelta(minutes=n)
        after = after_failure(state, RULE, now)
        starts.append(starts_lock(state, after, now))
        state = after
    assert starts == [False, False, True, False, False, False]
    later = T0 + timedelta(minutes=40)  # the lock ended: the next one is told again
    again = state
    for n in range(3):
        now = later + timedelta(minutes=n)
        after = after_failure(again, RULE, now)
        if n < 2:
            assert not starts_lock(again, after, now)
        else:
            assert starts_lock(again, after, now)
        again = after
