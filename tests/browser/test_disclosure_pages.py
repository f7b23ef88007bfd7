"""Every page of the firewall's staff side, in the browser with JavaScript on
(axe checks each): a consent recorded and withdrawn, a safeguarding override
asked for and approved by a colleague, and a request from an immigration
authority recorded and refused."""

from __future__ import annotations

import pytest
from pages import StaffShell, sign_in_as
from pages_disclosures import StaffForm

from safereport.disclosures.models import DisclosurePackage, Override
from sr_testing.personas import submit_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_consent_override_and_immigration_request_pages(browser_page, personas):
    page, visits = browser_page
    report = submit_report(personas.support_org, text="canary-override")
    sign_in_as(page, visits, personas.caseworker)

    form = StaffForm(page, visits)
    form.open(f"/staff/disclosures/reports/{report.public_id}/")
    assert "No consent on record" in form.main_text()
    page.get_by_role(
        "link", name="Record a consent the reporter gave by phone or in person"
    ).click()
    form.check()
    form.submit("Record the consent")  # empty: every problem listed, linked to its field
    assert "Write down how and when" in page.get_by_role("alert").inner_text()
    form.choose("Test Da Service (Specialist service)", "Support and referral")
    form.choose("Support needs")
    form.fill("How and when the reporter said so", "In person, with an interpreter.")
    form.submit("Record the consent")
    assert "Active" in form.main_text()
    form.submit("The reporter withdrew it")
    assert "Withdrawn on" in form.main_text()

    page.get_by_role("link", name="Risk to life: ask for a safeguarding override").click()
    form.check()
    assert page.locator("input[value=immigration]").count() == 0
    form.choose("Test Police (Police force)", "Safeguarding")
    form.choose("What happened (when, where, what)", "Safe contact plan")
    form.fill("The risk to life", "He said he would come tonight with a knife.")
    form.submit("Ask a colleague to approve")
    assert "You cannot approve your own override" in form.main_text()
    assert page.get_by_role("button", name="Approve and share").count() == 0
    StaffShell(page, visits).sign_out()

    sign_in_as(page, visits, personas.org_admin)
    form.open("/staff/disclosures/overrides/")
    page.get_by_role("link", name=f"{report.public_id} · Test Police").click()
    form.check()
    form.submit("Approve and share")
    assert form.heading() == "Shared"
    assert Override.objects.get().status == Override.Status.APPROVED
    assert DisclosurePackage.objects.count() == 1

    form.open(f"/staff/disclosures/immigration-requests/?report={report.public_id}")
    form.choose("Test Immigration Enforcement (Immigration authority (named only to be refused))")
    form.fill("What they asked for, in a few words", "Address of a client")
    form.fill("Date it arrived", "2026-11-02")
    form.submit("Record and refuse")
    assert form.heading() == "Request recorded and refused"
    assert "What to do next" in form.main_text()
