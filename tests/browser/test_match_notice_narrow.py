"""The match notice on the case page and its line on 'Waiting for you', on a 360 px
phone and a 1280 px screen without JavaScript: no sideways scrolling, axe clean,
and nothing of the identifier on either page."""

from __future__ import annotations

import os

import pytest
from pages import StaffPage, sign_in_as

from safereport.accounts.demo import DEMO_PASSWORD, seed_demo
from safereport.accounts.models import Organisation, StaffUser
from safereport.core.matching import normalise_business_line
from safereport.matching.actions import do_add_identifiers
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_match_notice_fits_and_passes_axe_without_javascript(nojs_page, width):
    seed_demo()
    demo = type("Demo", (), {"support_org": Organisation.objects.get(slug="puerta-abierta")})()
    mine, theirs = (submit(demo, text="canary-match")[0] for _ in range(2))
    for report, typed in ((mine, "Canary Farms Ltd, PE21 6XX"), (theirs, "canary farms pe216xx")):
        do_add_identifiers(report, [normalise_business_line(typed)], acting_user=None)

    page, visits = nojs_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(page, visits, StaffUser.objects.get(username="lucia"), DEMO_PASSWORD)
    screen = StaffPage(page, visits)
    shots = os.environ.get("SAFEREPORT_SCREENSHOTS")
    screen.open("/staff/waiting/")  # axe-core runs here
    assert "Reports that another report matched" in screen.text()
    assert mine.public_id in screen.text() and theirs.public_id in screen.text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    if shots:
        page.screenshot(path=f"{shots}/match-waiting-{width}.png", full_page=True)

    screen.open(f"/staff/cases/{mine.public_id}/")
    assert "Another report names the same person or business." in screen.text()
    assert theirs.public_id not in screen.text() and "Farms" not in screen.text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    if shots:
        page.screenshot(path=f"{shots}/match-case-{width}.png", full_page=False)
