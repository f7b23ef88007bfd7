"""The police liaison through the browser with JavaScript off, axe-core on
every page: the caseworker sends a named report with consent, the police
acknowledge with a crime reference, ask a question and post an update, the
caseworker answers, the summary prints, and the reporter reads the update."""

from __future__ import annotations

import pytest
from pages import StaffPage, StaffShell, sign_in_as

from safereport.cases.actions import NewReport, derive_new_receipt, do_submit_report
from safereport.core.vocabulary import Section
from safereport.liaison.models import PoliceHandover

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_police_liaison_without_javascript(nojs_page, personas):
    page, visits = nojs_page
    passphrase, receipt = derive_new_receipt()
    report = do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants="police_through_organisation",
            custodian=personas.support_org,
            sections={
                Section.INCIDENT: {"what": "canary-browser-incident", "when": "Friday"},
                Section.PERPETRATOR: {"who": "canary-browser-perpetrator"},
                Section.CONTACT: {"channel": "phone", "detail": "canary-browser-contact"},
            },
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )

    sign_in_as(page, visits, personas.caseworker)
    screen = StaffPage(page, visits)
    screen.open(f"/staff/cases/{report.public_id}/")
    screen.click_link("Involve the police")
    assert screen.heading() == "Involve the police"
    # Anonymous information with the contact plan: refused by the form, choices kept.
    screen.choose(
        "Anonymous information (what happened and who did it, nothing more)",
        "Test Police (Police force)",
        "What happened (when, where, what)",
        "Safe contact plan",
        "The reporter agreed, in these words:",
        "I have told the person this",
    )
    screen.fill(
        "The reporter's words, and how and when they said them",
        "By phone today: yes, send it to the police.",
    )
    screen.submit("Ask the firewall and send to the police")
    assert "untick the other sections" in screen.alert()
    assert page.get_by_label("Safe contact plan", exact=True).is_checked()
    assert not PoliceHandover.objects.exists()
    screen.choose("A named report, with the reporter's consent", "The person who did it")
    screen.submit("Ask the firewall and send to the police")
    assert PoliceHandover.objects.count() == 1
    assert "Test Police" in screen.text()
    StaffShell(page, visits).sign_out()

    sign_in_as(page, visits, personas.police_liaison)
    assert screen.heading() == "Packages received"
    page.locator("table a").first.click()
    screen.check()
    assert "canary-browser-incident" in screen.text()
    assert "canary-browser-contact" in screen.text()
    screen.fill("Crime reference number", "01/424242/26")
    screen.submit("Acknowledge receipt")
    assert "01/424242/26" in screen.text()
    screen.fill("Your question for the caseworker", "canary-browser-question")
    screen.submit("Ask the caseworker")
    screen.fill("Progress update (the reporter will read it)", "canary-browser-update")
    screen.submit("Post the update")
    screen.click_link("Printable case summary")
    assert screen.heading() == "Case summary"
    assert "canary-browser-perpetrator" in screen.text()
    assert "canary-browser-update" not in screen.text()
    page.emulate_media(media="print")
    assert not page.locator(".staff-header").is_visible()
    page.emulate_media(media="screen")
    StaffShell(page, visits).sign_out()

    sign_in_as(page, visits, personas.caseworker)
    screen.open(f"/staff/cases/{report.public_id}/")
    assert "canary-browser-question" in screen.text()
    screen.fill("Answer for the police", "canary-browser-answer")
    screen.submit("Send the answer")
    assert "canary-browser-answer" in screen.text()
    StaffShell(page, visits).sign_out()

    screen.open("/return/")
    page.get_by_label("Your secret phrase").fill(passphrase)
    page.get_by_role("button", name="Open my report").click()
    screen.check()
    # The police items wait on the second step, never on the first screen.
    assert "canary-browser-update" not in screen.text()
    page.get_by_role(
        "link", name="Services, legal advice, the police and what you agreed to share"
    ).click()
    screen.check()
    text = screen.text()
    assert "canary-browser-update" in text
    assert "01/424242/26" in text
    assert "canary-browser-question" not in text
