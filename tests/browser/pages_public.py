"""Page objects for the public pages in every language (issue 7)."""

from __future__ import annotations

from playwright.sync_api import Page, Response

from sr_testing.browser import Screen, Visits

# What a person sees of focus must be visible: an outline or a ring drawn by box-shadow.
FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.getAttribute('aria-label') || el.value || '').trim().slice(0, 60),
    href: el.getAttribute('href'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    ring: style.boxShadow !== 'none',
  };
}"""


class PublicScreen(Screen):
    """Any public page: header with quick exit and languages, footer with the promise."""

    def __init__(self, page: Page, visits: Visits) -> None:
        super().__init__(page, visits)

    def lang_dir(self) -> tuple[str | None, str | None]:
        html = self.page.locator("html")
        return html.get_attribute("lang"), html.get_attribute("dir")

    def quick_exit(self):  # type: ignore[no-untyped-def]
        return self.page.locator("[data-quick-exit]")

    def point_quick_exit_at(self, url: str) -> None:
        """Send the exit to a page of the test server, so nothing leaves the machine."""
        self.page.evaluate(
            "url => document.querySelector('[data-quick-exit]').setAttribute('href', url)", url
        )

    def language_links(self) -> dict[str, str]:
        links = self.page.locator("nav.languages a")
        return {
            links.nth(i).get_attribute("hreflang") or "": links.nth(i).get_attribute("href") or ""
            for i in range(links.count())
        }

    def switch_language(self, code: str) -> None:
        self.page.locator(f'nav.languages [data-language="{code}"]').click()
        self.check()

    def focused(self) -> dict[str, object] | None:
        return self.page.evaluate(FOCUS_STYLE_JS)  # type: ignore[no-any-return]

    def stored_in_browser(self) -> dict[str, object]:
        """What this origin keeps in the browser besides cookies."""
        return self.page.evaluate(  # type: ignore[no-any-return]
            "() => ({local: window.localStorage.length, session: window.sessionStorage.length})"
        )


def document_cache_headers(page: Page) -> list[tuple[str, str | None]]:
    """A list that fills, as the page loads documents, with each one's address
    and Cache-Control header (stylesheets, scripts and images left out)."""
    documents: list[tuple[str, str | None]] = []

    def seen(response: Response) -> None:
        if response.request.resource_type == "document":
            documents.append((response.url, response.headers.get("cache-control")))

    page.on("response", seen)
    return documents


def public_page_paths(screen: Screen, language: str) -> list[str]:
    """The public pages of one language that show a page to GET (form-only URLs skipped).

    Asked through the browser context's own request client (same cookies), so
    nothing is loaded into the page that would need an axe-core check.
    """
    from i18n.public_site import is_page, public_paths

    found = []
    for path in public_paths(language):
        response = screen.page.request.get(screen.visits.server + path, max_redirects=0)
        if is_page(response.status):
            found.append(path)
    return found


# The reporter journey, driven by field names so that it reads the same in every language.
JOURNEY_ANSWERS: list[tuple[str, dict[str, str]]] = [
    ("kind", {"crime_type": "domestic_abuse"}),
    ("what-happened", {"what": "He shouted and took my phone.", "when": "Friday"}),
    ("person", {"who": "My husband"}),
    ("what-you-want", {"wants": "support_only"}),
    ("safe-contact", {}),
    ("about-you", {}),
    ("attachments", {}),
    ("area", {}),
]


class JourneyScreen(PublicScreen):
    """The journey without relying on any English label: field names and form structure."""

    def answer(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            field = self.page.locator(f'main form [name="{name}"]')
            kind = field.first.get_attribute("type")
            tag = field.first.evaluate("el => el.tagName.toLowerCase()")
            if kind == "radio":
                self.page.locator(f'main form [name="{name}"][value="{value}"]').check()
            elif kind == "checkbox":
                field.first.check()
            elif tag == "select":
                field.first.select_option(value)
            else:
                field.first.fill(value)

    def submit(self) -> None:
        self.page.locator("main form[method=post] button[type=submit]").first.click()
        self.check()

    def choose_first_organisation(self) -> str:
        choice = self.page.locator('main form input[name="organisation"]').first
        choice.check()
        return choice.get_attribute("value") or ""

    def send_report(self) -> None:
        self.page.locator('main form[action$="/report/submit/"] button[type=submit]').click()
        self.check()

    def passphrase(self) -> str:
        return self.page.locator("[data-passphrase]").inner_text().strip()

    def field_value(self, name: str) -> str:
        return self.page.locator(f'main form [name="{name}"]').first.input_value()

    def back(self) -> None:
        self.page.locator("main a.back-link").click()
        self.check()


class KeyboardUser:
    """Moves through a page with Tab, Shift+Tab, arrows, Space and Enter only."""

    def __init__(self, screen: PublicScreen) -> None:
        self.screen = screen
        self.page = screen.page
        self.stops: list[dict[str, object]] = []

    def tab_to(self, selector: str, *, limit: int = 80) -> None:
        """Press Tab until the focused element matches; every stop must show its focus."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            focused = self.screen.focused()
            assert focused is not None, "focus left the page"
            assert focused["outline"] or focused["ring"], f"focus not visible on {focused}"
            self.stops.append(focused)
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{selector} cannot be reached with Tab on {self.page.url}")

    def choose_radio(self, name: str, value: str) -> None:
        self.tab_to(f'input[type=radio][name="{name}"]')
        for _ in range(20):
            if self.page.evaluate("() => document.activeElement.value") == value:
                break
            self.page.keyboard.press("ArrowDown")
        self.page.keyboard.press("Space")
        assert self.page.locator(f'input[name="{name}"][value="{value}"]').is_checked()

    def type_into(self, name: str, text: str) -> None:
        self.tab_to(f'[name="{name}"]')
        self.page.keyboard.type(text)

    def press_enter_on(self, selector: str) -> None:
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.screen.check()
