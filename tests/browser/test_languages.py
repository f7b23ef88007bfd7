"""The public side in six languages, in a real browser.

- the reporter journey walked to the receipt in every language, JavaScript
  off in Spanish and Arabic, on in the others; on every page lang/dir are
  checked and no English is left (compared with the same page in English,
  and against every English string of the catalogues);
- switching language in the middle of the journey keeps the draft;
- quick exit with and without JavaScript; Back does not return;
- Cache-Control: no-store on every page the browser loads; nothing kept in
  the browser but the public session cookie.
"""

from __future__ import annotations

import polib
import pytest
from django.conf import settings
from pages_public import JOURNEY_ANSWERS, JourneyScreen, PublicScreen, document_cache_headers

from i18n.public_site import (
    all_languages,
    catalogue_files,
    catalogue_language,
    is_public_entry,
    untranslated_texts,
)
from safereport.accounts.demo import seed_demo
from safereport.accounts.models import Organisation
from safereport.cases.models import Report

NO_JAVASCRIPT = {"es", "ar"}  # the journey is walked with JavaScript off in these


def _direction(language: str) -> str:
    return "rtl" if language in settings.LANGUAGES_BIDI else "ltr"


def _typed_by_staff() -> set[str]:
    """Texts that come from the database (organisation names, descriptions, areas)."""
    texts: set[str] = set()
    for org in Organisation.objects.all():
        texts.update({org.name, " ".join(org.description.split()), *org.areas})
    return {t for t in texts if t}


def _english_sentences(language: str) -> list[str]:
    """English public strings that the language's catalogue translates differently."""
    found = []
    for path in catalogue_files():
        if catalogue_language(path) != language:
            continue
        for e in polib.pofile(str(path)):
            if not is_public_entry(e) or "%" in e.msgid or "{" in e.msgid:
                continue
            if e.msgstr and e.msgstr != e.msgid and len(e.msgid.split()) >= 3:
                found.append(" ".join(e.msgid.split()))
    return found


class LanguageChecker:
    def __init__(self, screen: PublicScreen, language: str) -> None:
        self.screen = screen
        self.language = language
        # Data typed by staff, and the answers the walk itself types: shown as typed.
        typed = {v for _, values in JOURNEY_ANSWERS for v in values.values()}
        self.allowed = _typed_by_staff() | typed
        self.english = _english_sentences(language) if language != "en" else []
        self.pages = 0

    def __call__(self) -> None:
        page = self.screen.page
        assert self.screen.lang_dir() == (self.language, _direction(self.language)), page.url
        self.pages += 1
        if self.language == "en":
            return
        html = page.content()
        text = " ".join(page.locator("body").inner_text().split())
        left = [s for s in self.english if s in text]
        assert left == [], f"English left on {page.url}: {left}"
        # The same page in English, when it can be fetched again (not a form's answer).
        path = page.url.removeprefix(self.screen.visits.server)
        english = page.request.get(
            self.screen.visits.server + path.replace(f"/{self.language}/", "/en/", 1)
        )
        if english.ok and english.url.endswith(path.replace(f"/{self.language}/", "/en/", 1)):
            found = untranslated_texts(english.text(), html, self.language)
            found = [t for t in found if t not in self.allowed]
            assert found == [], f"untranslated on {page.url}: {found}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", all_languages())
def test_the_journey_in_every_language(request, language):
    fixture = "nojs_page" if language in NO_JAVASCRIPT else "browser_page"
    page, visits = request.getfixturevalue(fixture)
    seed_demo()
    page.set_viewport_size({"width": 360, "height": 800})
    journey = JourneyScreen(page, visits)
    checked = LanguageChecker(journey, language)

    journey.open(f"/{language}/")
    checked()
    page.locator(f'main a[href="/{language}/report/"]').first.click()
    journey.check()
    checked()
    page.locator(f'main a[href="/{language}/report/kind/"]').click()
    journey.check()
    for slug, values in JOURNEY_ANSWERS:
        assert page.url.endswith(f"/{language}/report/{slug}/"), page.url
        checked()
        journey.answer(values)
        journey.submit()
    assert page.url.endswith(f"/{language}/report/organisation/")
    checked()
    journey.choose_first_organisation()
    journey.submit()
    assert page.url.endswith(f"/{language}/report/review/")
    checked()
    journey.send_report()
    checked()
    assert len(journey.passphrase().split()) == 8
    assert Report.objects.count() == 1
    assert checked.pages >= len(JOURNEY_ANSWERS) + 5
    assert visits.foreign_requests == []


@pytest.mark.django_db(transaction=True)
def test_enter_in_a_field_continues_and_never_changes_the_language(nojs_page):
    page, visits = nojs_page
    seed_demo()
    journey = JourneyScreen(page, visits)
    journey.open("/ar/report/kind/")
    journey.answer({"crime_type": "domestic_abuse"})
    journey.submit()
    journey.answer({"what": "ضربني", "when": "الجمعة"})
    page.locator('main form [name="when"]').press("Enter")
    journey.check()
    assert page.url.endswith("/ar/report/person/")  # the next question, still in Arabic
    assert journey.lang_dir() == ("ar", "rtl")


