"""Browser fixtures. Without Chromium these tests skip with the reason, except in CI."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from sr_testing.browser import (
    CHROMIUM_ARGS,
    Visits,
    browser_required,
    find_chromium,
    load_axe_in,
)
from sr_testing.worker import start_worker  # noqa: F401 - a fixture (a real worker process)

# Playwright's sync API runs an event loop in this thread; the Django ORM calls
# made by test code around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    path = find_chromium()
    if path is None:
        reason = (
            "Chromium is not installed (looked for /usr/bin/chromium). Install the Debian "
            "packages `chromium` and `chromium-driver` to run the browser tests."
        )
        if browser_required():
            pytest.fail(reason + " SAFEREPORT_REQUIRE_BROWSER=1 makes this a failure.")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _context_page(chromium, live_server, *, javascript: bool, width: int = 1280):  # type: ignore[no-untyped-def]
    context = load_axe_in(
        chromium.new_context(
            java_script_enabled=javascript,
            viewport={"width": width, "height": 900},
            locale="en-GB",
        )
    )
    page = context.new_page()
    visits = Visits(server=live_server.url, javascript=javascript)
    visits.watch(page)
    return context, page, visits


@pytest.fixture
def browser_page(chromium, live_server) -> Iterator[tuple]:  # type: ignore[type-arg]
    """A page with JavaScript on.

    Teardown fails the test for unchecked pages or requests outside the server.
    """
    yield from _checked_page(chromium, live_server, javascript=True)


@pytest.fixture
def nojs_page(chromium, live_server) -> Iterator[tuple]:  # type: ignore[type-arg]
    """The same, with JavaScript switched off."""
    yield from _checked_page(chromium, live_server, javascript=False)


@pytest.fixture
def second_nojs_page(chromium, live_server) -> Iterator[tuple]:  # type: ignore[type-arg]
    """Another browser (its own cookies) without JavaScript: a second person."""
    yield from _checked_page(chromium, live_server, javascript=False)


def _checked_page(chromium, live_server, *, javascript: bool) -> Iterator[tuple]:  # type: ignore[no-untyped-def,type-arg]
    context, page, visits = _context_page(chromium, live_server, javascript=javascript)
    yield page, visits
    context.close()
    assert visits.foreign_requests == [], f"requests outside the server: {visits.foreign_requests}"
    assert visits.unchecked() == [], f"pages loaded without an axe-core check: {visits.unchecked()}"


@pytest.fixture(scope="session")
def live_server():  # type: ignore[no-untyped-def]
    """pytest-django's live server, serving static files as production does.

    Its default wraps the site in Django's StaticFilesHandler, which looks files
    up by their source names and so answers 404 for the hashed names the pages
    link (CompressedManifestStaticFilesStorage): the pages would load without
    their stylesheet. Here the site's own WhiteNoise middleware serves the files
    the session collected (tests/conftest.py), hashed and compressed."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda app: app  # no wrapper: WhiteNoise answers
    server.start()
    yield server
    server.stop()
