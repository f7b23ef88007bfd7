"""The public transparency page, under /<lang>/transparency/. Works without JavaScript."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safereport.core.events import EventKind
from safereport.core.ledger import public_key_to_json
from safereport.core.policy import policy_hash, policy_text
from safereport.transparency import selectors, statistics
from safereport.transparency.actions import last_recorded_policy_hash, verify_key


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    """The log's newest signed head, its exact count of refused immigration
    requests, the policy record and the statistics' release stamp are read on
    every request, and the content is rendered once for each combination of
    them (and language) and then served from the cache. The statistics
    section, with its charts, is rendered once per release and language
    (``statistics.published`` is called by the template only then)."""
    head = selectors.latest_tree_head()
    recorded = last_recorded_policy_hash()
    current_hash = policy_hash()
    return render(
        request,
        "transparency/page.html",
        {
            "head": head,
            "head_time": (
                dt.datetime.fromtimestamp(head.timestamp_ms / 1000, tz=dt.UTC) if head else None
            ),
            "key": public_key_to_json(verify_key()),
            "policy_text": policy_text(),
            "policy_hash": current_hash,
            "policy_recorded": recorded is not None and recorded.hex() == current_hash,
            "immigration_refused": selectors.count_of_kind(
                EventKind.IMMIGRATION_REQUEST_REFUSED.value, head
            ),
            "statistics_stamp": statistics.release_stamp(),
            "statistics_seconds": STATISTICS_CACHE_SECONDS,
            "page_seconds": PAGE_CACHE_SECONDS,
            "tables": statistics.published,  # called by the template on a cache miss only
            "epsilon": statistics.EPSILON,
            "site_url": request.build_absolute_uri("/"),
        },
    )


# What the page caches is never stale: the key of the statistics section
# changes with every release, the key of the page's content with every signed
# tree head, count and policy record it shows (page.html). These only let
# sections no longer shown leave the cache.
STATISTICS_CACHE_SECONDS = 24 * 60 * 60
PAGE_CACHE_SECONDS = 10 * 60
