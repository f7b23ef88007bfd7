"""axe-core (WCAG 2.2 A and AA) on every public page, in every language, at 360 and 1280 px.

Every page is opened through ``Screen.open``, which runs axe-core and fails on
any violation; the fixtures fail a test that loads a page without a check or
that asks anything of another host. The public pages are found by walking the
URL tree (tests/i18n/public_site.py), so new pages are covered when mounted.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from pages_public import (
    JourneyScreen,
    KeyboardUser,
    PublicScreen,
    document_cache_headers,
    public_page_paths,
)

from i18n.public_site import all_languages
from safereport.accounts.demo import seed_demo
from safereport.cases.models import Report
from sr_testing.browser import Visits

WIDTHS = [360, 1280]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", all_languages())
def test_every_public_page_passes_axe(browser_page, language, width):
    """The one walk over every public page of a language (at each width), so it
    also checks what every page must do: ask nothing of another host (the
    fixture's watcher, shown to work below), be sent ``Cache-Control: no-store``,
    and keep nothing in the browser's storage."""
    page, visits = browser_page
    page.set_viewport_size({"width": width, "height": 800})
    documents = document_cache_headers(page)
    screen = PublicScreen(page, visits)
    direction = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
    paths = public_page_paths(screen, language)
    for path in paths:
        screen.open(path)  # axe-core runs here and fails the test on any violation
        assert screen.lang_dir() == (language, direction), path
        # Nothing wider than the screen: no sideways scrolling on a small phone.
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} at {width}px is {overflow}px too wide"
        assert screen.stored_in_browser() == {"local": 0, "session": 0}, path
    assert len(visits.checked) >= 3
    assert len(documents) >= len(paths)
    assert [url for url, cache in documents if cache != "no-store"] == []
    assert visits.foreign_requests == []


@pytest.mark.parametrize("language", ["es", "ar"])
def test_public_pages_pass_axe_without_javascript(nojs_page, language):
    page, visits = nojs_page
    page.set_viewport_size({"width": 360, "height": 800})
    screen = PublicScreen(page, visits)
    for path in public_page_paths(screen, language):
        screen.open(path)
    assert visits.foreign_requests == []


def test_no_public_page_requests_anything_from_another_host(browser_page, live_server):
    """The watcher that every browser test's fixture uses sees a request to another
    host, so a public page that made one would fail its test; every public page in
    every language is opened under it by ``test_every_public_page_passes_axe``."""
    page, visits = browser_page
    screen = PublicScreen(page, visits)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    screen.open("/en/")
    # An image or script from elsewhere would not even be asked for: the
    # Content-Security-Policy stops it in the browser first; a navigation is not
    # covered by that policy, so it is the probe here, in a page of its own.
    probe_page = page.context.new_page()
    probe = Visits(server=visits.server)
    probe.watch(probe_page)
    probe_page.goto(visits.server + "/en/")
    probe_page.evaluate("() => { window.location.href = 'http://third-party.invalid/'; }")
    probe_page.wait_for_timeout(500)
    assert "http://third-party.invalid/" in probe.foreign_requests
    probe_page.close()
    # The page, the stylesheet, the script and the icon: all from the test server.
    assert len(requests) >= 3
    assert [url for url in requests if not url.startswith(live_server.url)] == []
    assert visits.foreign_requests == []


def test_keyboard_only_reaches_the_rights_page_with_focus_always_visible(browser_page):
    page, visits = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    screen = PublicScreen(page, visits)
    screen.open("/en/")
    # The first Tab lands on the skip link; Enter moves to the main content.
    page.keyboard.press("Tab")
    first = screen.focused()
    assert first is not None and first["href"] == "#main"
    assert first["outline"] or first["ring"], first
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # Tab on through the page to the rights link; every stop shows where focus is.
    target = None
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = screen.focused()
        assert focused is not None
        assert focused["outline"] or focused["ring"], f"focus not visible on {focused}"
        if focused["href"] and str(focused["href"]).endswith("/your-rights/"):
            target = focused
            break
    assert target is not None, "the rights link cannot be reached with the keyboard"
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/your-rights/")
    screen.check()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Your rights")
    # The quick exit is reachable too, early in the order, before the page's content.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = screen.focused()
    assert focused is not None and focused["text"] == "Leave this site now"


