from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from safereport.core.throttle import ThrottleRule, after_failure, locked_for

RULE = ThrottleRule(max_failures=3, window=timedelta(minutes=15), lock=timedelta(minutes=15))
T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def test_locks_on_the_nth_failure_within_the_window():
    state = None
    for n in range(1, 4):
        state = after_failure(state, RULE, T0 + timedelta(minutes=n))
        assert state.failures == n
    assert locked_for(state, T0 + timedelta(minutes=4)) == timedelta(minutes=14)
    assert locked_for(state, T0 + timedelta(minutes=19)) is None


def test_failures_spread_beyond_the_window_never_lock():
    state = None
    for n in range(10):
        state = after_failure(state, RULE, T0 + timedelta(minutes=16 * n))
        assert locked_for(state, T0 + timedelta(minutes=16 * n)) is None


def test_a_new_failure_after_the_lock_expires_starts_a_new_count():
    state = None
    for n in range(3):
        state = after_failure(state, RULE, T0 + timedelta(seconds=n))
    later = T0 + timedelta(minutes=31)
    state = after_failure(state, RULE, later)
    assert state.failures == 1 and locked_for(state, later) is None


@given(st.lists(st.integers(min_value=0, max_value=3600), min_size=1, max_size=30))
def test_never_locked_longer_than_the_lock_period(offsets):
    state = None
    now = T0
    for offset in sorted(offsets):
        now = T0 + timedelta(seconds=offset)
        state = after_failure(state, RULE, now)
        remaining = locked_for(state, now)
        assert remaining is None or timedelta(0) < remaining <= RULE.lock
