"""The inbox on a 360 px phone: no sideways scrolling, axe clean, with and without JavaScript."""

from __future__ import annotations

import pytest
from pages import StaffPage, sign_in_as

from safereport.accounts.demo import seed_demo
from safereport.accounts.models import Organisation, StaffUser
from safereport.cases.actions import do_assign_report
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db(transaction=True)


def _overflow(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("() => document.documentElement.scrollWidth")


@pytest.mark.parametrize("fixture", ["browser_page", "nojs_page"])
def test_the_inbox_fits_a_360px_phone_and_passes_axe(request, fixture):
    page, visits = request.getfixturevalue(fixture)
    page.set_viewport_size({"width": 360, "height": 800})
    seed_demo()
    org = Organisation.objects.get(slug="puerta-abierta")
    lucia = StaffUser.objects.get(username="lucia")
    personas = type("Demo", (), {"support_org": org})()
    reports = [submit(personas)[0] for _ in range(3)]
    do_assign_report(reports[0], lucia, acting_user=lucia)
    from safereport.accounts.demo import DEMO_PASSWORD

    sign_in_as(page, visits, lucia, DEMO_PASSWORD)
    screen = StaffPage(page, visits)
    for path in ("/staff/cases/", "/staff/cases/?show=mine", f"/staff/cases/?ref={reports[1]}"):
        screen.open(path)  # axe-core runs here
        assert _overflow(page) <= 360, f"{path} is {_overflow(page)} px wide at 360 px"
    assert reports[1].public_id in page.content()
    screen.open("/staff/cases/?after=not-a-cursor")
    assert "That page link is not valid." in screen.text()
    assert _overflow(page) <= 360
