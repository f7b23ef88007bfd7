"""An opened receipt, kept in server memory for a short public session.

After the reporter types the passphrase, the derived keys (never the
passphrase) are held in the ``secrets`` cache alias under a random token that
the public session carries; they expire after a few quiet minutes and are
dropped when the reporter closes the report or leaves with the quick exit.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from safereport.cases.models import Report
from safereport.cases.selectors import find_by_receipt
from safereport.core.crypto import ReceiptKeys, UnlockedReport

_SESSION_KEY = "intake_receipt"


def _cache():  # type: ignore[no-untyped-def]
    return caches["secrets"]


def _timeout() -> int:
    return settings.RECEIPT_SESSION_MINUTES * 60


def remember(request: HttpRequest, receipt: ReceiptKeys) -> None:
    forget(request)
    token = secrets.token_urlsafe(24)
    request.session[_SESSION_KEY] = token
    _cache().set(f"receipt:{token}", (receipt.lookup_id, receipt.unwrap_key), _timeout())


def opened(request: HttpRequest) -> tuple[Report, UnlockedReport] | None:
    token = request.session.get(_SESSION_KEY)
    if not token:
        return None
    stored = _cache().get(f"receipt:{token}")
    if stored is None:
        return None
    _cache().touch(f"receipt:{token}", _timeout())
    return find_by_receipt(ReceiptKeys(lookup_id=stored[0], unwrap_key=stored[1]))


def forget(request: HttpRequest) -> None:
    token = request.session.pop(_SESSION_KEY, None)
    if token:
        _cache().delete(f"receipt:{token}")
