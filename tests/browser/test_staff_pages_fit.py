"""Every staff page each role reaches fits a 360 px phone and a 1280 px screen
without sideways scrolling, and passes axe-core at both widths.

Each persona (and the platform operator) signs in and follows the links of
the staff pages it can see, starting at the staff home, over a case with a
working history (messages, notes, risk, a referral, the police). One page
per view is enough: the same view with another id has the same markup. A
page is checked at 360 px, then at 1280 px (the same document, resized).
"""

from __future__ import annotations

from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import Resolver404, resolve
from django_otp.plugins.otp_static.models import StaticDevice
from pages import sign_in_as

from safereport.accounts.models import StaffUser
from sr_testing.browser import describe, run_axe
from sr_testing.busy_case import make_busy_case
from sr_testing.personas import PASSWORD, make_referral_partners

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (360, 1280)
# Links that are not pages to look at: files, exports, signing out.
NOT_PAGES = ("/files/", "/download", "/export", ".csv", ".json", ".svg", "/logout", "/login")
MOST_PAGES_PER_ROLE = 40


def _operator() -> StaffUser:
    operator = StaffUser(username="operator", display_name="Operator", is_superuser=True)
    operator.set_password(PASSWORD)
    operator.save()
    StaticDevice.objects.create(user=operator, name="backup", confirmed=True)
    return operator


def _staff_links(page, server: str) -> list[str]:  # type: ignore[no-untyped-def]
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parsed = urlparse(url)
        if not url.startswith(server) or not parsed.path.startswith("/staff/"):
            continue
        if any(part in parsed.path for part in NOT_PAGES):
            continue
        found.append(url[len(server) :])
    return found


def _view_name(path: str) -> str:
    try:
        return resolve(urlparse(path).path).view_name
    except Resolver404:
        return path


def _check_widths(page, where: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The page at each width: no sideways scrolling, and axe-core clean
    (part of every document of the context, run at each width)."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        wide, inner = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if wide > inner:
            problems.append(f"{where} at {width} px: {wide} px wide")
        violations = run_axe(page)
        if violations:
            problems.append(f"{where} at {width} px:\n{describe(violations)}")
    return problems


def _walk(page, visits, who: str) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Visit every staff view reachable from the home page; return the paths
    seen and what went wrong."""
    problems: list[str] = []
    seen_views: set[str] = set()
    visited: list[str] = []
    queue = ["/staff/"]
    while queue and len(visited) < MOST_PAGES_PER_ROLE:
        path = queue.pop(0)
        view = _view_name(path)
        if view in seen_views:
            continue
        seen_views.add(view)
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        response = page.goto(visits.server + path)
        page.wait_for_load_state("load")
        visited.append(path)
        status = response.status if response else 0
        if status >= 500 or status == 404:
            problems.append(f"{who} {path}: HTTP {status}")
        problems += _check_widths(page, f"{who} {path}")
        visits.checked.add(page.url)
        queue += [link for link in _staff_links(page, visits.server) if link not in queue]
    return visited, problems


def test_every_staff_page_fits_360_and_1280_px_and_passes_axe(browser_page, personas):
    page, visits = browser_page
    make_referral_partners(personas)
    busy = make_busy_case(personas)
    people = {
        "caseworker": personas.caseworker,
        "org_admin": personas.org_admin,
        "police_liaison": personas.police_liaison,
        "service_staff": personas.service_staff,
        "analyst": personas.analyst,
        "operator": _operator(),
    }
    problems: list[str] = []
    walked: dict[str, list[str]] = {}
    for who, user in people.items():
        page.context.clear_cookies()
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        try:
            sign_in_as(page, visits, user)  # axe-core checks the page it lands on
        except AssertionError as failed:
            problems.append(f"{who} after signing in: {failed}")
            visits.checked.add(page.url)
        walked[who], found = _walk(page, visits, who)
        problems += found
    # The walk reached the pages this change is about.
    case_path = f"/staff/cases/{busy.report.public_id}/"
    assert case_path in walked["caseworker"], walked["caseworker"]
    assert "/staff/cases/" in walked["org_admin"]
    assert any(p.startswith("/staff/police/") for p in walked["police_liaison"])
    assert any(p.startswith("/staff/referrals/") for p in walked["service_staff"])
    assert problems == [], "\n".join(problems)
