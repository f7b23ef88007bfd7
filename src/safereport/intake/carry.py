"""What a person typed but had not sent yet, carried across a language switch.

On a page with a form, the language choices are submit buttons of that form
(``switch_language``), so switching language sends what was typed. It is
kept here, sealed like the draft (``safereport.custody``: never the database,
never readable from the shared store alone), for a few minutes; the same page
in the new language takes it back once and shows it again, unvalidated and
unsaved. Nothing is stored when nothing was typed.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest

from safereport import custody

KEEP_SECONDS = 15 * 60


def _purpose(name: str) -> str:
    return f"carry:{name}"


def requested_language(request: HttpRequest) -> str | None:
    """The language a ``switch_language`` button asked for, if it is one we have."""
    code = request.POST.get("switch_language")
    return code if code in dict(settings.LANGUAGES) else None


def _capped(value: Any, field: forms.Field) -> Any:
    """A typed text no longer than its field allows (it is kept in memory)."""
    limit = getattr(field, "max_length", None) or MAX_CHARACTERS
    return value[:limit] if isinstance(value, str) else value


MAX_CHARACTERS = 20_000


def typed_values(form: forms.BaseForm, request: HttpRequest) -> dict[str, Any]:
    """Each field as its widget reads it from the request (files excluded),
    texts cut to the field's own length limit."""
    return {
        name: _capped(
            field.widget.value_from_datadict(request.POST, request.FILES, form.add_prefix(name)),
            field,
        )
        for name, field in form.fields.items()
        if not isinstance(field, forms.FileField)
    }


def keep(request: HttpRequest, name: str, values: dict[str, Any]) -> None:
    if not any(value not in (None, "", [], False) for value in values.values()):
        return
    custody.keep(request, _purpose(name), json.dumps(values).encode("utf-8"), KEEP_SECONDS)


def take(request: HttpRequest, name: str) -> dict[str, Any] | None:
    """What was kept for ``name``, once (it is deleted as it is read)."""
    raw = custody.recall(request, _purpose(name))
    if raw is None:
        return None
    custody.drop(request, _purpose(name))
    values: dict[str, Any] = json.loads(raw)
    return values
