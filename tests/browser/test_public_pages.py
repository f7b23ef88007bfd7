"""Public pages in a real browser: accessible, in every language, with and without JavaScript."""

from __future__ import annotations

import pytest
from pages import PublicPage


@pytest.mark.parametrize("width", [360, 1280])
def test_public_pages_pass_axe_in_each_language_without_javascript(nojs_page, width):
    page, visits = nojs_page
    page.set_viewport_size({"width": width, "height": 900})
    public = PublicPage(page, visits)
    for code, direction in [("en", "ltr"), ("es", "ltr"), ("ar", "rtl"), ("ur", "rtl")]:
        public.open(f"/{code}/")
        assert public.html_lang_dir() == (code, direction)
        public.open(f"/{code}/your-rights/")


def test_language_switcher_works_without_javascript(nojs_page):
    page, visits = nojs_page
    public = PublicPage(page, visits)
    public.open("/en/your-rights/")
    public.switch_language("العربية")
    assert page.url.endswith("/ar/your-rights/")
    assert public.html_lang_dir() == ("ar", "rtl")


def test_quick_exit_replaces_the_page_in_history(browser_page, live_server):
    page, visits = browser_page
    public = PublicPage(page, visits)
    public.open("/en/")
    public.open("/en/your-rights/")
    # Point the exit at a page of the test server, so nothing leaves the machine.
    page.evaluate(
        "url => document.querySelector('[data-quick-exit]').setAttribute('href', url)",
        live_server.url + "/en/?left=1",
    )
    page.get_by_role("link", name="Leave this site now").click()
    page.wait_for_url("**/en/?left=1")
    public.check()
    page.go_back()
    public.check()
    # Back skips the page the person left from.
    assert page.url.endswith("/en/")
