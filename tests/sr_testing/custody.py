"""Reading what a test client's browser has in the shared secrets store.

The store holds sealed bytes only; the key to open them is in the client's
wrapping-key cookie, as it would be in a reporter's or staff member's browser.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.core.cache import caches
from django.test import Client

from safereport.core.crypto.custody import open_for_browser, wrapping_key_from_cookie


def session_of(client: Client, *, staff: bool):  # type: ignore[no-untyped-def]
    name = settings.STAFF_SESSION_COOKIE_NAME if staff else settings.PUBLIC_SESSION_COOKIE_NAME
    cookie = client.cookies.get(name)
    return import_module(settings.SESSION_ENGINE).SessionStore(cookie.value if cookie else None)


def store_name(client: Client, purpose: str, *, staff: bool) -> str | None:
    """The store's name for what this browser keeps for ``purpose`` (None: nothing yet)."""
    slot = session_of(client, staff=staff).get("custody_slot")
    return f"sealed:{slot}:{purpose}" if slot else None


def sealed(client: Client, purpose: str, *, staff: bool) -> bytes | None:
    name = store_name(client, purpose, staff=staff)
    found: bytes | None = caches["secrets"].get(name) if name else None
    return found


def browser_key(client: Client, *, staff: bool) -> bytes | None:
    name = settings.STAFF_KEY_COOKIE_NAME if staff else settings.PUBLIC_KEY_COOKIE_NAME
    cookie = client.cookies.get(name)
    return wrapping_key_from_cookie(cookie.value if cookie else None)


def opened(client: Client, purpose: str, *, staff: bool) -> bytes | None:
    """What the browser's own key opens, as the server would on its next request."""
    blob, key = sealed(client, purpose, staff=staff), browser_key(client, staff=staff)
    if blob is None or key is None:
        return None
    slot = session_of(client, staff=staff)["custody_slot"]
    return open_for_browser(key, blob, slot=slot, purpose=purpose)
