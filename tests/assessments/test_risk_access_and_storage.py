"""Who may open the risk pages, and what the database holds: nothing readable."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from risk_helpers import checklist

from safereport.accounts.models import AuditEvent
from safereport.assessments.models import RiskAssessmentRecord
from safereport.core.events import EventKind
from sr_testing.personas import sign_in

pytestmark = pytest.mark.django_db

PAGES = ("staff:risk", "staff:risk_new", "staff:risk_record", "staff:risk_exploitation")


def url(name: str, report) -> str:  # type: ignore[no-untyped-def]
    kwargs = {"public_id": report.public_id}
    if name == "staff:risk_record":
        kwargs["sequence"] = 1
    return reverse(name, kwargs=kwargs)


def recorded_once(personas, report) -> None:  # type: ignore[no-untyped-def]
    """One assessment on the report, recorded by its own caseworker."""
    from django.utils import timezone

    from safereport.assessments.actions import do_record_risk_assessment
    from safereport.assessments.forms import RiskChecklistForm
    from safereport.cases.selectors import open_as_custodian
    from sr_testing.personas import unlocked_organisation_key

    form = RiskChecklistForm(checklist(15), today=timezone.localdate())
    assert form.is_valid(), form.errors
    do_record_risk_assessment(
        report,
        form.to_assessment(),
        unlocked=open_as_custodian(report, unlocked_organisation_key(personas.caseworker)),
        acting_user=personas.caseworker,
    )


@pytest.mark.parametrize("persona", ["police_liaison", "service_staff", "analyst"])
def test_police_services_and_analysts_are_refused_every_risk_page(
    client, personas, report, persona
):
    recorded_once(personas, report)
    assert sign_in(client, getattr(personas, persona)).status_code == 302
    for name in PAGES:
        assert client.get(url(name, report)).status_code == 403
        assert client.post(url(name, report), checklist(15)).status_code == 403
    assert RiskAssessmentRecord.objects.count() == 1


def test_another_organisations_caseworker_is_refused_like_a_missing_report(
    client, personas, report
):
    recorded_once(personas, report)
    assert sign_in(client, personas.other_caseworker).status_code == 302
    for name in PAGES:
        assert client.get(url(name, report)).status_code == 404
    # The result page takes no POST at all (405, whoever asks); the forms answer 404.
    for name in ("staff:risk_new", "staff:risk_exploitation"):
        assert client.post(url(name, report), checklist(15)).status_code == 404
    assert RiskAssessmentRecord.objects.count() == 1


def test_the_outsider_and_anonymous_visitors_are_refused(client, personas, report):
    for name in PAGES:
        response = client.get(url(name, report))
        assert response.status_code == 302 and response.url.startswith(reverse("staff:login"))
    assert sign_in(client, personas.outsider).status_code == 400
    for name in PAGES:
        assert client.post(url(name, report), checklist(15)).status_code == 302
    assert not RiskAssessmentRecord.objects.exists()


def test_the_organisation_admin_may_assess(client, personas, report):
    assert sign_in(client, personas.org_admin).status_code == 302
    assert client.post(url("staff:risk_new", report), checklist(15)).status_code == 302
    assert RiskAssessmentRecord.objects.get(report=report).created_by == personas.org_admin


def _every_row_of_every_table() -> str:
    dumped = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        dumped.append(bytes(value).decode("latin-1"))
                    else:
                        dumped.append(str(value))
    return "\n".join(dumped)


def test_nothing_of_the_answers_is_readable_in_the_database(client, personas, report):
    assert sign_in(client, personas.caseworker).status_code == 302
    data = checklist(
        15,
        da_stalking_comment="CANARY-comment-zebra-4471",
        hba_comment="CANARY-honour-quokka",
        imm_documents_withheld="yes",
        imm_documents_withheld_comment="CANARY-passport-kept-by-aunt",
        perpetrator_ref="PX9Q okapi ref",
        judgement_level="high",
        judgement_reason="CANARY-judgement-okapi",
    )
    assert client.post(url("staff:risk_new", report), data).status_code == 302
    row = RiskAssessmentRecord.objects.get(report=report)
    assert row.sequence == 1 and row.kind == "domestic_abuse"
    # The row has no column for an answer, a score or a level.
    columns = {f.column for f in RiskAssessmentRecord._meta.concrete_fields}
    assert columns == {
        "id",
        "report_id",
        "kind",
        "sequence",
        "ciphertext",
        "created_by_id",
        "created_at",
    }
    everything = _every_row_of_every_table()
    for canary in (
        "CANARY-comment-zebra-4471",
        "CANARY-honour-quokka",
        "CANARY-passport-kept-by-aunt",
        "CANARY-judgement-okapi",
        "PX9Q okapi ref",  # a space: never inside base64 or hex
        "documents_withheld",
        "very_frightened",
    ):
        assert canary not in everything
    # ...yet the caseworker reads it all back through the page.
    page = client.get(url("staff:risk", report)).content.decode()
    assert "CANARY-comment-zebra-4471" in page and "CANARY-judgement-okapi" in page
    event = AuditEvent.objects.get(kind=EventKind.RISK_ASSESSMENT_RECORDED.value)
    assert event.actor == personas.caseworker
    assert event.detail == {
        "report": report.public_id,
        "assessment": "domestic_abuse",
        "sequence": 1,
    }


def test_the_case_page_panel_shows_the_latest_level_score_and_flags(client, personas, report):
    assert sign_in(client, personas.caseworker).status_code == 302
    case = client.get(reverse("staff:case", args=[report.public_id])).content.decode()
    assert "No risk assessment yet." in case
    assert url("staff:risk_new", report) in case
    client.post(url("staff:risk_new", report), checklist(15, hba="yes"))
    case = client.get(reverse("staff:case", args=[report.public_id])).content.decode()
    panel = case.split('class="case-section risk-panel"')[1].split("</section>")[0]
    assert "Level <strong>High</strong> · 15 of 24 yes" in panel
    assert "A MARAC referral is suggested." in panel
    assert "Honour-based abuse" in panel
    for name in ("staff:risk", "staff:risk_new", "staff:risk_exploitation"):
        assert url(name, report) in panel


def test_the_panel_shows_nothing_sensitive_without_the_key(personas, report):
    from django.template import Context, Template

    from safereport.assessments.actions import do_record_risk_assessment
    from safereport.assessments.forms import RiskChecklistForm

    form = RiskChecklistForm(checklist(15, hba="yes"), today=timezone.localdate())
    assert form.is_valid(), form.errors
    from safereport.cases.selectors import open_as_custodian
    from sr_testing.personas import unlocked_organisation_key

    unlocked = open_as_custodian(report, unlocked_organisation_key(personas.caseworker))
    do_record_risk_assessment(
        report, form.to_assessment(), unlocked=unlocked, acting_user=personas.caseworker
    )
    html = Template("{% load assessments_panels %}{% assessments_case_panel report unlocked %}")
    rendered = html.render(Context({"report": report, "unlocked": None}))
    assert "High" not in rendered and "15" not in rendered and "Honour" not in rendered
    assert url("staff:risk", report) in rendered
