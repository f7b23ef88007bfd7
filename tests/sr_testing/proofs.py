"""Solving the public forms' proofs of work, as a browser's proof.js does.

The test client has no JavaScript: these helpers read the challenge a page
carries and solve it with the core's reference solver (the same puzzle the
server checks), so tests go through the real issue → solve → check → spend
path. Test settings lower the base difficulty (tests/conftest.py), never the
code path.
"""

from __future__ import annotations

import html
import re
from typing import Any

from django.test import Client

from safereport.core.pow import solve

_FIELD = re.compile(r'name="(pow_challenge|pow_ticket)" value="([^"]+)"')


def fields_in(page: str) -> dict[str, str]:
    """The challenge and ticket a page's form carries."""
    found = dict(_FIELD.findall(page))
    assert "pow_challenge" in found, "the page carries a proof-of-work challenge"
    return found


def bits_of(challenge: str) -> int:
    return int(challenge.split(".")[3])


def solved(page: str) -> dict[str, str]:
    """The proof fields of ``page``'s form, with the challenge solved."""
    challenge = fields_in(page)["pow_challenge"]
    return {"pow_challenge": challenge, "pow_solution": str(solve(challenge, bits_of(challenge)))}


def post_with_proof(
    client: Client, url: str, data: dict[str, Any], *, page: str | None = None, **extra: Any
) -> Any:
    """POST ``data`` to ``url`` as a browser with JavaScript would: with the
    solved proof from the form on ``page`` (default: the same URL, fetched
    now) when that form carries one (a step of a report already started does not)."""
    html_page = client.get(page or url).content.decode()
    proof = solved(html_page) if _FIELD.search(html_page) else {}
    return client.post(url, {**data, **proof}, **extra)


_CARRIED = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def post_through_wait(client: Client, url: str, data: dict[str, Any]) -> Any:
    """POST without a proof, as a form without one would, get the wait page,
    and send what it carries again with its challenge solved (what proof.js
    does on that page)."""
    wait = client.post(url, data)
    assert wait.status_code == 200, wait.content[:2000]
    page = wait.content.decode()
    carried: dict[str, list[str]] = {}
    for name, value in _CARRIED.findall(page):
        if name not in ("pow_challenge", "pow_solution", "pow_ticket", "csrfmiddlewaretoken"):
            carried.setdefault(name, []).append(html.unescape(value))
    return client.post(url, {**carried, **solved(page)})
