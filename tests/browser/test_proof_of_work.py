"""Proof of work in a real browser: start → send → return, with JavaScript off
(the server-timed wait page) and on (proof.js solves it, no wait page)."""

from __future__ import annotations

from pages_journey import JourneyStep, Receipt, ReturnPage

from safereport.accounts.demo import seed_demo
from safereport.cases.models import Report
from safereport.core.pow import solve


def _send_a_report(page, visits) -> str:  # type: ignore[no-untyped-def]
    """Start and send a report through the pages; its receipt phrase."""
    seed_demo()
    step = JourneyStep(page, visits)
    step.open("/en/report/kind/")
    step.choose("Domestic abuse")
    step.press("Continue")
    step.fill("What happened?", "He follows me home from the bus stop.")
    step.press("Continue")
    step.press("Continue")  # the person responsible: optional
    step.choose("Support for me, and nothing else")
    for _ in range(5):  # safe contact, about you, attachments, area: optional
        step.press("Continue")
        if step.heading() == "Choose an organisation":
            break
    step.choose("Puerta Abierta Women's Network")
    step.press("Continue")
    assert step.heading() == "Check your report before you send it"
    step.press("Send my report")
    assert Report.objects.count() == 1
    return Receipt(page, visits).passphrase()


def test_start_send_and_return_without_javascript(nojs_page, settings):
    settings.POW_BASE_WAIT_SECONDS = 3
    page, visits = nojs_page
    # Start and send carry wait tickets; a form sent before its ticket is due
    # gets the wait page (Screen.check waits the seconds it says and presses
    # Continue), one sent later goes straight through. Either way it arrives.
    passphrase = _send_a_report(page, visits)
    settings.POW_BASE_WAIT_SECONDS = 10  # longer than typing the phrase takes here
    back = ReturnPage(page, visits)
    back.open("/en/return/")
    waits = visits.proof_waits
    back.open_with(passphrase)
    assert visits.proof_waits == waits + 1  # the server-timed wait, once
    assert "Puerta Abierta Women's Network" in back.text()  # the phrase went through it


def test_with_javascript_the_script_solves_it(browser_page, settings):
    settings.POW_BASE_BITS = 12
    page, visits = browser_page
    passphrase = _send_a_report(page, visits)
    back = ReturnPage(page, visits)
    back.open("/en/return/")
    challenge = page.locator("input[name=pow_challenge]").get_attribute("value") or ""
    page.wait_for_function("document.querySelector('[name=pow_solution]').value !== ''")
    answer = page.locator("input[name=pow_solution]").input_value()
    assert int(answer) == solve(challenge, 12)  # the first solution, as the server's solver finds
    back.open_with(passphrase)
    assert "Puerta Abierta Women's Network" in back.text()
    assert visits.proof_waits == 0  # never a wait page with JavaScript on


def test_with_javascript_a_refused_proof_recovers_by_itself(browser_page):
    """A proof the server refuses (here a wrong answer) leads to the wait page,
    which carries the phrase, solves its own challenge and sends itself."""
    page, visits = browser_page
    passphrase = _send_a_report(page, visits)
    back = ReturnPage(page, visits)
    back.open("/en/return/")
    page.wait_for_function("document.querySelector('[name=pow_solution]').value !== ''")
    page.evaluate("document.querySelector('[name=pow_solution]').value = 'not a counter'")
    page.get_by_label("Your secret phrase").fill(passphrase)
    posts: list[int] = []
    page.on("response", lambda r: posts.append(r.status) if r.request.method == "POST" else None)
    page.get_by_role("button", name="Open my report").click()
    page.wait_for_url("**/return/report/")  # through the wait page, without a click
    assert posts == [400, 302]  # refused with the wait page, then sent again and opened
    back.check()
    assert "Puerta Abierta Women's Network" in back.text()
