"""Marking user-facing text in the core for translation, without Django.

The core must not import Django, yet some of its words reach people (risk
checklist items, refusal explanations, survey labels). Wrap such literals in
``gettext_noop``: it returns the text unchanged, and Django's
``makemessages`` (xgettext) collects it because ``gettext_noop`` is one of
its keywords. The Django layer translates the text when it renders it.
"""

from __future__ import annotations

from collections.abc import Mapping


def gettext_noop(message: str) -> str:
    return message


class TranslatableError(ValueError):
    """An error that a person reads: ``message`` is English marked with
    ``gettext_noop`` (a subclass sets its own, or a caller passes one),
    ``params`` fill its ``%(name)s`` placeholders after the Django layer has
    translated it, and ``str(error)`` is the filled English text."""

    message: str = gettext_noop("This is not possible.")

    def __init__(self, message: str | None = None, **params: object) -> None:
        if message is not None:
            self.message = message
        self.params: Mapping[str, object] = dict(params)
        super().__init__(self.message % self.params if self.params else self.message)
