"""An opened receipt, kept for a short public session.

After the reporter types the passphrase, the derived keys (never the
passphrase) are sealed (``safereport.custody``) under a key only her browser
holds, in the shared ``secrets`` store; they expire after a few quiet minutes
and are dropped when the reporter closes the report or leaves with the quick
exit.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from safereport import custody
from safereport.cases.models import Report
from safereport.cases.selectors import find_by_receipt
from safereport.core.crypto import ReceiptKeys, UnlockedReport

_PURPOSE = "receipt"
_LOOKUP_BYTES_PREFIX = 2  # the lookup identifier's length, then the identifier, then the key


def _timeout() -> int:
    return settings.RECEIPT_SESSION_MINUTES * 60


def remember(request: HttpRequest, receipt: ReceiptKeys) -> None:
    lookup = receipt.lookup_id
    packed = len(lookup).to_bytes(_LOOKUP_BYTES_PREFIX, "big") + lookup + receipt.unwrap_key
    custody.keep(request, _PURPOSE, packed, _timeout())


def opened(request: HttpRequest) -> tuple[Report, UnlockedReport] | None:
    packed = custody.recall(request, _PURPOSE, refresh=_timeout())
    if packed is None:
        return None
    size = int.from_bytes(packed[:_LOOKUP_BYTES_PREFIX], "big")
    lookup = packed[_LOOKUP_BYTES_PREFIX : _LOOKUP_BYTES_PREFIX + size]
    unwrap_key = packed[_LOOKUP_BYTES_PREFIX + size :]
    return find_by_receipt(ReceiptKeys(lookup_id=lookup, unwrap_key=unwrap_key))


def forget(request: HttpRequest) -> None:
    custody.drop(request, _PURPOSE)
