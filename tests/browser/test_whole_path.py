"""Issue 6, the whole path in a real browser (JavaScript off, axe on every page),
on the demo installation with its own logins:

a domestic-abuse report through the public journey, agreeing on the review
page that the police may have it; the caseworker completes the risk checklist
with 15 "yes", sees the MARAC suggestion and refers, with the reporter's
spoken consent, to the demo domestic-abuse service; the service accepts from
its own login; the caseworker sends the named police package with the
consent the reporter gave; the police liaison acknowledges with a crime
reference and posts an update; the reporter comes back with the receipt and
reads the referral's status and the police update. Every e-mail sent on the
way went through a real SMTP server and carried none of the report.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from pages import StaffPage, StaffShell, sign_in_as
from pages_journey import JourneyStep, Receipt, ReturnPage
from pages_risk import RiskChecklistPage

from safereport.accounts.demo import DEMO_PASSWORD, seed_demo
from safereport.accounts.models import StaffUser
from safereport.cases.models import Report
from safereport.disclosures.models import DisclosurePackage
from safereport.liaison.models import PoliceHandover
from safereport.referrals.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)

INCIDENT = "canary-whole-path: he took my passport and hit me"
PERSON = "canary-whole-path-person"
UPDATE = "An officer has spoken to a witness and the case is with the investigations team."


def sign_in(page, visits, username: str) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(page, visits, StaffUser.objects.get(username=username), DEMO_PASSWORD)


def report_and_agree_to_the_police(step: JourneyStep) -> str:
    step.open("/en/report/")
    step.follow("Start")
    step.choose("Domestic abuse")
    step.press("Continue")
    step.fill("What happened?", INCIDENT)
    step.press("Continue")
    step.fill("Who did it? (optional)", PERSON)
    step.press("Continue")
    step.choose("Support, and help to report to the police through the organisation")
    step.press("Continue")
    step.press("Continue")  # safe contact: through the website only
    step.press("Continue")  # about you: anonymous
    step.press("Continue")  # no attachments
    step.press("Continue")  # area: rather not say
    step.choose("Puerta Abierta Women's Network")
    step.press("Continue")
    step.page.locator("input[name=consent][value=police]").check()
    step.press("Send my report")
    return Receipt(step.page, step.visits).passphrase()


def test_report_risk_referral_police_and_the_reporter_reads_it_all(nojs_page, smtp_server):
    page, visits = nojs_page
    seed_demo()
    staff = StaffPage(page, visits)  # any staff page: choose, fill, submit, read

    passphrase = report_and_agree_to_the_police(JourneyStep(page, visits))
    report = Report.objects.get()
    assert report.consents.get().recipient.slug == "riverside-police"

    # The caseworker: she gave no way to reach her but the website; a call stops with a warning.
    sign_in(page, visits, "lucia")
    staff.open(f"/staff/cases/{report.public_id}/")
    staff.click_link("Record a call, text, e-mail or visit (checked against their plan first)")
    staff.choose("A phone call")
    staff.submit("Check and record the contact")
    assert "This goes against their plan" in staff.alert()
    staff.choose("I have read the warnings and this contact is still right")
    staff.fill("Why, despite the plan?", "She asked in a message to be called today.")
    staff.submit("Record the contact against the plan")
    assert "The contact was recorded in the case notes." in staff.text()
    # Risk checklist with 15 "yes", and the MARAC suggestion.
    staff.open(f"/staff/cases/{report.public_id}/")
    staff.click_link("Assess risk")
    checklist = RiskChecklistPage(page, visits)
    checklist.answer_checklist(yes=15)
    checklist.incident_on(timezone.localdate().isoformat())
    checklist.submit()
    result = staff.text()
    assert "15 of 24 answered yes" in result
    assert "this suggests high risk and a referral to the MARAC" in result
    assert "Offer a referral: Independent domestic violence adviser (IDVA)" in result

    # The routine referral to the demo domestic-abuse service, with consent.
    staff.click_link("Offer a referral: Specialist domestic-abuse service")
    staff.choose("Harbour Domestic Abuse Service", "What happened (when, where, what)")
    staff.choose("The reporter agreed now, in these words (record it below)")
    staff.fill("How and when the reporter agreed", "On the phone today: yes to Harbour.")
    staff.submit("Ask the firewall and send the referral")
    referral = Referral.objects.get()
    assert (referral.service.slug, referral.state) == ("harbour-da", "sent")
    StaffShell(page, visits).sign_out()

    # The service accepts from its own login.
    sign_in(page, visits, "grace")
    staff.open(f"/staff/referrals/{referral.pk}/")
    staff.submit("Accept")
    referral.refresh_from_db()
    assert referral.state == "accepted"
    StaffShell(page, visits).sign_out()

    # The named police package, with the consent the reporter gave when reporting.
    sign_in(page, visits, "lucia")
    staff.open(f"/staff/cases/{report.public_id}/")
    staff.click_link("Involve the police")
    staff.choose(
        "A named report, with the reporter's consent",
        "Riverside Constabulary (Police force)",
        "What happened (when, where, what)",
        "The person who did it",
        "Use the consent the reporter already gave for this force (listed above)",
        "I have told the person this",
    )
    staff.submit("Ask the firewall and send to the police")
    handover = PoliceHandover.objects.get()
    assert handover.force.slug == "riverside-police"
    package = DisclosurePackage.objects.get(recipient=handover.force)
    assert sorted(package.sections) == ["incident", "perpetrator"]
    StaffShell(page, visits).sign_out()

    # The police liaison: acknowledge with a crime reference, post an update.
    sign_in(page, visits, "pc.hughes")
    staff.open(f"/staff/police/{handover.pk}/")
    assert INCIDENT in staff.text() and PERSON in staff.text()
    staff.fill("Crime reference number", "RC/120456/26")
    staff.submit("Acknowledge receipt")
    staff.fill("Progress update (the reporter will read it)", UPDATE)
    staff.submit("Post the update")
    StaffShell(page, visits).sign_out()

    # The reporter comes back with the receipt and reads it all.
    back = ReturnPage(page, visits)
    back.open("/en/return/")
    back.open_with(passphrase)
    assert "In progress" in back.text()  # the report's own status moved with the case work
    assert "RC/120456/26" not in back.text()  # police and referrals wait on the second step
    page.get_by_role(
        "link", name="Services, legal advice, the police and what you agreed to share"
    ).click()
    back.check()
    text = back.text()
    assert "Harbour Domestic Abuse Service" in text
    assert "The service has accepted your referral" in text
    assert "Riverside Constabulary" in text
    assert "RC/120456/26" in text
    assert UPDATE in text
    # The same page in Arabic, right to left, checked by axe like every page.
    page.locator('nav.languages [data-language="ar"]').click()
    back.check()
    assert page.locator("html").get_attribute("dir") == "rtl"
    arabic = back.text()
    assert "الشرطة" in arabic and "RC/120456/26" in arabic and UPDATE in arabic
    assert "The service has accepted your referral" not in arabic

    # Mail went to the service, the sender and the force, and said nothing of the report.
    recipients = {address for rcpt in smtp_server.recipients for address in rcpt}
    assert recipients == {
        "referrals@harbour-da.example",  # a new referral
        "casework@puerta-abierta.example",  # the referral was accepted
        "liaison@riverside-police.example",  # a new package
    }
    for body in smtp_server.bodies():
        for secret in (INCIDENT, PERSON, report.public_id, "Puerta", "RC/120456/26", UPDATE):
            assert secret not in body

    # The reporter deletes her report. What was passed on with her agreement
    # stays with its recipients (the delete page says so); nothing more can be
    # assessed, referred or sent, and the caseworker reads that it was deleted.
    back.open("/en/return/report/delete/")
    page.get_by_role("button", name="Yes, delete my report for ever").click()
    back.check()
    report.refresh_from_db()
    assert report.is_shredded
    sign_in(page, visits, "lucia")
    staff.open(f"/staff/cases/{report.public_id}/")
    assert "This report was deleted" in staff.text()
    assert INCIDENT not in staff.text()
    for path in (
        "risk/{}/",
        "risk/{}/new/",
        "referrals/new/{}/",
        "police/new/{}/",
        "cases/{}/contact/",
    ):
        response = page.goto(visits.server + "/staff/" + path.format(report.public_id))
        staff.check()
        assert response is not None and response.status == 404, path
    staff.open(f"/staff/referrals/{referral.pk}/")
    assert "Accepted" in staff.text()
    StaffShell(page, visits).sign_out()
    sign_in(page, visits, "pc.hughes")
    staff.open(f"/staff/police/{handover.pk}/")
    assert INCIDENT in staff.text()  # the force keeps what it was given
