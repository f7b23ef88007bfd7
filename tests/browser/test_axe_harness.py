"""The harness's axe-core check finds violations, with and without JavaScript.

Every browser test leans on ``run_axe``; these tests show that it can fail: a
page with an image without a text alternative and a button without a name is
reported, in the page itself (axe-core loaded with every document, or sent
before the check) and through the scratch page that pages rendered
without JavaScript are copied into (reused between checks, so each check must
see its own document, whatever its fragment).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Route

from sr_testing.browser import load_axe_in, run_axe

GOOD = (
    '<!doctype html><html lang="en"><head><title>Fine</title></head>'
    "<body><main><h1>Fine</h1><p>Nothing wrong here.</p></main></body></html>"
)
BAD = (
    '<!doctype html><html lang="en"><head><title>Broken</title></head>'
    '<body><main><h1>Broken</h1><img src="/static/none.png">'
    "<button></button></main></body></html>"
)


def _rule_ids(violations: list[dict[str, object]]) -> set[str]:
    return {str(v["id"]) for v in violations}


@pytest.mark.parametrize(
    ("javascript", "preloaded"),
    [(True, True), (True, False), (False, False)],
    ids=["javascript-axe-preloaded", "javascript-axe-sent", "no-javascript"],
)
def test_axe_reports_what_is_wrong_and_only_that(chromium, live_server, javascript, preloaded):
    context = chromium.new_context(java_script_enabled=javascript)
    if preloaded:
        load_axe_in(context)
    page = context.new_page()
    documents = {"/axe-harness/good/": GOOD, "/axe-harness/bad/": BAD}

    def serve(route: Route) -> None:
        path = "/" + route.request.url.split("/", 3)[3].split("#")[0]
        if path in documents:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=documents[path])
        else:
            route.fulfill(status=404, body="")

    page.route("**/*", serve)
    try:
        # The same address twice with another fragment and another document: the
        # scratch page must check the second document, not keep the first.
        for path, expected in [
            ("/axe-harness/bad/#first", {"image-alt", "button-name"}),
            ("/axe-harness/good/", set()),
            ("/axe-harness/bad/#second", {"image-alt", "button-name"}),
        ]:
            page.goto(live_server.url + path)
            found = _rule_ids(run_axe(page, javascript_disabled=not javascript))
            assert expected <= found, (path, found)
            if not expected:
                assert found == set(), (path, found)
        # The same address again with a mended document: the page is loaded anew,
        # and so is the scratch page at the address it is already showing.
        documents["/axe-harness/bad/"] = GOOD
        page.reload()
        assert run_axe(page, javascript_disabled=not javascript) == []
    finally:
        context.close()
