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


def opened(personas, report):  # type: ignore[no-untyped-def]
    """The report opened with the custodian's organisation key."""
    return open_as_custodian(report, unlocked_organisation_key(personas.caseworker))


def assessment(yes: int = 0, **data: str):  # type: ignore[no-untyped-def]
    form = RiskChecklistForm(checklist(yes, **data), today=timezone.localdate())
    assert form.is_valid(), form.errors
    return form.to_assessment()


def test_the_record_opens_back_to_the_same_assessment(personas, report):
    recorded = assessment(yes=14, da_stalking_comment="follows her to work")
    row = do_record_risk_assessment(
        report, recorded, unlocked=opened(personas, report), acting_user=personas.caseworker
    )
    assert (row.sequence, row.item_id, row.kind) == (1, "risk:1", "domestic_abuse")
    unlocked = opened(personas, report)
    [read_back] = risk_history(report, unlocked)
    assert read_back.assessment == recorded
    assert read_back.result.score == 14 and read_back.result.level is RiskLevel.HIGH
    assert read_back.assessment.answers["stalking"].comment == "follows her to work"
    assert read_back.change is None


@pytest.mark.parametrize("persona", ["other_caseworker", "police_liaison", "service_staff"])
def test_only_the_custodians_case_roles_may_record(personas, report, persona):
    with pytest.raises(ActionRefused):
        do_record_risk_assessment(
            report,
            assessment(),
            unlocked=opened(personas, report),
            acting_user=getattr(personas, persona),
        )
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
        do_record_risk_assessment(
            report, assessment(), unlocked=opened(personas, report), acting_user=personas.caseworker
        )


def test_both_kinds_share_one_numbering_and_each_opens_as_its_own_kind(personas, report):
    do_record_risk_assessment(
        report,
        assessment(yes=3),
        unlocked=opened(personas, report),
        acting_user=personas.caseworker,
    )
    answers = {q.key: ItemAnswer(Answer.NO) for q in EXPLOITATION_QUESTIONS}
    answers["excessive_hours"] = ItemAnswer(Answer.YES, "14 hours a day")
    do_record_exploitation_indicators(
        report, answers, assessed_on=timezone.localdate(), acting_user=personas.caseworker
    )
    do_record_risk_assessment(
        report,
        assessment(yes=5),
        unlocked=opened(personas, report),
        acting_user=personas.caseworker,
    )
    assert list(report.risk_assessments.values_list("sequence", "kind")) == [
        (1, "domestic_abuse"),
        (2, "exploitation"),
        (3, "domestic_abuse"),
    ]
    unlocked = opened(personas, report)
    history = risk_history(report, unlocked)
    assert [h.result.score for h in history] == [3, 5]
    assert history[1].change is not None and history[1].change.score_change == 2
    [exploitation] = exploitation_history(report, unlocked)
    assert exploitation.answers["excessive_hours"].comment == "14 hours a day"
    assert exploitation.result.labour_abuse and not exploitation.result.slavery_suspected


def test_a_reassessment_dated_before_the_latest_is_refused(personas, report):
    from dataclasses import replace
    from datetime import timedelta

    from safereport.core.risk import OutOfOrderAssessment

    today = assessment(yes=3)
    do_record_risk_assessment(
        report, today, unlocked=opened(personas, report), acting_user=personas.caseworker
    )
    earlier = replace(today, assessed_on=today.assessed_on - timedelta(days=1))
    with pytest.raises(OutOfOrderAssessment):
        do_record_risk_assessment(
            report, earlier, unlocked=opened(personas, report), acting_user=personas.caseworker
        )
    assert RiskAssessmentRecord.objects.filter(report=report).count() == 1


def test_a_key_of_another_report_is_refused(personas, report):
    from sr_testing.reports import submit

    other, _ = submit(personas)
    with pytest.raises(ActionRefused):
        do_record_risk_assessment(
            report,
            assessment(),
            unlocked=opened(personas, other),
            acting_user=personas.caseworker,
        )
    assert not RiskAssessmentRecord.objects.exists()


def test_the_latest_level_is_kept_in_the_clear_for_the_inbox(personas, report):
    """Only "high or not" leaves the sealed record: the inbox filters on it."""
    from safereport.cases.selectors import inbox_page

    def high_risk_listed() -> bool:
        return report in inbox_page(personas.caseworker, view="high-risk").reports

    assert not high_risk_listed()
    for yes, high in [(14, True), (2, False), (15, True)]:
        do_record_risk_assessment(
            report,
            assessment(yes=yes),
            unlocked=opened(personas, report),
            acting_user=personas.caseworker,
        )
        report.refresh_from_db()
        assert report.risk_high is high
        assert high_risk_listed() is high
