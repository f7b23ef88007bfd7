"""Counting failed attempts without knowing who or where they came from.

Pure decisions over a small state: how many failures since when, and until
when the key is locked. The caller keys the state by something that is not
personal data (an HMAC of a scope and the name typed, or one shared key).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottleRule:
    max_failures: int
    window: timedelta
    lock: timedelta


@dataclass(frozen=True)
class ThrottleState:
    failures: int
    window_started_at: datetime
    locked_until: datetime | None = None


def locked_for(state: ThrottleState | None, now: datetime) -> timedelta | None:
    """How much longer the key stays locked, or None when attempts are allowed."""
    if state is None or state.locked_until is None or state.locked_until <= now:
        return None
    return state.locked_until - now


def after_failure(state: ThrottleState | None, rule: ThrottleRule, now: datetime) -> ThrottleState:
    """The state after one more failed attempt at `now`."""
    if (
        state is None
        or now - state.window_started_at > rule.window
        or (state.locked_until is not None and state.locked_until <= now)
    ):
        state = ThrottleState(failures=0, window_started_at=now)
    failures = state.failures + 1
    locked_until = now + rule.lock if failures >= rule.max_failures else state.locked_until
    return replace(state, failures=failures, locked_until=locked_until)


def is_new_failure(state: ThrottleState | None, rule: ThrottleRule, now: datetime) -> bool:
    """True when a failure at `now` starts a new count for this key: none yet, or the
    last window has ended. A repeat inside the window is the same failure again
    (a person retyping the same wrong password is not a guesser of many)."""
    return state is None or after_failure(state, rule, now).failures == 1


def starts_lock(before: ThrottleState | None, after: ThrottleState, now: datetime) -> bool:
    """True when the failure that led from `before` to `after` locked a key that was
    not locked: the moment to tell someone, once per lock rather than per attempt."""
    return locked_for(before, now) is None and locked_for(after, now) is not None
