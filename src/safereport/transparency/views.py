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
                EventKind.IMMIGRATION_REQUEST_REFUSED.value
            ),
            "tables": statistics.published(),
            "epsilon": statistics.EPSILON,
            "site_url": request.build_absolute_uri("/"),
        },
    )
