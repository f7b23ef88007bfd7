"""Throttling failed attempts, stored in the database, without knowing who makes them.

The throttle for staff sign-in. Each counter is a ``Limit``: a key that is
an HMAC of a scope and a name (the account name typed), so the table stores
neither the name nor anything about where an attempt came from, and the
rule it counts by. The decisions are the core's (core/throttle.py).

Receipt phrases are not locked out: each try needs a proof of work
(intake/proofs.py), so guessing is paid for by the guesser.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safereport.accounts.models import AttemptThrottle
from safereport.core.throttle import ThrottleRule, ThrottleState, after_failure, locked_for


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
    """Failed staff sign-ins (and wrong current passwords) for one account name."""
    rule = _rule(settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCK_MINUTES)
    return Limit(throttle_key("staff-login", username), rule)


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
        row = AttemptThrottle.objects.select_for_update().filter(key=limit.key).first()
        state = after_failure(_state(row), limit.rule, now)
        AttemptThrottle.objects.update_or_create(
            key=limit.key,
            defaults={
                "failures": state.failures,
                "window_started_at": state.window_started_at,
                "locked_until": state.locked_until,
            },
        )


def clear(*limits: Limit) -> None:
    AttemptThrottle.objects.filter(key__in=[limit.key for limit in limits]).delete()
