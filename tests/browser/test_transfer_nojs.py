"""A transfer of custody through the browser with JavaScript off, axe-core on
every page (issue 13, item 3): the caseworker proposes moving a report to
another support organisation, the reporter agrees on her return page, the
receiving caseworker finds it in the inbox and reads it, and the sender's
transfer page shows the record only.

With SAFEREPORT_SCREENSHOTS=<folder> set, the pages are also saved at 360 and
1280 px wide (for a person to look at; nothing is asserted about them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pages import StaffPage, StaffShell, sign_in_as

from safereport.cases.models import Report
from safereport.disclosures.models import Transfer
from sr_testing.reports import submit_labour_report

pytestmark = pytest.mark.django_db(transaction=True)


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("SAFEREPORT_SCREENSHOTS")
    if not folder:
        return
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
        # No sideways scrolling on a phone.
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_report_moves_to_another_organisation_without_javascript(nojs_page, personas):
    page, visits = nojs_page
    report, passphrase = submit_labour_report(personas.support_org, text="canary-transfer-browser")
    receiver = personas.other_support_org

    sign_in_as(page, visits, personas.caseworker)
    screen = StaffPage(page, visits)
    screen.open(f"/staff/disclosures/reports/{report.public_id}/")
    screen.click_link("Transfer to another organisation")
    assert "Police" not in screen.text()
    _shoot(page, "transfer-propose")
    screen.choose(f"{receiver.name} (Support organisation)")
    screen.submit("Propose the transfer")
    assert "Waiting for the reporter's agreement" in screen.text()
    _shoot(page, "transfer-waiting")
    StaffShell(page, visits).sign_out()

    screen.open("/return/")
    page.get_by_label("Your secret phrase").fill(passphrase)
    page.get_by_role("button", name="Open my report").click()
    screen.check()
    assert f"Move your report to {receiver.name}?" in screen.text()
    _shoot(page, "transfer-reporter-question")
    screen.submit(f"Yes, move my report to {receiver.name}")
    assert f"Your report is now with {receiver.name}." in screen.text()
    _shoot(page, "transfer-reporter-done")
    assert Report.objects.get().custodian == receiver
    page.get_by_role("button", name="Close my report on this device").click()
    screen.check()

    sign_in_as(page, visits, personas.other_caseworker)
    screen.open("/staff/cases/")
    assert report.public_id in screen.text()
    screen.open(f"/staff/cases/{report.public_id}/")
    assert "canary-transfer-browser" in screen.text()
    StaffShell(page, visits).sign_out()

    sign_in_as(page, visits, personas.caseworker)
    transfer = Transfer.objects.get()
    screen.open(f"/staff/disclosures/transfers/{transfer.pk}/")
    assert "Transferred" in screen.text()
    assert "canary-transfer-browser" not in screen.text()
    _shoot(page, "transfer-record")
