"""A reporter's draft, kept between requests until it is submitted.

The draft is written as JSON and sealed (``safereport.custody``) under a key
that only the reporter's browser holds, in the shared ``secrets`` store: never
the database, never readable from the store alone, so an unfinished draft
leaves nothing anyone can read. It expires two hours after its last change
and is discarded on submission.
"""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from safereport import custody

Draft = dict[str, Any]
_SESSION_KEY = "intake_draft"
_PURPOSE = "draft"


def _to_bytes(draft: Draft) -> bytes:
    attachments = [
        {**item, "data": base64.b64encode(item["data"]).decode("ascii")}
        for item in draft["attachments"]
    ]
    return json.dumps({**draft, "attachments": attachments}).encode("utf-8")


def _from_bytes(raw: bytes) -> Draft:
    draft: Draft = json.loads(raw)
    for item in draft["attachments"]:
        item["data"] = base64.b64decode(item["data"])
    return draft


def load(request: HttpRequest) -> Draft | None:
    token = request.session.get(_SESSION_KEY)
    if not token:
        return None
    raw = custody.recall(request, _PURPOSE)
    if raw is None:
        return None
    draft = _from_bytes(raw)
    return draft if draft["token"] == token else None


def load_or_start(request: HttpRequest) -> Draft:
    draft = load(request)
    if draft is None:
        draft = {"token": secrets.token_urlsafe(24), "answers": {}, "attachments": [], "kept": {}}
        save(request, draft)
    return draft


def save(request: HttpRequest, draft: Draft) -> None:
    request.session[_SESSION_KEY] = draft["token"]
    custody.keep(request, _PURPOSE, _to_bytes(draft), settings.SESSION_COOKIE_AGE)


def discard(request: HttpRequest) -> None:
    if request.session.pop(_SESSION_KEY, None):
        custody.drop(request, _PURPOSE)
