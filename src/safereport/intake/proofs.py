"""Proof of work on the public side: starting a report, sending it, trying a receipt.

The puzzles and their checks are the core's (core/pow.py); this module holds
the server's key for them, remembers spent tokens until they expire, counts
recent attempts, and wires it into the views with one decorator:

    @proof_required(ProofPurpose.SEND)
    def report_submit(request): ...

A page whose form leads there carries ``{% proof_fields "send" %}`` (intake
template tags): a work challenge that ``proof.js`` solves in the browser,
and a wait ticket for browsers without JavaScript that becomes valid a few
seconds after the page was made (usually before the person has finished
typing). A POST without a valid proof does not reach the view: it gets a
short page that says why, keeps every field that was typed (as hidden fields
of the same form, sent again with a fresh challenge and ticket), and either
solves and sends itself (JavaScript) or asks to press Continue after the wait.

Nothing about the client is stored: no address, no fingerprint. The shared
store (the ``secrets`` cache alias: Redis with several workers) keeps only
spent nonces, until their token expires, and per-minute counts of attempts
per purpose (and of wrong receipt phrases), which raise the difficulty and
the wait for everyone as load rises; a session that typed too many wrong
phrases needs a harder proof (``receipt_penalty_bits``). No limit refuses a
correct receipt phrase: a flood makes guessing slower, never impossible.

A request that buys several things at once is priced per thing: adding
details of who is responsible spends one tag of the server's hourly budget
each (docs/matching.md), so ``proof_required(..., units=...)`` asks for
``unit_bits(units)`` more bits (at least ``units`` times the work) or a wait
``units`` times as long, and counts ``units`` attempts towards the load. A
page carries a proof priced for as many as its form can send (``{% proof_fields
"name" 3 %}``); the check asks only for as many as were sent.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from safereport.core.pow import (
    LoadRule,
    ProofPurpose,
    ProofRefused,
    Refusal,
    Token,
    check_solution,
    check_ticket,
    difficulty,
    issue_challenge,
    issue_ticket,
    wait_seconds,
)

CHALLENGE_FIELD = "pow_challenge"
SOLUTION_FIELD = "pow_solution"
TICKET_FIELD = "pow_ticket"
PROOF_FIELDS = (CHALLENGE_FIELD, SOLUTION_FIELD, TICKET_FIELD)
_SESSION_WRONG = "receipt_wrong_phrases"
_WRONG = "wrong-phrase"
View = Callable[..., HttpResponse]


def _key() -> bytes:
    """The proofs' own key, derived from the server secret with its own context."""
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), b"safereport proof-of-work v1", hashlib.sha256
    ).digest()


def _store() -> BaseCache:
    store: BaseCache = caches["secrets"]
    return store


def rule() -> LoadRule:
    return LoadRule(
        base_bits=settings.POW_BASE_BITS,
        threshold=settings.POW_LOAD_THRESHOLD,
        max_extra_bits=settings.POW_MAX_EXTRA_BITS,
        base_wait=settings.POW_BASE_WAIT_SECONDS,
        max_wait=settings.POW_MAX_WAIT_SECONDS,
    )


# -- counting recent attempts (per purpose, never per client) ---------------------


def _bucket_key(name: str, bucket: int) -> str:
    return f"pow:count:{name}:{bucket}"


