"""A reporter's draft, kept between requests until it is submitted.

The draft is written as JSON and sealed (``safereport.custody``) under a key
that only the reporter's browser holds, in the shared ``secrets`` store: never
the database, never readable from the store alone, so an unfinished draft
leaves nothing anyone can read. It expires two hours after its last change
and is discarded on submission.
The draft is a typed ``Draft``; ``Draft.to_dict`` gives the plain JSON data that
is sealed, so the store holds no Python objects.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from safereport import custody
from safereport.core.vocabulary import Section

# What a journey form leaves in an answer: text, a choice, a tick (or a count).
Answer = str | bool | int
_SESSION_KEY = "intake_draft"
_PURPOSE = "draft"


@dataclass(frozen=True)
class DraftAttachment:
    """A cleaned file (hidden details removed); the original is never kept."""

    id: str
    data: bytes
    media_type: str

    @classmethod
    def new(cls, data: bytes, media_type: str) -> DraftAttachment:
        return cls(id=uuid.uuid4().hex, data=data, media_type=media_type)

    @property
    def kind(self) -> str:
        return self.media_type.split(";")[0]

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Draft:
    """The answers so far, by step slug, and the attachments.

    ``kept`` holds, by step slug, a digest of free text the reporter chose to
    keep although the scanner found identifiers in it (so it is not asked again)."""

    token: str
    answers: dict[str, dict[str, Answer]] = field(default_factory=dict)
    attachments: list[DraftAttachment] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)

    @classmethod
    def start(cls) -> Draft:
        return cls(token=secrets.token_urlsafe(24))

    def answer(self, slug: str, name: str) -> str:
        """One text or choice answer, '' when it was not given."""
        value = self.answers.get(slug, {}).get(name, "")
        return value if isinstance(value, str) else ""

    def sections(self) -> dict[Section, dict[str, object]]:
        """The answers as the report's sections (nothing about immigration is asked)."""
        answers = self.answers
        return {
            Section.INCIDENT: dict(answers.get("what-happened", {})),
            Section.PERPETRATOR: dict(answers.get("person", {})),
            Section.SUPPORT_NEEDS: {
                "wants": self.answer("what-you-want", "wants"),
                "needs": self.answer("what-you-want", "needs"),
            },
            Section.CONTACT: {
                k: v for k, v in answers.get("safe-contact", {}).items() if v not in ("", False)
            },
            Section.IDENTITY: dict(answers.get("about-you", {})),
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (bytes as base64), for a store that serialises or seals it."""
        return {
            "token": self.token,
            "answers": {slug: dict(values) for slug, values in self.answers.items()},
            "attachments": [
                {
                    "id": a.id,
                    "data": base64.b64encode(a.data).decode("ascii"),
                    "media_type": a.media_type,
                }
                for a in self.attachments
            ],
            "kept": dict(self.kept),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        return cls(
            token=str(data["token"]),
            answers={slug: dict(values) for slug, values in data["answers"].items()},
            attachments=[
                DraftAttachment(
                    id=str(a["id"]),
                    data=base64.b64decode(a["data"]),
                    media_type=str(a["media_type"]),
                )
                for a in data["attachments"]
            ],
            kept={str(k): str(v) for k, v in data["kept"].items()},
        )


def _to_bytes(draft: Draft) -> bytes:
    return json.dumps(draft.to_dict()).encode("utf-8")


def _from_bytes(raw: bytes) -> Draft:
    return Draft.from_dict(json.loads(raw))


def load(request: HttpRequest) -> Draft | None:
    token = request.session.get(_SESSION_KEY)
    if not token:
        return None
    raw = custody.recall(request, _PURPOSE)
    if raw is None:
        return None
    draft = _from_bytes(raw)
    return draft if draft.token == token else None


def load_or_start(request: HttpRequest) -> Draft:
    draft = load(request)
    if draft is None:
        draft = Draft.start()
        save(request, draft)
    return draft


def save(request: HttpRequest, draft: Draft) -> None:
    request.session[_SESSION_KEY] = draft.token
    custody.keep(request, _PURPOSE, _to_bytes(draft), settings.SESSION_COOKIE_AGE)


def discard(request: HttpRequest) -> None:
    if request.session.pop(_SESSION_KEY, None):
        custody.drop(request, _PURPOSE)