@pytest.mark.django_db(transaction=True)
def test_switching_language_mid_journey_keeps_the_draft(nojs_page):
    page, visits = nojs_page
    seed_demo()
    journey = JourneyScreen(page, visits)
    journey.open("/es/report/kind/")
    journey.answer({"crime_type": "domestic_abuse"})
    journey.submit()
    journey.answer({"what": "Me gritó y me quitó el teléfono.", "when": "el viernes"})
    journey.submit()
    assert page.url.endswith("/es/report/person/")
    # Typed, not sent: the language choices are buttons of the question's form,
    # so the text goes along (no JavaScript) and the same question comes back.
    journey.answer({"who": "Mi pareja"})
    journey.switch_language("ar")
    assert page.url.endswith("/ar/report/person/")
    assert journey.lang_dir() == ("ar", "rtl")
    assert journey.field_value("who") == "Mi pareja"
    journey.back()
    assert page.url.endswith("/ar/report/what-happened/")
    assert journey.field_value("what") == "Me gritó y me quitó el teléfono."
    assert journey.field_value("when") == "el viernes"
    journey.switch_language("ur")
    journey.back()
    assert page.url.endswith("/ur/report/kind/")
    assert page.locator('input[name="crime_type"][value="domestic_abuse"]').is_checked()
    assert visits.foreign_requests == []


def test_quick_exit_without_javascript_is_a_plain_link(nojs_page, live_server):
    page, visits = nojs_page
    screen = PublicScreen(page, visits)
    screen.open("/ur/your-rights/")
    assert screen.quick_exit().get_attribute("href") == settings.QUICK_EXIT_URL
    screen.point_quick_exit_at(live_server.url + "/en/?left=1")
    screen.quick_exit().click()
    page.wait_for_url("**/en/?left=1")
    screen.check()


def test_quick_exit_with_escape_twice_and_back_does_not_return(browser_page, live_server):
    page, visits = browser_page
    screen = PublicScreen(page, visits)
    screen.open("/tl/")
    # Moving between pages by links replaces the history entry: one entry for the whole visit.
    page.locator('main a[href="/tl/your-rights/"]').click()
    page.wait_for_url("**/tl/your-rights/")
    screen.check()
    assert page.evaluate("() => history.length") == 2  # the blank tab, then this site
    screen.point_quick_exit_at(live_server.url + "/en/?left=1")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("**/en/?left=1")
    screen.check()
    page.go_back()
    # Back leads to what came before the site (the blank tab), not to a page of it.
    assert page.url == "about:blank"
    visits.loaded.remove("about:blank")  # the browser's own empty page: nothing to check


def test_quick_exit_button_hides_the_page_at_once(browser_page, live_server):
    page, visits = browser_page
    screen = PublicScreen(page, visits)
    screen.open("/ar/")
    screen.point_quick_exit_at(live_server.url + "/en/?left=1")
    # Click, and read what the person sees in the same task, before the next page arrives.
    seen = page.evaluate(
        """() => {
            document.querySelector('[data-quick-exit]').click();
            return {
                leaving: document.documentElement.classList.contains('leaving'),
                display: getComputedStyle(document.body).display,
                title: document.title,
            };
        }"""
    )
    assert seen == {"leaving": True, "display": "none", "title": ""}
    page.wait_for_url("**/en/?left=1")
    screen.check()


def test_a_single_escape_does_not_leave(browser_page):
    page, visits = browser_page
    screen = PublicScreen(page, visits)
    screen.open("/en/your-rights/")
    page.keyboard.press("Escape")
    page.wait_for_timeout(1200)
    page.keyboard.press("Escape")  # too late to count as a double press
    page.wait_for_timeout(300)
    assert page.url.endswith("/en/your-rights/")


@pytest.mark.django_db(transaction=True)
def test_every_page_is_no_store_and_nothing_stays_in_the_browser(browser_page, live_server):
    page, visits = browser_page
    seed_demo()
    screen = JourneyScreen(page, visits)
    documents = document_cache_headers(page)
    # Every public page in every language is checked for both by
    # test_accessibility.py::test_every_public_page_passes_axe; here, the
    # demo's start page in two scripts, and part of the journey: a draft
    # lives on the server, never in the browser.
    stored = []
    for path in ["/en/", "/ar/", "/en/report/"]:
        screen.open(path)
        stored.append(screen.stored_in_browser())
    screen.open("/en/report/kind/")
    screen.answer({"crime_type": "domestic_abuse"})
    screen.submit()
    screen.answer({"what": "Something happened at work."})
    screen.submit()
    stored.append(screen.stored_in_browser())

    assert len(documents) >= 6
    assert [url for url, cache in documents if cache != "no-store"] == []
    assert all(s == {"local": 0, "session": 0} for s in stored), stored
    cookies = page.context.cookies()
    # The session, and the key that seals the draft in the shared store (custody).
    assert {c["name"] for c in cookies} <= {
        settings.PUBLIC_SESSION_COOKIE_NAME,
        settings.PUBLIC_KEY_COOKIE_NAME,
    }
    assert settings.PUBLIC_KEY_COOKIE_NAME in {c["name"] for c in cookies}  # a draft was made
    for cookie in cookies:
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert cookie["expires"] == -1, "a session cookie, gone when the browser closes"
