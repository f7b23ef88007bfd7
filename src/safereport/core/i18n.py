"""Marking user-facing text in the core for translation, without Django.

The core must not import Django, yet some of its words reach people (risk
checklist items, refusal explanations, survey labels). Wrap such literals in
``gettext_noop``: it returns the text unchanged, and Django's
``makemessages`` (xgettext) collects it because ``gettext_noop`` is one of
its keywords. The Django layer translates the text when it renders it.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    return message