def _count(name: str, now: float | None = None, units: int = 1) -> None:
    window = settings.POW_LOAD_WINDOW_SECONDS
    key = _bucket_key(name, int((now or time.time()) // window))
    store = _store()
    store.add(key, 0, window * 2 + 5)
    try:
        store.incr(key, units)
    except ValueError:  # expired between add and incr: count it afresh
        store.add(key, units, window * 2 + 5)


def recent(name: str, now: float | None = None) -> int:
    """Attempts in this window and the one before it (a sliding estimate)."""
    window = settings.POW_LOAD_WINDOW_SECONDS
    bucket = int((now or time.time()) // window)
    values = _store().get_many([_bucket_key(name, bucket), _bucket_key(name, bucket - 1)])
    return sum(int(value) for value in values.values())


def record_wrong_phrase(request: HttpRequest) -> None:
    """A receipt phrase opened nothing: count it for the site and the session."""
    _count(_WRONG)
    request.session[_SESSION_WRONG] = int(request.session.get(_SESSION_WRONG, 0)) + 1


def _load(purpose: ProofPurpose) -> int:
    load = recent(purpose.value)
    if purpose is ProofPurpose.RETURN:
        # Wrong phrases weigh as much again as the attempts they were part of.
        load += recent(_WRONG)
    return load


def receipt_penalty_bits(request: HttpRequest) -> int:
    """Extra bits a session pays after too many wrong phrases (each further
    ``RECEIPT_MAX_FAILURES`` wrong phrases add ``RECEIPT_PENALTY_BITS`` more)."""
    wrong = int(request.session.get(_SESSION_WRONG, 0))
    steps = wrong // settings.RECEIPT_MAX_FAILURES
    return min(settings.POW_MAX_EXTRA_BITS, steps * settings.RECEIPT_PENALTY_BITS)


def _penalty(request: HttpRequest, purpose: ProofPurpose) -> int:
    return receipt_penalty_bits(request) if purpose is ProofPurpose.RETURN else 0


# -- issuing and checking ---------------------------------------------------------------


@dataclass(frozen=True)
class ProofFields:
    """What a form carries: a work challenge and a wait ticket."""

    purpose: str
    challenge: str
    seed: str
    bits: int
    ticket: str
    wait: int


def issue(request: HttpRequest, purpose: ProofPurpose, units: int = 1) -> ProofFields:
    """A challenge and a ticket for ``purpose``, priced for ``units`` things."""
    now = time.time()
    load, penalty = _load(purpose), _penalty(request, purpose)
    bits = difficulty(load, rule(), penalty, units)
    wait = wait_seconds(load, rule(), penalty, units)
    ttl = settings.POW_TTL_SECONDS
    challenge = issue_challenge(_key(), purpose, bits=bits, now=now, ttl=ttl)
    return ProofFields(
        purpose=purpose.value,
        challenge=challenge,
        seed=hashlib.sha256(challenge.encode("ascii")).hexdigest(),
        bits=bits,
        ticket=issue_ticket(_key(), purpose, now=now, wait=wait, ttl=ttl),
        wait=wait,
    )


def _spend(token: Token, now: float) -> None:
    """Single use: the first to present a token spends it; later ones are refused."""
    timeout = max(1, int(token.expires_at - now) + 1)
    if not _store().add(f"pow:spent:{token.nonce}", b"1", timeout):
        raise ProofRefused(Refusal.SPENT, token)


def check(request: HttpRequest, purpose: ProofPurpose, units: int = 1) -> ProofRefused | None:
    """None when this POST carries a valid, unspent proof for ``purpose``, hard
    enough for ``units`` things (now spent, and counted ``units`` times); else why not."""
    now = time.time()
    challenge = request.POST.get(CHALLENGE_FIELD, "")
    solution = request.POST.get(SOLUTION_FIELD, "")
    ticket = request.POST.get(TICKET_FIELD, "")
    # At least what this session would be asked for with no load at all.
    penalty = _penalty(request, purpose)
    min_bits = difficulty(0, rule(), penalty, units)
    min_wait = wait_seconds(0, rule(), penalty, units)
    try:
        if challenge and solution:
            token = check_solution(
                _key(), challenge, solution, purpose=purpose, now=now, min_bits=min_bits
            )
        elif ticket:
            token = check_ticket(_key(), ticket, purpose=purpose, now=now, min_wait=min_wait)
        else:
            return ProofRefused(Refusal.MISSING)
        _spend(token, now)
    except ProofRefused as refused:
        return refused
    _count(purpose.value, now, units)
    return None


def _explanation(reason: Refusal) -> str:
    messages = {
        Refusal.MISSING: _("Before this step, every visitor waits a moment."),
        Refusal.NOT_YET: _("Before this step, every visitor waits a moment."),
        Refusal.EXPIRED: _("The check on this page expired."),
        Refusal.SPENT: _("The check on this page was already used."),
        Refusal.WRONG_PURPOSE: _("The check on this page was made for another page."),
        Refusal.TOO_EASY: _("The check on this page is not enough any more."),
    }
    return messages.get(reason, _("The check on this page could not be verified."))


def _carried(request: HttpRequest) -> list[tuple[str, str]]:
    """Every field the person sent, to send again (not the proof, not the CSRF token)."""
    skip = {*PROOF_FIELDS, "csrfmiddlewaretoken"}
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in skip
        for value in values
    ]


def refusal_page(
    request: HttpRequest, purpose: ProofPurpose, refused: ProofRefused, units: int = 1
) -> HttpResponse:
    reason = refused.reason
    proof = issue(request, purpose, units)
    if reason is Refusal.NOT_YET and refused.token is not None:
        # Pressed too early: the same ticket, with the seconds it still needs.
        left = max(1, math.ceil(refused.token.not_before - time.time()))
        proof = replace(proof, ticket=refused.token.text, wait=left)
    waiting = reason in (Refusal.MISSING, Refusal.NOT_YET)
    return render(
        request,
        "intake/proof_wait.html",
        {
            "explanation": _explanation(reason),
            "reason": reason.value,
            "carried": _carried(request),
            "action": request.get_full_path(),
            "proof": proof,
        },
        status=200 if waiting else 400,
    )


def proof_required(
    purpose: ProofPurpose,
    *,
    when: Callable[[HttpRequest], bool] | None = None,
    units: Callable[[HttpRequest], int] | None = None,
) -> Callable[[View], View]:
    """A POST reaches the view only with a valid proof for ``purpose`` (and only
    when ``when(request)`` says one is needed), priced for ``units(request)``
    things (one when not given); otherwise the wait page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and (when is None or when(request)):
                count = max(1, units(request)) if units is not None else 1
                refused = check(request, purpose, count)
                if refused is not None:
                    return refusal_page(request, purpose, refused, count)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
