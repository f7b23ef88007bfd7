"""Login throttling stored in the database, keyed by a hash of the name typed."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safereport.accounts.models import LoginThrottle
from safereport.core.throttle import ThrottleRule, ThrottleState, after_failure, locked_for


def throttle_key(scope: str, name: str) -> str:
    message = f"{scope}:{name.strip().lower()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _rule() -> ThrottleRule:
    minutes = timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    return ThrottleRule(max_failures=settings.LOGIN_MAX_FAILURES, window=minutes, lock=minutes)


def _state(row: LoginThrottle | None) -> ThrottleState | None:
    if row is None:
        return None
    return ThrottleState(row.failures, row.window_started_at, row.locked_until)


def remaining_lock(key: str) -> timedelta | None:
    return locked_for(_state(LoginThrottle.objects.filter(key=key).first()), timezone.now())


@transaction.atomic
def record_failure(key: str) -> None:
    now = timezone.now()
    row = LoginThrottle.objects.select_for_update().filter(key=key).first()
    state = after_failure(_state(row), _rule(), now)
    LoginThrottle.objects.update_or_create(
        key=key,
        defaults={
            "failures": state.failures,
            "window_started_at": state.window_started_at,
            "locked_until": state.locked_until,
        },
    )


def clear(key: str) -> None:
    LoginThrottle.objects.filter(key=key).delete()
