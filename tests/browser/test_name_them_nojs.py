"""The review step's "who is responsible" in a browser with JavaScript off: two reporters
name one employer in different spellings and their reports match; the page is read at
a phone's width and a desktop's (screenshots kept in the test's folder)."""

from __future__ import annotations

from pages_journey import JourneyStep, Receipt
from test_journey_nojs import report_through_the_journey

from safereport.accounts.demo import seed_demo
from safereport.matching.models import Match, MatchEntry


def _report_naming(step: JourneyStep, value: str, where: str, *, shots=None) -> None:  # type: ignore[no-untyped-def]
    original = step.press

    def press_with_detail(name: str) -> None:
        if name == "Send my report":
            step.page.get_by_label("What kind of detail").select_option("business")
            step.fill("The detail", value)
            step.fill("Town or postcode, or the app", where)
            step.page.get_by_label(
                "Use this detail to look for other reports about the same person or business."
            ).check()
            if shots is not None:
                for width in (360, 1280):
                    step.page.set_viewport_size({"width": width, "height": 900})
                    step.page.screenshot(path=str(shots / f"review-{width}.png"), full_page=True)
        original(name)

    step.press = press_with_detail  # type: ignore[method-assign]
    report_through_the_journey(step, what="My employer keeps my wages.")
    step.press = original  # type: ignore[method-assign]


def test_two_reporters_name_one_employer_without_javascript(nojs_page, tmp_path):
    page, visits = nojs_page
    seed_demo()
    step = JourneyStep(page, visits)
    _report_naming(step, "A-1 Cleaning Ltd", "E1 6AN", shots=tmp_path)
    assert Receipt(page, visits).passphrase()
    assert MatchEntry.objects.count() == 1 and Match.objects.count() == 0
    page.context.clear_cookies()
    _report_naming(step, "a1 cleaning limited", "e16an")
    assert Receipt(page, visits).passphrase()
    assert MatchEntry.objects.count() == 2
    assert Match.objects.count() == 1
    print(f"screenshots: {tmp_path}")