SUBMIT = "main form[method=post] button[type=submit]"


@pytest.mark.django_db(transaction=True)
def test_keyboard_only_completes_the_journey(browser_page):
    """Home page to receipt with Tab, arrows, Space, Enter and typing; no mouse."""
    page, visits = browser_page
    seed_demo()
    page.set_viewport_size({"width": 360, "height": 800})
    screen = JourneyScreen(page, visits)
    keys = KeyboardUser(screen)
    screen.open("/en/")
    keys.press_enter_on('main a[href="/en/report/"]')
    keys.press_enter_on('main a[href="/en/report/kind/"]')
    keys.choose_radio("crime_type", "domestic_abuse")
    keys.press_enter_on(SUBMIT)
    keys.type_into("what", "He shouted at me and took my phone.")
    keys.press_enter_on(SUBMIT)
    keys.press_enter_on(SUBMIT)  # the person responsible: optional
    keys.choose_radio("wants", "support_only")
    keys.press_enter_on(SUBMIT)
    for slug in ("safe-contact", "about-you", "attachments", "area"):
        assert page.url.endswith(f"/en/report/{slug}/")
        keys.press_enter_on(SUBMIT)
    first = page.locator('input[name="organisation"]').first.get_attribute("value") or ""
    keys.choose_radio("organisation", first)
    keys.press_enter_on(SUBMIT)
    assert page.url.endswith("/en/report/review/")
    keys.press_enter_on('main form[action$="/report/submit/"] button[type=submit]')
    assert len(screen.passphrase().split()) == 8
    assert Report.objects.count() == 1
    assert len(keys.stops) > 20


def _check_error_links(page) -> int:  # type: ignore[no-untyped-def]
    """Each link of the error summary leads to its field, and the field (or its group)
    names the error message with aria-describedby. Returns how many links were checked."""
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    links = summary.locator("a[href^='#']")
    assert links.count() >= 1
    for i in range(links.count()):
        target_id = (links.nth(i).get_attribute("href") or "#")[1:]
        field = page.locator(f"[id='{target_id}']")
        assert field.count() == 1, f"the error link points at nothing: #{target_id}"
        described = field.evaluate(
            """el => {
                const group = el.closest('fieldset');
                const own = el.getAttribute('aria-describedby') || '';
                return (own + ' ' + (group ? group.getAttribute('aria-describedby') || '' : ''));
            }"""
        ).split()
        errors = [d for d in described if d.endswith("-error")]
        assert errors, f"#{target_id} does not point to its error message"
        message = page.locator(f"[id='{errors[0]}']").inner_text().strip()
        assert message and message in links.nth(i).inner_text()
    return int(links.count())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_error_messages_are_linked_to_their_fields(request, language):
    """A choice left empty: the summary links to the group, which names its message."""
    fixture = "nojs_page" if language == "ar" else "browser_page"
    page, visits = request.getfixturevalue(fixture)
    seed_demo()
    screen = JourneyScreen(page, visits)
    screen.open(f"/{language}/report/kind/")
    screen.submit()  # nothing chosen
    assert _check_error_links(page) == 1
    assert page.title().startswith("Error" if language == "en" else "خطأ")


@pytest.mark.django_db(transaction=True)
def test_text_field_errors_are_linked_to_their_fields(browser_page):
    page, visits = browser_page
    seed_demo()
    screen = JourneyScreen(page, visits)
    screen.open("/en/report/kind/")
    screen.answer({"crime_type": "domestic_abuse"})
    screen.submit()
    screen.answer({"when": "Friday"})
    screen.submit()  # "what happened" is missing
    assert screen.field_value("when") == "Friday"  # what was typed is kept
    _check_error_links(page)
