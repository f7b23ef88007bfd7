"""A referral through the browser with JavaScript off, axe-core on every page:
the caseworker finds the service in the directory and refers with spoken
consent (a refusal first, without consent), the service accepts from its own
login, its admin edits the directory entry, and the reporter reads the status."""

from __future__ import annotations

import pytest
from pages import StaffPage, StaffShell, sign_in_as

from safereport.accounts.actions import do_create_staff
from safereport.cases.actions import NewReport, derive_new_receipt, do_submit_report
from safereport.core.vocabulary import Role, Section
from safereport.referrals.models import Referral
from sr_testing.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_referral_without_javascript(nojs_page, personas):
    page, visits = nojs_page
    service = personas.specialist_service
    service.referral_kinds = ["domestic_abuse_service", "idva_service"]
    service.languages = ["en", "es"]
    service.areas = ["London"]
    service.description = "Specialist domestic-abuse service."
    service.save()
    passphrase, receipt = derive_new_receipt()
    report = do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants="support_only",
            custodian=personas.support_org,
            sections={
                Section.INCIDENT: {"what": "canary-browser-incident", "when": "Friday"},
                Section.PERPETRATOR: {"who": "canary-browser-perpetrator"},
            },
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )
    screen = StaffPage(page, visits)

    sign_in_as(page, visits, personas.caseworker)
    screen.open("/staff/referrals/directory/")
    screen.select("Language", "es")
    screen.submit("Search")
    assert "Test Da Service" in screen.text()
    screen.open(f"/staff/cases/{report.public_id}/")
    screen.click_link("Refer to a service")
    assert screen.heading() == "Refer to a service"
    assert "(routine offer)" in screen.text()
    screen.choose("Specialist domestic-abuse service")
    screen.submit("Show services of this kind")
    screen.choose("Test Da Service", "What happened (when, where, what)")
    screen.choose("The reporter has already agreed to exactly this (consent on record)")
    screen.submit("Ask the firewall and send the referral")
    assert "Refused by the firewall" in screen.alert()
    assert page.get_by_label("What happened (when, where, what)", exact=True).is_checked()
    assert not Referral.objects.exists()
    screen.choose("The reporter agreed now, in these words (record it below)")
    screen.fill("How and when the reporter agreed", "By phone today, in Spanish.")
    screen.submit("Ask the firewall and send the referral")
    assert Referral.objects.count() == 1
    assert screen.heading() == "Referral: Specialist domestic-abuse service"
    StaffShell(page, visits).sign_out()

    sign_in_as(page, visits, personas.service_staff)
    assert screen.heading() == "Referrals"
    page.locator("table a").first.click()
    screen.check()
    screen.click_link("Open the information shared with you")
    assert "canary-browser-incident" in screen.text()
    assert "canary-browser-perpetrator" not in screen.text()
    screen.click_link("Open the referral to accept or decline it")
    screen.submit("Accept")
    assert "Accepted" in screen.text()
    assert Referral.objects.get().state == "accepted"
    StaffShell(page, visits).sign_out()

    admin, _ = do_create_staff(
        organisation=service,
        username="service_admin",
        display_name="Service Admin",
        role=Role.ORG_ADMIN,
        password=PASSWORD,
        acting_user=None,
    )
    sign_in_as(page, visits, admin)
    screen.open("/staff/referrals/directory/entry/")
    screen.fill("Contact e-mail for new referrals", "not-an-address")
    screen.submit("Save the entry")
    assert "Enter an e-mail address" in screen.alert()
    screen.fill("Contact e-mail for new referrals", "intake@da-service.example")
    screen.choose("Refuge (safe housing)")
    screen.submit("Save the entry")
    assert "Your directory entry is saved." in screen.text()
    StaffShell(page, visits).sign_out()

    screen.open("/return/")
    page.get_by_label("Your secret phrase").fill(passphrase)
    page.get_by_role("button", name="Open my report").click()
    screen.check()
    # Referrals (legal advice among them) wait on the second step.
    assert "The service has accepted your referral" not in screen.text()
    page.get_by_role(
        "link", name="Services, legal advice, the police and what you agreed to share"
    ).click()
    screen.check()
    text = screen.text()
    assert "The service has accepted your referral" in text
    assert "Test Da Service" in text
