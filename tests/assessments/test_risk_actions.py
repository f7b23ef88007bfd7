"""The recording actions: only the custodian's case roles, never on a deleted
report, and each record opens back to exactly what was recorded."""

from __future__ import annotations

import pytest
from django.utils import timezone
from risk_helpers import checklist

from safereport.accounts.actions import ActionRefused
from safereport.assessments.actions import (
    do_record_exploitation_indicators,
    do_record_risk_assessment,
)
from safereport.assessments.forms import RiskChecklistForm
from safereport.assessments.models import RiskAssessmentRecord
from safereport.assessments.selectors import exploitation_history, risk_history
from safereport.cases.selectors import open_as_custodian
from safereport.core.risk import EXPLOITATION_QUESTIONS, Answer, ItemAnswer, RiskLevel
from sr_testing.personas import unlocked_organisation_key

pytestmark = pytest.mark.django_db


def assessment(yes: int = 0, **data: str):  # type: ignore[no-untyped-def]
    form = RiskChecklistForm(checklist(yes, **data), today=timezone.localdate())
    assert form.is_valid(), form.errors
    return form.to_assessment()


def test_the_record_opens_back_to_the_same_assessment(personas, report):
    recorded = assessment(yes=14, da_stalking_comment="follows her to work")
    row = do_record_risk_assessment(report, recorded, acting_user=personas.caseworker)
    assert (row.sequence, row.item_id, row.kind) == (1, "risk:1", "domestic_abuse")
    unlocked = open_as_custodian(report, unlocked_organisation_key(personas.caseworker))
    [opened] = risk_history(report, unlocked)
    assert opened.assessment == recorded
    assert opened.result.score == 14 and opened.result.level is RiskLevel.HIGH
    assert opened.assessment.answers["stalking"].comment == "follows her to work"
    assert opened.change is None


@pytest.mark.parametrize("persona", ["other_caseworker", "police_liaison", "service_staff"])
def test_only_the_custodians_case_roles_may_record(personas, report, persona):
    with pytest.raises(ActionRefused):
        do_record_risk_assessment(report, assessment(), acting_user=getattr(personas, persona))
    answers = {q.key: ItemAnswer(Answer.NO) for q in EXPLOITATION_QUESTIONS}
    with pytest.raises(ActionRefused):
        do_record_exploitation_indicators(
            report,
            answers,
            assessed_on=timezone.localdate(),
            acting_user=getattr(personas, persona),
        )
    assert not RiskAssessmentRecord.objects.exists()


def test_a_deleted_report_takes_no_assessment(personas, report):
    report.shredded_at = timezone.now()
    report.save(update_fields=["shredded_at"])
    with pytest.raises(ActionRefused):
        do_record_risk_assessment(report, assessment(), acting_user=personas.caseworker)


def test_both_kinds_share_one_numbering_and_each_opens_as_its_own_kind(personas, report):
    do_record_risk_assessment(report, assessment(yes=3), acting_user=personas.caseworker)
    answers = {q.key: ItemAnswer(Answer.NO) for q in EXPLOITATION_QUESTIONS}
    answers["excessive_hours"] = ItemAnswer(Answer.YES, "14 hours a day")
    do_record_exploitation_indicators(
        report, answers, assessed_on=timezone.localdate(), acting_user=personas.caseworker
    )
    do_record_risk_assessment(report, assessment(yes=5), acting_user=personas.caseworker)
    assert list(report.risk_assessments.values_list("sequence", "kind")) == [
        (1, "domestic_abuse"),
        (2, "exploitation"),
        (3, "domestic_abuse"),
    ]
    unlocked = open_as_custodian(report, unlocked_organisation_key(personas.caseworker))
    history = risk_history(report, unlocked)
    assert [h.result.score for h in history] == [3, 5]
    assert history[1].change is not None and history[1].change.score_change == 2
    [exploitation] = exploitation_history(report, unlocked)
    assert exploitation.answers["excessive_hours"].comment == "14 hours a day"
    assert exploitation.result.labour_abuse and not exploitation.result.slavery_suspected
