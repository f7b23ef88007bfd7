"""A reporter's draft, held in server memory until it is submitted.

The public session cookie carries only a random token; the answers and the
cleaned attachments live in the ``secrets`` cache alias (process memory by
default, a Redis without persistence in a multi-worker deployment), never in
the database, so an unfinished draft leaves nothing behind on disk. The draft
expires with the public session (two hours of inactivity) and is discarded on
submission.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

Draft = dict[str, Any]
_SESSION_KEY = "intake_draft"


def _cache():  # type: ignore[no-untyped-def]
    return caches["secrets"]


def _slot(token: str) -> str:
    return f"draft:{token}"


def load(request: HttpRequest) -> Draft | None:
    token = request.session.get(_SESSION_KEY)
    if not token:
        return None
    draft: Draft | None = _cache().get(_slot(token))
    return draft


def load_or_start(request: HttpRequest) -> Draft:
    draft = load(request)
    if draft is None:
        draft = {"token": secrets.token_urlsafe(24), "answers": {}, "attachments": [], "kept": {}}
        save(request, draft)
    return draft


def save(request: HttpRequest, draft: Draft) -> None:
    request.session[_SESSION_KEY] = draft["token"]
    _cache().set(_slot(draft["token"]), draft, settings.SESSION_COOKIE_AGE)


def discard(request: HttpRequest) -> None:
    token = request.session.pop(_SESSION_KEY, None)
    if token:
        _cache().delete(_slot(token))
