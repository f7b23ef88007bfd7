"""Throttling receipt checks without knowing who makes them.

Failures are counted for the public session (an HMAC of its key) and for the
whole site; no address or user agent is ever read (the first middleware has
removed them). Each check costs an Argon2id derivation (64 MiB), so the
site-wide limit also bounds the memory an attacker can make the server spend.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safereport.accounts.models import LoginThrottle
from safereport.accounts.throttle import throttle_key
from safereport.core.throttle import ThrottleRule, ThrottleState, after_failure, locked_for


def _keys(request: HttpRequest) -> list[tuple[str, int]]:
    if request.session.session_key is None:
        request.session.save()
    return [
        (throttle_key("receipt-site", "all"), settings.RECEIPT_SITE_MAX_FAILURES),
        (
            throttle_key("receipt-session", request.session.session_key or ""),
            settings.RECEIPT_MAX_FAILURES,
        ),
    ]


def _state(row: LoginThrottle | None) -> ThrottleState | None:
    if row is None:
        return None
    return ThrottleState(row.failures, row.window_started_at, row.locked_until)


def remaining_lock(request: HttpRequest) -> timedelta | None:
    now = timezone.now()
    waits = [
        locked_for(_state(LoginThrottle.objects.filter(key=key).first()), now)
        for key, _ in _keys(request)
    ]
    found = [w for w in waits if w is not None]
    return max(found) if found else None


@transaction.atomic
def record_failure(request: HttpRequest) -> None:
    now = timezone.now()
    minutes = timedelta(minutes=settings.RECEIPT_LOCK_MINUTES)
    for key, limit in _keys(request):
        rule = ThrottleRule(max_failures=limit, window=minutes, lock=minutes)
        row = LoginThrottle.objects.select_for_update().filter(key=key).first()
        state = after_failure(_state(row), rule, now)
        LoginThrottle.objects.update_or_create(
            key=key,
            defaults={
                "failures": state.failures,
                "window_started_at": state.window_started_at,
                "locked_until": state.locked_until,
            },
        )
