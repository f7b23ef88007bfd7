"""The public JSON endpoints under /transparency/ (docs/transparency.md §8).

GET only, no session, no language prefix. Every answer is compact JSON
(``,`` and ``:`` separators, keys in the documented order, UTF-8, no
trailing newline). Bad parameters get a 400 with ``{"error": "..."}``.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from safereport.core.ledger import entries_page_to_json, public_key_to_json
from safereport.transparency import charts, selectors
from safereport.transparency.actions import verify_key

# Entries and proofs of sizes the log has reached never change.
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=10"  # the head moves as entries are appended
KEY = "public, max-age=3600"
MAX_INDEX = 2**63 - 1  # what the database's signed 64-bit columns hold


class BadParameter(Exception):
    pass


def _json(obj: dict[str, Any], *, status: int = 200, cache: str | None = None) -> HttpResponse:
    body = json.dumps(obj, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    response = HttpResponse(body.encode("ascii"), status=status, content_type="application/json")
    if cache:
        response.public_cache_control = cache  # type: ignore[attr-defined]
    return response


def _error(message: str, status: int = 400) -> HttpResponse:
    return _json({"error": message}, status=status)


def _int_param(request: HttpRequest, name: str, *, default: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        if default is None:
            raise BadParameter(f"the parameter {name!r} is required")
        return default
    if not raw.isascii() or not raw.isdigit() or (len(raw) > 1 and raw[0] == "0"):
        raise BadParameter(f"{name} must be a non-negative whole number without leading zeros")
    value = int(raw)
    if value > MAX_INDEX:
        raise BadParameter(f"{name} is too large")
    return value


def _unknown(request: HttpRequest, allowed: set[str]) -> None:
    extra = sorted(set(request.GET) - allowed)
    if extra:
        raise BadParameter(f"unknown parameters: {', '.join(extra)}")


def _params(request: HttpRequest, *names: str) -> list[int]:
    _unknown(request, set(names))
    return [_int_param(request, name) for name in names]


def _within_log(name: str, size: int) -> None:
    """A tree size a proof is asked for: at most the log's size now."""
    current = selectors.log_size()
    if size > current:
        raise BadParameter(f"{name} must be at most the log's size, {current}")


@require_safe
def key(request: HttpRequest) -> HttpResponse:
    return _json(public_key_to_json(verify_key()), cache=KEY)


@require_safe
def sth(request: HttpRequest) -> HttpResponse:
    head = selectors.latest_tree_head()
    if head is None:
        return _error("the log has no signed tree head yet", status=404)
    return _json(head.to_json_dict(), cache=SHORT)


@require_safe
def sths(request: HttpRequest) -> HttpResponse:
    try:
        _unknown(request, {"start"})
        start = _int_param(request, "start", default=0)
    except BadParameter as error:
        return _error(str(error))
    total = selectors.tree_head_count()
    heads = selectors.tree_heads(start)
    full_page = len(heads) == selectors.MAX_TREE_HEADS_PER_PAGE
    return _json(
        {"start": start, "total": total, "tree_heads": [h.to_json_dict() for h in heads]},
        cache=IMMUTABLE if full_page else SHORT,
    )


@require_safe
def entries(request: HttpRequest) -> HttpResponse:
    try:
        start, end = _params(request, "start", "end")
        size = selectors.log_size()
        if start >= end:
            raise BadParameter("start must be smaller than end")
        if start >= size:
            raise BadParameter(f"start must be smaller than the log's size, {size}")
    except BadParameter as error:
        return _error(str(error))
    wanted = min(end, size, start + selectors.MAX_ENTRIES_PER_PAGE) - start
    found = selectors.entries(start, start + wanted)
    complete = len(found) == end - start  # this URL's answer can never change
    return _json(entries_page_to_json(start, found), cache=IMMUTABLE if complete else SHORT)


@require_safe
def inclusion(request: HttpRequest) -> HttpResponse:
    try:
        index, size = _params(request, "index", "size")
        _within_log("size", size)
        if index >= size:
            raise BadParameter("index must be smaller than size")
    except BadParameter as error:
        return _error(str(error))
    proof = selectors.inclusion_proof_for(index, size)
    return _json(proof.to_json_dict(), cache=IMMUTABLE)


@require_safe
def consistency(request: HttpRequest) -> HttpResponse:
    try:
        first, second = _params(request, "first", "second")
        _within_log("second", second)
        if first > second:
            raise BadParameter("first must not be larger than second")
    except BadParameter as error:
        return _error(str(error))
    proof = selectors.consistency_proof_for(first, second)
    return _json(proof.to_json_dict(), cache=IMMUTABLE)


@require_safe
def chart(request: HttpRequest, key: str) -> HttpResponse:
    """A statistics chart of the transparency page (``charts.py``): the same
    bytes for ever under its key, so cached for a year; a 404 for any other key."""
    png = charts.stored_png(key)
    if png is None:
        raise Http404("no such chart")
    response = HttpResponse(png, content_type="image/png")
    response.public_cache_control = IMMUTABLE  # type: ignore[attr-defined]
    return response
