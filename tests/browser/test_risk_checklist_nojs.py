"""The risk checklist through the browser with JavaScript off: from the case
page's panel, an incomplete form explained, then 15 "yes" and the MARAC
suggestion; axe-core checks every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from pages import StaffLogin
from pages_risk import RiskChecklistPage, RiskResultPage

from safereport.assessments.models import RiskAssessmentRecord
from sr_testing.personas import PASSWORD, fresh_backup_code, submit_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_caseworker_completes_the_checklist_without_javascript(nojs_page, personas):
    page, visits = nojs_page
    report = submit_report(personas.support_org, text="canary-risk-browser")
    login = StaffLogin(page, visits)
    login.open("/staff/login/")
    login.sign_in(personas.caseworker.username, PASSWORD, fresh_backup_code(personas.caseworker))

    case = RiskResultPage(page, visits)
    case.open(f"/staff/cases/{report.public_id}/")
    assert "No risk assessment yet." in case.text()
    page.get_by_role("link", name="Assess risk").click()
    checklist = RiskChecklistPage(page, visits)
    checklist.check()

    # Incomplete: the summary links to each unanswered question; answers stay.
    checklist.answer_checklist(yes=15)
    checklist.incident_on("")
    page.get_by_label("Comment on question 1 (optional)").fill("bruise on the left arm")
    checklist.submit()
    assert "Date of the incident" in checklist.error_summary()
    assert not RiskAssessmentRecord.objects.exists()
    assert page.locator('input[name="da_injured_now"][value="yes"]').is_checked()
    assert page.get_by_label("Comment on question 1 (optional)").input_value() == (
        "bruise on the left arm"
    )
    page.get_by_role("alert").get_by_role("link").first.click()
    assert page.url.endswith("#id_incident_on")
    assert page.evaluate("document.activeElement.id") == "id_incident_on"

    checklist.incident_on((timezone.localdate() - timedelta(days=2)).isoformat())
    checklist.submit()
    result = RiskResultPage(page, visits)
    text = result.text()
    assert "15 of 24 answered yes" in text
    assert "this suggests high risk and a referral to the MARAC" in text
    assert "Independent domestic violence adviser (IDVA)" in text
    assert "bruise on the left arm" in page.content()  # inside the closed answers panel
    assert RiskAssessmentRecord.objects.filter(report=report).count() == 1
    page.get_by_role("link", name="1 (the assessment in full)").click()
    result.check()
    assert "Assessment 1" in page.get_by_role("heading", level=1).inner_text()
    assert "bruise on the left arm" in result.text()
    page.get_by_role("link", name="Back to the risk assessment").click()
    result.check()

    page.get_by_role("link", name="Exploitation indicators and NRM guidance").click()
    result.check()
    assert "NRM decisions are made by the Home Office" in result.text()
    page.get_by_label("An adult (18 or over)").check()
    page.get_by_label("Does not agree").check()
    page.get_by_role("button", name="Show the next step").click()
    result.check()
    assert "anonymous notification" in page.locator("#nrm-step").inner_text()
