"""Assessments survive a trip through JSON unchanged; bad records are refused."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from helpers_risk import INDICATOR_KEYS, KEYS, assessment
from hypothesis import given
from hypothesis import strategies as st

from safereport.core.risk import (
    RECORD_VERSION,
    Answer,
    AssessmentHistory,
    Incident,
    IncompleteAnswers,
    InvalidRecord,
    ItemAnswer,
    JudgementReasonRequired,
    ProfessionalJudgement,
    RiskAssessment,
    RiskLevel,
    Severity,
    assess,
    assessment_from_data,
    assessment_to_data,
    history_from_data,
    history_to_data,
)

START = date(2024, 1, 1)

_item = st.builds(ItemAnswer, st.sampled_from(list(Answer)), st.text(max_size=20))
_severity = st.none() | st.sampled_from(list(Severity))
_refs = st.sampled_from(["P1", "P2"])


@st.composite
def assessments(draw: st.DrawFn) -> RiskAssessment:
    incident_on = START + timedelta(days=draw(st.integers(0, 900)))
    assessed_on = incident_on + timedelta(days=draw(st.integers(0, 30)))
    earlier = tuple(
        Incident(incident_on - timedelta(days=draw(st.integers(0, 600))), ref, sev)
        for ref, sev in draw(st.lists(st.tuples(_refs, _severity), max_size=4))
    )
    marac = draw(st.none() | st.integers(0, 700))
    judgement = draw(
        st.none()
        | st.builds(
            ProfessionalJudgement,
            st.sampled_from([RiskLevel.MEDIUM, RiskLevel.HIGH]),
            st.text(min_size=1, max_size=30).filter(str.strip),
        )
    )
    return RiskAssessment(
        assessed_on=assessed_on,
        incident=Incident(incident_on, draw(_refs), draw(_severity)),
        answers={key: draw(_item) for key in KEYS},
        immigration_answers={key: draw(_item) for key in INDICATOR_KEYS},
        honour_based_abuse=draw(_item),
        earlier_incidents=earlier,
        last_marac_referral_on=None if marac is None else assessed_on - timedelta(days=marac),
        judgement=judgement,
    )


@given(assessments())
def test_round_trip_through_json_keeps_everything(original: RiskAssessment) -> None:
    data = json.loads(json.dumps(assessment_to_data(original)))
    restored = assessment_from_data(data)
    assert restored == original
    assert assess(restored) == assess(original)


def test_a_record_names_its_version_and_plain_values() -> None:
    data = assessment_to_data(assessment(yes=2))
    assert data["version"] == RECORD_VERSION
    assert data["answers"]["injured_now"] == {"answer": "yes", "comment": "said so"}
    assert data["judgement"] is None
    assert data["last_marac_referral_on"] is None


def test_history_round_trip() -> None:
    history = AssessmentHistory(
        (assessment(yes=3, assessed_on=date(2026, 1, 1)), assessment(yes=9))
    )
    restored = history_from_data(json.loads(json.dumps(history_to_data(history))))
    assert restored == history
    assert restored.score_series() == history.score_series()


def _good() -> dict[str, Any]:
    return json.loads(json.dumps(assessment_to_data(assessment(yes=1))))


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (lambda d: d.update(version=99), "version 99"),
        (lambda d: d.pop("assessed_on"), "assessed_on is missing"),
        (lambda d: d.update(assessed_on="yesterday"), "assessed_on is not a date"),
        (lambda d: d.update(answers=[]), "answers has the wrong type"),
        (lambda d: d["answers"]["injured_now"].update(answer="maybe"), "not yes, no"),
        (lambda d: d["incident"].update(severity="awful"), "severity"),
        (lambda d: d.update(judgement={"level": "extreme", "reason": "x"}), "judgement.level"),
        (lambda d: d.update(earlier_incidents="none"), "earlier_incidents"),
        (lambda d: d.update(honour_based_abuse="no"), "honour_based_abuse"),
    ],
)
def test_malformed_records_are_refused(change: Any, detail: str) -> None:
    data = _good()
    change(data)
    with pytest.raises(InvalidRecord, match=detail):
        assessment_from_data(data)


def test_a_stored_record_is_checked_like_a_new_assessment() -> None:
    data = _good()
    del data["answers"]["strangling"]
    with pytest.raises(IncompleteAnswers):
        assessment_from_data(data)
    data = _good()
    data["judgement"] = {"level": "high", "reason": "  "}
    with pytest.raises(JudgementReasonRequired):
        assessment_from_data(data)
