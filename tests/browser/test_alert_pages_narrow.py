"""'Waiting for you' and the alert setting on a 360 px phone without JavaScript:
no sideways scrolling, axe clean, the choice saved through the form."""

from __future__ import annotations

import os

import pytest
from pages import StaffPage, sign_in_as

from safereport.accounts.demo import DEMO_PASSWORD, seed_demo
from safereport.accounts.models import Organisation, StaffUser
from safereport.cases.actions import do_send_reporter_message
from safereport.cases.models import Report
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db(transaction=True)


def _width(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("() => document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", [360, 1280])
def test_waiting_and_settings_fit_and_pass_axe_without_javascript(nojs_page, width):
    page, visits = nojs_page
    page.set_viewport_size({"width": width, "height": 900})
    seed_demo()
    org = Organisation.objects.get(slug="puerta-abierta")
    lucia = StaffUser.objects.get(username="lucia")
    personas = type("Demo", (), {"support_org": org})()
    unread, _ = submit(personas, text="canary-narrow")
    Report.objects.filter(pk=unread.pk).update(risk_high=True)
    do_send_reporter_message(unread, "canary-narrow message")

    sign_in_as(page, visits, lucia, DEMO_PASSWORD)
    screen = StaffPage(page, visits)
    screen.open("/staff/waiting/")  # axe-core runs here
    assert screen.heading() == "Waiting for you"
    assert unread.public_id in screen.text() and "canary" not in screen.text()
    assert _width(page) <= width
    shots = os.environ.get("SAFEREPORT_SCREENSHOTS")
    if shots:
        page.screenshot(path=f"{shots}/waiting-{width}.png", full_page=True)

    screen.open("/staff/settings/")
    assert _width(page) <= width
    screen.choose("No alerts: I will look at my staff home")
    screen.submit("Save my alert setting")
    assert "Your alert setting is saved." in screen.text()
    assert StaffUser.objects.get(pk=lucia.pk).alerts_by == "none"
    if shots:
        page.screenshot(path=f"{shots}/settings-{width}.png", full_page=True)
