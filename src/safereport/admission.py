"""The server's admission gate for Argon2id, and the "busy" page.

``gate()`` is this machine's ``SlotGate`` (core/admission.py), built once per
process from settings (``KDF_SLOTS`` derivations at once, lock files in
``KDF_SLOT_DIR``). ``accounts.keys.vault()`` and the staff password hasher
run every derivation inside it.

When every slot stays taken for the whole wait, the derivation raises
``KdfBusy`` before taking any memory. ``AdmissionMiddleware`` turns that
into the busy page (HTTP 503 with ``Retry-After``) for any view; a view that
can keep more of what was typed (the report's send button) catches it itself
and renders ``busy_page`` with a form that sends the same draft again.
Nothing about who was refused is recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safereport.core.admission import KdfBusy, SlotGate

_gate: SlotGate | None = None


def gate() -> SlotGate:
    global _gate
    if _gate is None:
        _gate = SlotGate(
            folder=settings.KDF_SLOT_DIR,
            slots=settings.KDF_SLOTS,
            wait_seconds=settings.KDF_WAIT_SECONDS,
            retry_after=settings.KDF_RETRY_AFTER_SECONDS,
        )
        _gate.prepare()
    return _gate


def use_gate(replacement: SlotGate | None) -> None:
    """For tests: another gate (None: the one the settings describe)."""
    global _gate
    _gate = replacement


def admitted() -> AbstractContextManager[None]:
    """Enter around an Argon2id run (``Vault(kdf_gate=admitted)``)."""
    return gate().admitted()


def busy_page(
    request: HttpRequest,
    busy: KdfBusy,
    *,
    again: str | None = None,
    fields: Sequence[tuple[str, str]] = (),
    back: str | None = None,
) -> HttpResponse:
    """The calm "busy, try again in a minute" page, 503 with ``Retry-After``.

    ``again`` (a URL) and ``fields`` (hidden name/value pairs, never a
    secret: the draft's token, the boxes ticked) make a button that sends
    the same thing again; ``back`` is a link to the page the person came from."""
    response = render(
        request,
        "busy.html",
        {"again": again, "fields": fields, "back": back, "retry_after": busy.retry_after},
        status=503,
    )
    response["Retry-After"] = str(busy.retry_after)
    return response


class AdmissionMiddleware:
    """Any view whose derivation was refused gets the busy page, not a 500.

    What was typed into a secret field (a password, a receipt phrase) is not
    kept: the page asks to type it again. Drafts stay in their sealed store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, KdfBusy):
            return None
        return busy_page(request, exception, back=request.path)
