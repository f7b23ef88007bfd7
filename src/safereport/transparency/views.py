"""The public transparency page, under /<lang>/transparency/. Works without JavaScript."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from safereport.core.events import EventKind
from safereport.core.ledger import EntryError, SignedTreeHead, decode_entry, public_key_to_json
from safereport.core.policy.firewall import hash_policy_text, policy_text
from safereport.transparency import selectors, statistics
from safereport.transparency.actions import verify_key


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    """What can change on the page (the newest signed head, the policy
    record, the statistics' release stamp) is read in one query on every
    request; the page is rendered once for each combination of them (and
    language and host) and then served whole from the cache. Everything else
    the content shows is read only then, through ``Facts``. The statistics
    section, with its charts' URLs, is itself cached once per release and
    language (``statistics.published`` is called by the template only then).

    Only a visitor without a session gets, and fills, the whole cached page:
    a session may hold a notice for its visitor alone (the messages the base
    template shows), which must never be served to anyone else. Such a
    visitor, or an address with a query string, gets the page rendered
    around its cached content."""
    state = selectors.page_state()
    text = policy_text()
    current_hash = hash_policy_text(text)
    key = public_key_to_json(verify_key())
    recorded = _recorded_hash(state.policy_record) == current_hash
    site_url = request.build_absolute_uri("/")
    shared = not request.GET and settings.PUBLIC_SESSION_COOKIE_NAME not in request.COOKIES
    if shared:
        whole = _page_key(
            translation.get_language(), site_url, state, current_hash, recorded, key["key_id"]
        )
        html = cache.get(whole)
        if html is not None:
            return HttpResponse(html)
    response = render(
        request,
        "transparency/page.html",
        {
            "state": state,
            "head_root": state.head_root.hex() if state.head_root else "",
            "facts": Facts(state),
            "key": key,
            "policy_text": text,
            "policy_hash": current_hash,
            "policy_recorded": recorded,
            "statistics_seconds": STATISTICS_CACHE_SECONDS,
            "page_seconds": PAGE_CACHE_SECONDS,
            "tables": statistics.published,  # called by the template on a cache miss only
            "epsilon": statistics.EPSILON,
            "site_url": site_url,
        },
    )
    if shared:
        cache.set(whole, response.content.decode("utf-8"), PAGE_CACHE_SECONDS)
    return response


def _page_key(*parts: object) -> str:
    named = "\x1f".join(str(part) for part in parts)
    return "transparency-page:" + hashlib.sha256(named.encode("utf-8")).hexdigest()


class Facts:
    """What the page's content shows of the log, read when it is rendered (a
    cache miss) and then never again for the same ``PageState``."""

    def __init__(self, state: selectors.PageState) -> None:
        self.state = state

    @functools.cached_property
    def head(self) -> SignedTreeHead | None:
        size = self.state.head_size
        return None if size is None else selectors.tree_head_of_size(size)

    @functools.cached_property
    def head_time(self) -> dt.datetime | None:
        head = self.head
        return dt.datetime.fromtimestamp(head.timestamp_ms / 1000, tz=dt.UTC) if head else None

    @functools.cached_property
    def immigration_refused(self) -> int:
        """Exact: entries of the kind among those the head covers."""
        head = self.head
        kind = EventKind.IMMIGRATION_REQUEST_REFUSED.value
        return 0 if head is None else selectors.count_of_kind(kind, head)


@functools.lru_cache(maxsize=8)
def _recorded_hash(record: bytes | None) -> str | None:
    """The policy hash a ``firewall_policy_recorded`` entry's bytes carry, as hex."""
    if record is None:
        return None
    try:
        digest = decode_entry(record).policy_hash
    except EntryError:
        return None  # a changed entry records nothing; verify names it
    return None if digest is None else digest.hex()


# What the page caches is never stale: the key of the statistics section
# changes with every release, the key of the page's content with every signed
# tree head and policy record it shows (page.html). These only let
# sections no longer shown leave the cache.
STATISTICS_CACHE_SECONDS = 24 * 60 * 60
PAGE_CACHE_SECONDS = 10 * 60
