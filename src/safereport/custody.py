"""Secrets kept between requests, sealed under a key that only the browser holds.

An unlocked staff key, an opened receipt, a reporter's draft and what she typed
before switching language must reach the next request on whichever worker or
machine serves it. They are kept in the ``secrets`` cache alias (Redis when
``REDIS_URL`` is set; this process's memory in the one-process demo), sealed
by ``safereport.core.crypto.custody`` under a random wrapping key that lives
only in a cookie (``sr_staff_key`` scoped to the staff pages, ``sr_public_key``
for the public pages; HttpOnly, SameSite=Strict, Secure in production, gone
when the browser closes). The session holds only a random slot id, which is
neither a cookie value nor the session key. So the database, the store, or
both together open nothing; see docs/threat-model.md.

``CustodyCookieMiddleware`` reads the cookie into ``request.custody`` and
writes it back when a key was made or dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse

from safereport.core.crypto import DecryptionFailed
from safereport.core.crypto.custody import (
    new_slot_id,
    new_wrapping_key,
    open_for_browser,
    seal_for_browser,
    wrapping_key_from_cookie,
    wrapping_key_to_cookie,
)

Handler = Callable[[HttpRequest], HttpResponse]
_SLOT = "custody_slot"


@dataclass
class BrowserKey:
    """The wrapping key from this request's cookie, and what to tell the browser."""

    key: bytes | None
    changed: bool = False
    dropped: bool = False


class BytesSerializer:
    """The secrets store holds sealed bytes only: no pickle, so whoever can
    write to Redis cannot make a worker run code by planting a value."""

    def dumps(self, value: Any) -> bytes | int:
        # Plain integers too (as Django's own serializer stores them, so that
        # Redis can INCR them): the proof-of-work counters (intake/proofs.py).
        if type(value) is int:
            return value
        if not isinstance(value, bytes):
            raise TypeError("the secrets store keeps sealed bytes and counters only")
        return value

    def loads(self, value: bytes) -> bytes:
        return value


def _store() -> BaseCache:
    store: BaseCache = caches["secrets"]
    return store


def cookie_for(path: str) -> tuple[str, str]:
    if path.startswith(settings.STAFF_PATH_PREFIX):
        return settings.STAFF_KEY_COOKIE_NAME, settings.STAFF_PATH_PREFIX
    return settings.PUBLIC_KEY_COOKIE_NAME, "/"


def _browser_key(request: HttpRequest) -> BrowserKey:
    held = getattr(request, "custody", None)
    if held is None:
        name, _ = cookie_for(request.path)
        held = BrowserKey(wrapping_key_from_cookie(request.COOKIES.get(name)))
        request.custody = held  # type: ignore[attr-defined]
    return held


def _name(slot: str, purpose: str) -> str:
    return f"sealed:{slot}:{purpose}"


def keep(
    request: HttpRequest, purpose: str, plaintext: bytes, timeout: int, *, fresh: bool = False
) -> None:
    """Seal ``plaintext`` for this browser and keep it for ``timeout`` seconds.

    ``fresh`` (at sign-in) makes a new wrapping key and slot, so nothing sealed
    for an earlier sign-in in this browser opens again."""
    held = _browser_key(request)
    if fresh or held.key is None:
        held.key, held.changed, held.dropped = new_wrapping_key(), True, False
    if fresh or not request.session.get(_SLOT):
        request.session[_SLOT] = new_slot_id()
    slot = request.session[_SLOT]
    sealed = seal_for_browser(held.key, plaintext, slot=slot, purpose=purpose)
    _store().set(_name(slot, purpose), sealed, timeout)


def recall(request: HttpRequest, purpose: str, *, refresh: int | None = None) -> bytes | None:
    """What was kept for ``purpose``, or None when it expired, was dropped, or
    this browser no longer holds the key. ``refresh`` restarts its timeout."""
    held = _browser_key(request)
    slot = request.session.get(_SLOT)
    if held.key is None or not slot:
        return None
    sealed = _store().get(_name(slot, purpose))
    if sealed is None:
        return None
    try:
        plaintext = open_for_browser(held.key, sealed, slot=slot, purpose=purpose)
    except DecryptionFailed:
        return None
    if refresh is not None:
        _store().touch(_name(slot, purpose), refresh)
    return plaintext


def refresh(request: HttpRequest, purpose: str, timeout: int) -> None:
    """Restart the timeout of what was kept for ``purpose``, if it is still there."""
    slot = request.session.get(_SLOT)
    if slot:
        _store().touch(_name(slot, purpose), timeout)


def drop(request: HttpRequest, purpose: str) -> None:
    slot = request.session.get(_SLOT)
    if slot:
        _store().delete(_name(slot, purpose))


def forget_browser_key(request: HttpRequest) -> None:
    """Tell the browser to delete its wrapping key (at sign-out)."""
    held = _browser_key(request)
    held.key, held.changed, held.dropped = None, False, True


class CustodyCookieMiddleware:
    """Sets the wrapping-key cookie when a key was made, deletes it when dropped."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _browser_key(request)
        response = self.get_response(request)
        held = _browser_key(request)
        name, path = cookie_for(request.path)
        if held.dropped and name in request.COOKIES:
            response.delete_cookie(name, path=path, samesite="Strict")
        elif held.changed and held.key is not None:
            response.set_cookie(
                name,
                wrapping_key_to_cookie(held.key),
                path=path,
                secure=settings.SESSION_COOKIE_SECURE or None,
                httponly=True,
                samesite="Strict",
            )
        return response
