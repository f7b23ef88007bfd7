"""Naming who is responsible later, from the return page, in a browser with
JavaScript off and axe-core on every page (intake/naming.py): a reporter opens
her report, follows the link on its second step, is told how an unreadable
phone number is wrong with what she typed kept, adds two details (her wait
ticket priced for the three rows stands in for the proof of work), and a
second reporter who names one of them, spelled otherwise, makes a match.

With SAFEREPORT_SCREENSHOTS=<folder> set, the pages are also saved at 360 and
1280 px wide (for a person to look at; nothing is asserted about them)."""

from __future__ import annotations

import pytest
from pages_journey import JourneyStep, ReturnPage
from test_transfer_nojs import _shoot

from safereport.matching.models import Match, MatchEntry
from sr_testing.reports import submit_labour_report

pytestmark = pytest.mark.django_db(transaction=True)

AGREE = "Use these details to look for other reports about the same person or business."


def _open_naming_page(step: JourneyStep, passphrase: str) -> None:
    step.open("/en/return/")
    ReturnPage(step.page, step.visits).open_with(passphrase)
    step.follow("Services, legal advice, the police and what you agreed to share")
    step.follow("Add details of the person or business responsible")
    assert step.heading() == "Who is responsible?"


def _detail(step: JourneyStep, row: int, kind: str, value: str, where: str = "") -> None:
    fieldset = step.page.get_by_role("group", name=f"Detail {row}")
    fieldset.get_by_label("What kind of detail").select_option(kind)
    fieldset.get_by_label("The detail").fill(value)
    fieldset.get_by_label("Town or postcode, or the app").fill(where)


def test_two_details_added_later_and_a_second_report_matches_without_javascript(
    nojs_page, personas
):
    page, visits = nojs_page
    _, first = submit_labour_report(personas.support_org, text="My wages are kept.")
    _, second = submit_labour_report(personas.other_support_org, text="He keeps my passport.")
    step = JourneyStep(page, visits)

    _open_naming_page(step, first)
    main = page.locator("main")
    assert "Your report can name 10 more details." in main.inner_text()
    assert "nothing about it is ever shared with immigration enforcement" in main.inner_text()
    _shoot(page, "naming-empty")
    _detail(step, 1, "business", "A-1 Cleaning Ltd", "E1 6AN")
    _detail(step, 2, "phone", "07700 9004561234")
    step.page.get_by_label(AGREE).check()
    step.press("Add these details")  # through the wait page when the ticket is not due yet
    assert "Check the phone number's digits." in step.error_summary()
    assert page.get_by_role("group", name="Detail 2").get_by_label("The detail").input_value() == (
        "07700 9004561234"
    )
    assert page.get_by_role("group", name="Detail 1").get_by_label("The detail").input_value() == (
        "A-1 Cleaning Ltd"
    )
    assert MatchEntry.objects.count() == 0
    _shoot(page, "naming-error")
    _detail(step, 2, "phone", "07700 900456")
    step.page.get_by_label(AGREE).check()
    step.press("Add these details")
    assert "Your details were added and locked away." in main.inner_text()
    assert "Your report can name 8 more details." in main.inner_text()
    assert "Cleaning" not in main.inner_text() and "900456" not in main.inner_text()
    assert MatchEntry.objects.count() == 2 and Match.objects.count() == 0
    _shoot(page, "naming-added")

    page.context.clear_cookies()
    _open_naming_page(step, second)
    _detail(step, 1, "phone", "+44 7700 900 456")
    step.page.get_by_label(AGREE).check()
    step.press("Add these details")
    assert "Your details were added and locked away." in main.inner_text()
    assert MatchEntry.objects.count() == 3
    match = Match.objects.get()
    assert {match.first.custodian, match.second.custodian} == {
        personas.support_org,
        personas.other_support_org,
    }
