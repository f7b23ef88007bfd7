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
from django.utils.translation import gettext as _

from safereport import custody
from safereport.cases.models import Report
from safereport.cases.selectors import find_by_receipt
from safereport.core.crypto import ReceiptKeys, UnlockedReport
from safereport.core.crypto.receipts import DIGITS, WORD_LANGUAGES

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


# -- the receipt's form, and the offer of a second (duress) phrase -------------

_OFFER_PURPOSE = "duress-offer"
_OFFER_MINUTES = 30
_DIGEST_BYTES = 32


def receipt_forms(language: str) -> list[tuple[str, str]]:
    """The receipts she may choose from on the review page, the first chosen:
    words in her page's language (when there is a list for it), English
    words, and a number."""
    names = dict(settings.LANGUAGES)
    forms: list[tuple[str, str]] = []
    for lang in dict.fromkeys((language, "en")):
        if lang in WORD_LANGUAGES:
            forms.append((lang, _("Words in %(language)s") % {"language": names.get(lang, lang)}))
    forms.append((DIGITS, _("A number (digits only, for any keyboard)")))
    return forms


def chosen_form(value: str, language: str) -> str:
    """The form she chose, or the first offered when the value is not one."""
    offered = [form for form, _label in receipt_forms(language)]
    return value if value in offered else offered[0]


def offer_duress(request: HttpRequest, receipt: ReceiptKeys, form: str) -> None:
    """Right after sending: let this browser ask, for a short while, for a
    second phrase for the report this receipt opens."""
    packed = receipt.lookup_digest + form.encode("ascii")
    custody.keep(request, _OFFER_PURPOSE, packed, _OFFER_MINUTES * 60)


def duress_offer(request: HttpRequest) -> tuple[Report, str] | None:
    """The report and receipt form of the offer this browser holds, or None."""
    packed = custody.recall(request, _OFFER_PURPOSE)
    if packed is None:
        return None
    digest, form = packed[:_DIGEST_BYTES], packed[_DIGEST_BYTES:].decode("ascii")
    report = (
        Report.objects.filter(receipt_lookup_digest=digest, shredded_at=None)
        .select_related("custodian")
        .first()
    )
    return None if report is None else (report, form)


def drop_duress_offer(request: HttpRequest) -> None:
    custody.drop(request, _OFFER_PURPOSE)
