"""Coordinated support on a match in a browser with JavaScript off and axe-core
on every page (issue 16): both reporters are asked on their return page's
second step and say yes; each caseworker shares from the case page and then
sees the other organisation and reference. The reporters never see the other
organisation's name.

With SAFEREPORT_SCREENSHOTS=<folder> set, the pages are also saved at 360 and
1280 px wide (for a person to look at; nothing is asserted about them)."""

from __future__ import annotations

import pytest
from pages import sign_in_as
from pages_journey import JourneyStep, ReturnPage
from test_transfer_nojs import _shoot

from safereport.cases.models import Report
from safereport.core.matching import normalise_business_line
from safereport.matching.actions import do_add_identifiers
from sr_testing.reports import submit_labour_report

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "May your caseworker work together with the organisation that holds the other report?"


def _answer_yes(step: JourneyStep, passphrase: str, name: str) -> str:
    step.page.context.clear_cookies()
    step.open("/en/return/")
    ReturnPage(step.page, step.visits).open_with(passphrase)
    step.follow("Services, legal advice, the police and what you agreed to share")
    main = step.page.locator("main")
    assert QUESTION in main.inner_text()
    _shoot(step.page, f"{name}-asked")
    step.press("Yes, they may work together")
    assert "You said yes." in main.inner_text()
    return main.inner_text()


def _share(step: JourneyStep, person, report: Report) -> str:  # type: ignore[no-untyped-def]
    step.page.context.clear_cookies()
    sign_in_as(step.page, step.visits, person)
    step.open(f"/staff/cases/{report.public_id}/")
    step.press("Share our reference with the other organisation")
    return step.page.locator("#match").inner_text()


def test_both_reporters_agree_and_each_caseworker_sees_the_other_without_javascript(
    nojs_page, personas
):
    page, visits = nojs_page
    first, first_phrase = submit_labour_report(personas.support_org, text="My wages are kept.")
    second, second_phrase = submit_labour_report(
        personas.other_support_org, text="He keeps my passport."
    )
    for report, line in ((first, "A-1 Cleaning Ltd, E1 6AN"), (second, "a1 cleaning e16an")):
        do_add_identifiers(report, [normalise_business_line(line)], acting_user=None)
    step = JourneyStep(page, visits)

    # Her return page asks her only once her caseworker chose to ask (a person
    # named in a report could file one naming himself to learn of hers).
    for person, report in ((personas.caseworker, first), (personas.other_caseworker, second)):
        step.page.context.clear_cookies()
        sign_in_as(step.page, step.visits, person)
        step.open(f"/staff/cases/{report.public_id}/")
        _shoot(step.page, "match-case-not-asked")
        step.press("Ask her on her return page")
        assert "Her return page now asks her." in step.page.locator("main").inner_text()

    first_page = _answer_yes(step, first_phrase, "match-first")
    assert "Nothing happens until the other person says yes too." in first_page
    _answer_yes(step, second_phrase, "match-second")

    mine = _share(step, personas.caseworker, first)
    _shoot(page, "match-case-shared")
    assert "You told" in mine and str(personas.other_support_org.name) in mine
    theirs = _share(step, personas.other_caseworker, second)
    assert (
        f"{personas.support_org.name} holds the other report. Its reference: {first.public_id}."
        in theirs
    )
    step.page.context.clear_cookies()
    sign_in_as(page, visits, personas.caseworker)
    step.open(f"/staff/cases/{first.public_id}/")
    text = page.locator("#match").inner_text()
    assert f"Its reference: {second.public_id}." in text
    _shoot(page, "match-case-both")

    # Her page: her caseworker told the other organisation; never its name.
    page.context.clear_cookies()
    step.open("/en/return/")
    ReturnPage(page, visits).open_with(first_phrase)
    step.follow("Services, legal advice, the police and what you agreed to share")
    main = page.locator("main").inner_text()
    assert "Your caseworker told the other organisation" in main
    assert str(personas.other_support_org.name) not in main
    _shoot(page, "match-reporter-shared")
