"""Throttling failed attempts, stored in the database, without knowing who makes them.

The throttle for staff sign-in. Each counter is a ``Limit``: a key that is
an HMAC of a scope and a name (the account name typed), so the table stores
neither the name nor anything about where an attempt came from, and the
rule it counts by. The decisions are the core's (core/throttle.py).

Staff sign-in counts *distinct* wrong passwords per account name
(``record_wrong_password``): each wrong guess leaves a row keyed by the name
and a 16-bit tag of the guess, so retyping the same wrong password counts
once while a guesser of many passwords reaches the limit. What the limit
does is the sign-in's business (accounts/signin.py): it never refuses the
right password with a valid second factor. The tag is short on purpose: with
the database and the secret key, a 16-bit tag of a wrong guess (often a typo
of the real password) says almost nothing about it.

Receipt phrases are not locked out: each try needs a proof of work
(intake/proofs.py), so guessing is paid for by the guesser.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safereport.accounts.models import AttemptThrottle
from safereport.core.throttle import (
    ThrottleRule,
    ThrottleState,
    after_failure,
    is_new_failure,
    locked_for,
    starts_lock,
)


@dataclass(frozen=True)
class Limit:
    key: str
    rule: ThrottleRule


def throttle_key(scope: str, name: str) -> str:
    message = f"{scope}:{name.strip().lower()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _rule(max_failures: int, minutes: int) -> ThrottleRule:
    period = timedelta(minutes=minutes)
    return ThrottleRule(max_failures=max_failures, window=period, lock=period)


def sign_in(username: str) -> Limit:
    """Distinct wrong passwords typed for one account name (``record_wrong_password``)."""
    rule = _rule(settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCK_MINUTES)
    return Limit(throttle_key("staff-login", username), rule)


GUESS_TAG_HEX_DIGITS = 4  # 16 bits: enough to tell a handful of guesses apart, no more


def _guess(username: str, password: str) -> Limit:
    """One wrong password for one account name: a row that only says "seen"."""
    name = username.strip().lower()
    tag = hmac.new(
        settings.SECRET_KEY.encode(),
        b"staff-login-guess:" + name.encode() + b"\0" + password.encode(),
        hashlib.sha256,
    ).hexdigest()[:GUESS_TAG_HEX_DIGITS]
    window = timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    # It counts nothing itself: it never locks.
    rule = ThrottleRule(max_failures=2**31, window=window, lock=window)
    return Limit(throttle_key("staff-login-guess", f"{name}\0{tag}"), rule)


def password_change(user_id: int) -> Limit:
    """Wrong current passwords on the password page of one signed-in account. Only
    the holder of that session can add to it, so it may refuse (unlike sign-in)."""
    rule = _rule(settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCK_MINUTES)
    return Limit(throttle_key("staff-password-change", str(user_id)), rule)


def _state(row: AttemptThrottle | None) -> ThrottleState | None:
    if row is None:
        return None
    return ThrottleState(row.failures, row.window_started_at, row.locked_until)


def remaining_lock(*limits: Limit) -> timedelta | None:
    """The longest lock still running on any of these counters, or None."""
    now = timezone.now()
    rows = AttemptThrottle.objects.filter(key__in=[limit.key for limit in limits])
    waits = [wait for row in rows if (wait := locked_for(_state(row), now)) is not None]
    return max(waits) if waits else None


@transaction.atomic(durable=True)
def record_failure(*limits: Limit) -> None:
    now = timezone.now()
    for limit in limits:
        _bump(limit, now)


def _bump(limit: Limit, now: datetime) -> tuple[ThrottleState | None, ThrottleState]:
    row = AttemptThrottle.objects.select_for_update().filter(key=limit.key).first()
    before = _state(row)
    after = after_failure(before, limit.rule, now)
    AttemptThrottle.objects.update_or_create(
        key=limit.key,
        defaults={
            "failures": after.failures,
            "window_started_at": after.window_started_at,
            "locked_until": after.locked_until,
        },
    )
    return before, after


@transaction.atomic(durable=True)
def record_wrong_password(username: str, password: str) -> bool:
    """Count one wrong password for ``username`` if it is a new guess in the window.
    True when this guess put the name under the sign-in limit (once per lock)."""
    now = timezone.now()
    guess = _guess(username, password)
    seen_before, _ = _bump(guess, now)
    if not is_new_failure(seen_before, guess.rule, now):
        return False
    before, after = _bump(sign_in(username), now)
    return starts_lock(before, after, now)


# Rows older than this whose lock has ended count nothing any more (every rule's
# window is shorter), so the queue deletes them (accounts.tasks.forget_old_attempts).
STALE_AFTER = timedelta(days=1)


def forget_stale() -> int:
    """Delete rows whose window began more than ``STALE_AFTER`` ago and whose lock,
    if any, has ended; returns how many. Keeps the table as small as the guessing
    of the last day, whatever was typed before."""
    now = timezone.now()
    stale = AttemptThrottle.objects.filter(window_started_at__lt=now - STALE_AFTER).exclude(
        locked_until__gt=now
    )
    deleted, _ = stale.delete()
    return deleted


def clear(*limits: Limit) -> None:
    AttemptThrottle.objects.filter(key__in=[limit.key for limit in limits]).delete()
