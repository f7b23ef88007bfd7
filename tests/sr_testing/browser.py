"""The browser-test harness: the system Chromium through Playwright, axe-core on every page.

Chromium comes from the operating system (Debian packages `chromium` and
`chromium-driver`), launched by path: nothing is ever downloaded. Every page
the browser loads during a test must be checked by axe-core (`Screen.check`);
a test that loads a page without checking it fails, and so does any request
to a host other than the test server.
"""

from __future__ import annotations

import json
import os
import shutil
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import axe_playwright_python
from playwright.sync_api import Browser, BrowserContext, Page, Route, ViewportSize

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(
    encoding="utf-8"
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def find_chromium() -> str | None:
    explicit = os.environ.get("SAFEREPORT_CHROMIUM")
    if explicit:
        return explicit
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def browser_required() -> bool:
    return os.environ.get("SAFEREPORT_REQUIRE_BROWSER", "") == "1"


@dataclass
class Visits:
    """What the browser loaded, what axe checked, and anything it tried to fetch elsewhere."""

    server: str
    javascript: bool = True
    loaded: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    foreign_requests: list[str] = field(default_factory=list)
    # Wait pages passed on the way (a form sent before its proof of work was ready).
    proof_waits: int = 0

    def watch(self, page: Page) -> None:
        page.on("load", lambda p: self.loaded.append(p.url))
        server_host = urlparse(self.server).netloc

        def route(route: Route) -> None:
            url = route.request.url
            if urlparse(url).netloc == server_host or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                self.foreign_requests.append(url)
                route.abort()

        page.route("**/*", route)

    def unchecked(self) -> list[str]:
        return [url for url in self.loaded if url not in self.checked]


def load_axe_in(context: BrowserContext) -> BrowserContext:
    """Make axe-core part of every document the context opens (an init script,
    compiled by the browser once), instead of sending its 550 KB to each page
    before a check: about half of each check's time. It defines one global,
    ``axe``, and does nothing until it is run. Pages without JavaScript do not
    run it; they are checked in a scratch page that does (``run_axe``)."""
    context.add_init_script(AXE_SOURCE)
    return context


def _axe(page: Page) -> list[dict[str, object]]:
    """axe-core's violations on the page. Only they are computed in full and sent
    back: the passes and inapplicable rules (about 100 KB a page) are not needed."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)  # a context made without load_axe_in
    return list(
        page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']}).then(result => result.violations)",
            AXE_TAGS,
        )
    )


class _Scratch:
    """One page per browser, with the site's scripts blocked, into which a page
    rendered without JavaScript is copied for axe-core (``run_axe``). Made once and
    reused: a new browser context for every check cost about a second under load."""

    def __init__(self, browser: Browser) -> None:
        self.documents: dict[str, str] = {}
        self.page = load_axe_in(browser.new_context()).new_page()
        self.page.route("**/*", self._serve)

    def _serve(self, route: Route) -> None:
        url = route.request.url
        if url in self.documents:
            route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=self.documents.pop(url)
            )
        elif url.endswith(".js"):
            route.abort()
        else:
            route.continue_()

    def check(self, html: str, url: str, viewport: ViewportSize | None) -> list[dict[str, object]]:
        address = urldefrag(url).url  # the browser asks for the document without its fragment
        self.documents[address] = html
        if viewport is not None:
            self.page.set_viewport_size(viewport)
        self.page.goto(address)
        return _axe(self.page)


_scratches: weakref.WeakKeyDictionary[Browser, _Scratch] = weakref.WeakKeyDictionary()


def run_axe(page: Page, *, javascript_disabled: bool = False) -> list[dict[str, object]]:
    """Run axe-core on the page as a person sees it.

    axe-core is itself JavaScript, and does not finish inside a page whose
    scripts are switched off. For such a page, the rendered document is
    copied into a scratch page (same address, so styles load the same way,
    with the site's own scripts blocked) and axe-core runs there: it checks
    exactly the markup a person without JavaScript gets.
    """
    if not javascript_disabled:
        return _axe(page)
    browser = page.context.browser
    assert browser is not None
    scratch = _scratches.get(browser)
    if scratch is None:
        scratch = _scratches[browser] = _Scratch(browser)
    return scratch.check(page.content(), page.url, page.viewport_size)


def describe(violations: list[dict[str, object]]) -> str:
    lines = []
    for v in violations:
        nodes = v.get("nodes", [])
        targets = [n.get("target") for n in nodes][:5]  # type: ignore[union-attr]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {json.dumps(targets)}")
    return "\n".join(lines)


class Screen:
    """Base page object: navigate, then let axe-core check what a person sees."""

    def __init__(self, page: Page, visits: Visits) -> None:
        self.page = page
        self.visits = visits

    def open(self, path: str) -> None:
        self.page.goto(self.visits.server + path)
        self.check()

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        violations = run_axe(self.page, javascript_disabled=not self.visits.javascript)
        assert violations == [], f"axe-core on {self.page.url}:\n{describe(violations)}"
        self.visits.checked.add(self.page.url)
        self._through_proof_wait()

    def _through_proof_wait(self) -> None:
        """A public form sent before its proof of work was ready leads to a short
        wait page (intake/proofs.py). With JavaScript it solves and sends itself;
        without, a person waits the seconds it says and presses Continue."""
        marker = self.page.locator("[data-proof-wait]")
        if marker.count() == 0:
            return
        self.visits.proof_waits += 1
        if self.visits.javascript:
            marker.wait_for(state="detached")
        else:
            seconds = int(marker.get_attribute("data-proof-wait") or "0")
            self.page.wait_for_timeout(seconds * 1000 + 250)
            self.page.locator("main form[data-proof-autosend] button[type=submit]").click()
        self.check()
