"""Log filters that keep text chosen by a client out of the logs.

``DisallowedHostLine`` turns Django's report of a request for a host that is
not in ``ALLOWED_HOSTS`` (the ``django.security.DisallowedHost`` logger) into
one plain line: no traceback, no request object, and of the Host header only
a short excerpt with everything but printable ASCII escaped. Anyone can send
any Host header, so the full text and a traceback per request would let a
client fill the log, forge lines in it (newlines, terminal escapes) or write
whatever it likes into a file staff read. Wired in ``settings.LOGGING``.
"""

from __future__ import annotations

import logging

from django.conf import settings

EXCERPT_CHARACTERS = 40


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """At most ``limit`` characters of ``text``, quoted, with anything that is not
    printable ASCII escaped (``ascii``), so one excerpt is one short, inert line."""
    return ascii(text[:limit])


def _host_header(record: logging.LogRecord) -> str | None:
    request = getattr(record, "request", None)
    meta = getattr(request, "META", None)
    if not isinstance(meta, dict):
        return None
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta:
        return str(meta["HTTP_X_FORWARDED_HOST"])
    if "HTTP_HOST" in meta:
        return str(meta["HTTP_HOST"])
    return str(meta.get("SERVER_NAME", ""))


class DisallowedHostLine(logging.Filter):
    """Rewrites a DisallowedHost record as one line; never drops it (an operator
    should see that such requests arrive, and how often)."""

    def filter(self, record: logging.LogRecord) -> bool:
        host = _host_header(record)
        if host is None:
            shown = "(not available)"
        else:
            more = len(host) - EXCERPT_CHARACTERS
            shown = excerpt(host) + (f" and {more} more characters" if more > 0 else "")
        record.msg = "Refused a request for a host that is not allowed: %s"
        record.args = (shown,)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.__dict__.pop("request", None)
        return True
