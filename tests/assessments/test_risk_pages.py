"""The risk checklist through HTTP, as a signed-in caseworker: score, MARAC
suggestion, professional judgement, flags, re-assessment and bad input."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from risk_helpers import checklist, days_ago

from safereport.assessments.models import RiskAssessmentRecord
from safereport.cases.models import Report
from safereport.core.risk import DOMESTIC_ABUSE_QUESTIONS

pytestmark = pytest.mark.django_db

MARAC_SUGGESTION = "or more “yes”: this suggests high risk and a referral to the MARAC"


def url(name: str, report) -> str:  # type: ignore[no-untyped-def]
    return reverse(name, kwargs={"public_id": report.public_id})


def record(client, report, data):  # type: ignore[no-untyped-def]
    """Post the checklist, check it was accepted, and return the result page."""
    response = client.post(url("staff:risk_new", report), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == url("staff:risk", report)
    page = client.get(response.url)
    assert page.status_code == 200
    return page.content.decode()


def flags_on(page: str) -> set[str]:
    return set(re.findall(r'data-flag="([a-z_]+)"', page))


def offer_link(report, kind: str) -> str:  # type: ignore[no-untyped-def]
    base = reverse("staff:referral_new", kwargs={"public_id": report.public_id})
    return f'href="{base}?kind={kind}"'


def test_the_empty_checklist_shows_every_question_as_a_radio_group(caseworker, report):
    page = caseworker.get(url("staff:risk_new", report)).content.decode()
    assert page.count("<fieldset") >= 24 + 1 + 6
    for question in DOMESTIC_ABUSE_QUESTIONS:
        assert f'name="da_{question.key}" value="not_known"' in page
        assert f'name="da_{question.key}_comment"' in page
    assert "Threats of deportation" in page and "Documents kept from you" in page


def test_fifteen_yes_suggests_high_risk_a_marac_and_an_idva(caseworker, report):
    page = record(caseworker, report, checklist(15))
    assert "15 of 24 answered yes" in page
    report.refresh_from_db()
    assert report.status == "in_progress"  # a caseworker acted on it
    assert "14 " + MARAC_SUGGESTION in page
    assert re.search(r'risk-level-high">High<', page)
    assert "The score never decides alone" in page
    assert "Independent domestic violence adviser (IDVA)" in page
    assert offer_link(report, "idva_service") in page


def test_thirteen_yes_is_no_marac_suggestion_but_judgement_can_raise_it_with_a_reason(
    caseworker, report
):
    page = record(caseworker, report, checklist(13))
    assert "13 of 24 answered yes" in page
    assert MARAC_SUGGESTION not in page and "consider a referral to the MARAC" not in page
    assert re.search(r'risk-level-standard">Standard<', page)
    assert "Independent domestic violence adviser (IDVA)" not in page

    # A raise without a reason is refused, and nothing typed is lost.
    refused = caseworker.post(
        url("staff:risk_new", report),
        checklist(13, judgement_level="high", da_injured_now_comment="bruised arm"),
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'href="#id_judgement_reason"' in body
    assert "Write down why your professional judgement raises the level." in body
    assert re.search(r'name="judgement_level" value="high"[^>]*checked', body)
    assert "bruised arm" in body
    assert RiskAssessmentRecord.objects.filter(report=report).count() == 1

    page = record(
        caseworker,
        report,
        checklist(13, judgement_level="high", judgement_reason="He has a new address near her."),
    )
    assert "13 of 24 answered yes" in page
    assert MARAC_SUGGESTION not in page
    assert re.search(r'risk-level-high">High<', page)
    assert "Raised by professional judgement: He has a new address near her." in page
    assert "consider a referral to the MARAC" in page
    assert "Independent domestic violence adviser (IDVA)" in page


def test_judgement_cannot_lower_the_level(caseworker, report):
    response = caseworker.post(
        url("staff:risk_new", report),
        checklist(15, judgement_level="standard", judgement_reason="I think it is fine."),
    )
    assert response.status_code == 400
    assert 'href="#id_judgement_level_0"' in response.content.decode()
    assert not RiskAssessmentRecord.objects.exists()


# flag -> (answers that raise it, answers that come close but do not)
FLAG_CASES = {
    "escalation": (
        {"da_more_often": "yes", "earlier_1_on": days_ago(60).isoformat()},
        # an earlier incident by someone else does not count
        {"da_more_often": "yes", "earlier_1_on": days_ago(60).isoformat(), "earlier_1_by": "P2"},
    ),
    "repeat": (
        {"last_marac_on": days_ago(100).isoformat()},
        {"last_marac_on": days_ago(500).isoformat()},
    ),
    "honour_based_abuse": ({"hba": "yes"}, {"hba": "not_known"}),
    "immigration_abuse": (
        {"imm_documents_withheld": "yes", "imm_deportation_threats": "yes"},
        {"imm_documents_withheld": "not_known"},
    ),
}


def test_escalation_looks_back_twelve_months_only(caseworker, report):
    data = checklist(2, da_getting_worse="yes", earlier_1_on=days_ago(400).isoformat())
    assert flags_on(record(caseworker, report, data)) == set()


@pytest.mark.parametrize("flag", sorted(FLAG_CASES))
def test_each_flag_shows_when_its_condition_holds_and_not_otherwise(caseworker, personas, flag):
    from sr_testing.reports import submit

    raised_on, _ = submit(personas)
    close_on, _ = submit(personas)
    raises, close = FLAG_CASES[flag]
    page = record(caseworker, raised_on, checklist(2, **raises))
    assert flags_on(page) == {flag}
    assert 'data-flag="' + flag in page
    page = record(caseworker, close_on, checklist(2, **close))
    assert flags_on(page) == set()
    assert "No flags." in page


def test_flag_labels_say_what_they_mean(caseworker, report):
    data = checklist(
        0,
        da_getting_worse="yes",
        earlier_1_on=days_ago(200).isoformat(),
        last_marac_on=days_ago(30).isoformat(),
        hba="yes",
        imm_visa_used_as_control="yes",
    )
    page = record(caseworker, report, data)
    assert flags_on(page) == {"escalation", "repeat", "honour_based_abuse", "immigration_abuse"}
    assert "Repeated incidents by the same person in the last 12 months" in page
    assert "A new incident within 12 months of a MARAC referral." in page
    assert "Honour-based abuse</strong>" in page
    assert "Immigration-related abuse</strong>" in page
    # escalation and repeat each suggest high risk whatever the score
    assert "1 of 24 answered yes" in page
    assert re.search(r'risk-level-high">High<', page)
    assert "Immigration legal adviser" in page or "immigration legal adviser" in page


def test_reassessment_keeps_the_history_and_shows_what_changed(caseworker, report):
    first = record(caseworker, report, checklist(10, incident_on=days_ago(40).isoformat()))
    assert "10 of 24 answered yes" in first
    original = bytes(RiskAssessmentRecord.objects.get(report=report).ciphertext)

    # The re-assessment form starts from the previous answers; the earlier
    # incident moves into the list of earlier incidents.
    form = caseworker.get(url("staff:risk_new", report)).content.decode()
    assert "Re-assessment after a new incident" in form
    for question in DOMESTIC_ABUSE_QUESTIONS[:10]:
        assert re.search(rf'name="da_{question.key}" value="yes"[^>]*checked', form)
    for question in DOMESTIC_ABUSE_QUESTIONS[10:]:
        assert re.search(rf'name="da_{question.key}" value="no"[^>]*checked', form)
    assert f'name="earlier_1_on" value="{days_ago(40).isoformat()}"' in form

    second = checklist(16, incident_on=days_ago(1).isoformat())
    second["earlier_1_on"] = days_ago(40).isoformat()
    page = record(caseworker, report, second)
    rows = list(RiskAssessmentRecord.objects.filter(report=report).order_by("sequence"))
    assert [r.sequence for r in rows] == [1, 2]
    assert bytes(rows[0].ciphertext) == original, "the first assessment is never rewritten"
    assert "16 of 24 answered yes" in page
    assert "Score 10 → 16" in page and "Score rising" in page
    assert "Level Standard → High" in page
    newly = page.split("Now yes:")[1].split("</li>")[0]
    for question in DOMESTIC_ABUSE_QUESTIONS[10:16]:
        assert question.topic.replace("'", "&#x27;") in newly
    assert "New flags:" in page  # more often + getting worse + two incidents: escalation
    history = page.split('class="risk-history"')[1]
    assert history.count("<tr>") == 3  # the header and two assessments
    assert "First assessment" in history

    # Each assessment opens in full, as it was recorded.
    for sequence, score in ((1, 10), (2, 16)):
        link = reverse(
            "staff:risk_record", kwargs={"public_id": report.public_id, "sequence": sequence}
        )
        assert f'href="{link}"' in history
        full = caseworker.get(link).content.decode()
        assert f"{score} of 24 answered yes" in full
    assert "What changed since the assessment before it" in full and "Score 10 → 16" in full
    missing = reverse("staff:risk_record", kwargs={"public_id": report.public_id, "sequence": 3})
    assert caseworker.get(missing).status_code == 404


def test_an_incomplete_checklist_is_refused_with_linked_errors_and_keeps_everything(
    caseworker, report
):
    data = checklist(5, da_stalking_comment="canary typed comment")
    missing = [q.key for q in DOMESTIC_ABUSE_QUESTIONS[-4:]]
    for key in missing:
        del data[f"da_{key}"]
    del data["hba"]
    data["incident_on"] = ""
    response = caseworker.post(url("staff:risk_new", report), data)
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    for key in missing:
        assert f'href="#id_da_{key}_0"' in summary
        assert f'id="id_da_{key}_0"' in page
    assert 'href="#id_hba_0"' in summary and 'href="#id_incident_on"' in summary
    assert "Answer yes, no or not known." in summary
    assert "canary typed comment" in page
    for question in DOMESTIC_ABUSE_QUESTIONS[:5]:
        assert re.search(rf'name="da_{question.key}" value="yes"[^>]*checked', page)
    assert not RiskAssessmentRecord.objects.exists()


def test_a_future_incident_date_is_refused(caseworker, report):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = caseworker.post(url("staff:risk_new", report), checklist(3, incident_on=tomorrow))
    assert response.status_code == 400
    assert "The incident cannot be dated in the future." in response.content.decode()
    assert not RiskAssessmentRecord.objects.exists()


@pytest.mark.parametrize(
    ("wants", "kind", "reason"),
    [
        (
            "police_through_organisation",
            "idva_service",
            "They chose help to report to the police through the organisation: an IDVA supports "
            "people through the police and court process, if they want one.",
        ),
        (
            "legal_advice",
            "immigration_legal_adviser",
            "They asked for free, independent legal advice: an immigration legal adviser gives it.",
        ),
    ],
)
def test_the_risk_page_offers_what_the_reporter_asked_for_as_the_case_page_does(
    caseworker, report, wants, kind, reason
):
    Report.objects.filter(pk=report.pk).update(wants=wants)
    risk_page = record(caseworker, report, checklist(13))  # standard risk, no flags
    case_page = caseworker.get(url("staff:case", report)).content.decode()
    for page in (risk_page, case_page):
        assert reason in page
        assert offer_link(report, kind) in page


def test_a_support_only_report_at_standard_risk_is_not_offered_an_idva(caseworker, report):
    page = record(caseworker, report, checklist(13))
    assert "Referrals to offer" in page
    assert offer_link(report, "idva_service") not in page
