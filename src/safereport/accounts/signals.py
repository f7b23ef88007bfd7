"""Signals the accounts app sends to apps that depend on it.

``counted_in_public_log``: an account event that the public transparency log
counts (an entry holding only its kind, the week, the organisation's public
slug and a count of 1). The transparency app appends the entry in the same
transaction (``transparency.apps``); accounts cannot import it, since
transparency imports accounts. Sent with ``kind`` (an EventKind), ``org``
(a slug) and ``at`` (an aware datetime)."""

from __future__ import annotations

from django.dispatch import Signal

counted_in_public_log = Signal()
