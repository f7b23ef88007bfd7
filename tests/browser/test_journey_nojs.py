"""The whole journey in a browser with JavaScript off: report, keep the phrase,
a caseworker replies, the reporter comes back, reads the reply and answers."""

from __future__ import annotations

from pages import StaffLogin, StaffShell
from pages_journey import CasePage, JourneyStep, Receipt, ReturnPage

from safereport.accounts.demo import DEMO_PASSWORD, seed_demo
from safereport.accounts.models import StaffUser
from safereport.cases.models import Message, Report
from sr_testing.personas import fresh_backup_code


def one_time_code(username: str) -> str:
    """A fresh backup code: a TOTP code cannot be used twice in its 30-second window."""
    return fresh_backup_code(StaffUser.objects.get(username=username))


def report_through_the_journey(step: JourneyStep, *, what: str) -> None:
    step.open("/en/")
    step.follow("Start a report")
    step.follow("Start")
    assert step.heading() == "What happened"
    step.press("Continue")  # nothing chosen: the error summary links to the question
    assert "Choose the kind of harm" in step.error_summary()
    step.choose("Domestic abuse")
    step.press("Continue")
    step.fill("When did it happen? (optional)", "Last Friday")
    step.press("Continue")  # "what happened" missing: what was typed stays
    assert "Tell us what happened" in step.error_summary()
    assert step.page.get_by_label("When did it happen? (optional)").input_value() == "Last Friday"
    step.fill("What happened?", what)
    step.press("Continue")
    step.press("Continue")  # the person responsible: optional
    step.choose("Support for me, and nothing else")
    step.press("Continue")
    step.follow("Back")  # back links keep the answers
    assert step.page.get_by_label("Support for me, and nothing else").is_checked()
    step.press("Continue")
    step.press("Continue")  # safe contact
    step.press("Continue")  # about you: optional, anonymous
    step.press("Continue")  # attachments: none
    step.press("Continue")  # area: rather not say
    step.choose("Puerta Abierta Women's Network")
    step.press("Continue")
    assert step.heading() == "Check your report before you send it"
    assert (
        "Only the staff of Puerta Abierta Women's Network" in step.page.locator("main").inner_text()
    )
    step.press("Send my report")


def test_report_reply_and_answer_without_javascript(nojs_page):
    page, visits = nojs_page
    seed_demo()
    step = JourneyStep(page, visits)
    report_through_the_journey(step, what="My employer keeps my wages and locks the door.")
    receipt = Receipt(page, visits)
    passphrase = receipt.passphrase()
    assert len(passphrase.split()) == 8
    report = Report.objects.get()

    login = StaffLogin(page, visits)
    login.open("/staff/login/")
    login.sign_in("lucia", DEMO_PASSWORD, one_time_code("lucia"))
    case = CasePage(page, visits)
    case.open_case(report.public_id)
    assert "My employer keeps my wages" in case.text()
    case.reply("We can talk on Tuesday at 11. Is that safe for you?")
    assert "Your reply was sent." in case.text()
    StaffShell(page, visits).sign_out()

    back = ReturnPage(page, visits)
    back.open("/en/return/")
    back.open_with("not the right words at all")
    assert "We could not open a report with that secret phrase" in back.text()
    back.open_with(passphrase)
    assert "We can talk on Tuesday at 11" in back.text()
    assert "In progress" in back.text()
    back.send_message("Tuesday is safe. Please call after 11.")
    assert "Your message was sent." in back.text()
    assert Message.objects.filter(direction="from_reporter").count() == 1

    login.open("/staff/login/")
    login.sign_in("lucia", DEMO_PASSWORD, one_time_code("lucia"))
    case.open_case(report.public_id)
    assert "Tuesday is safe. Please call after 11." in case.text()
