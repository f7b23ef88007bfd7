"""Score, threshold, not-known answers, professional judgement and dates."""

from __future__ import annotations

from datetime import date

import pytest
from helpers_risk import assessment, indicators

from safereport.core.risk import (
    InvalidDates,
    JudgementCannotLower,
    JudgementReasonRequired,
    ProfessionalJudgement,
    ReasonCode,
    RiskLevel,
    assess,
)
from safereport.core.risk.assessment import Incident


@pytest.mark.parametrize(
    ("yes", "level", "marac"),
    [
        (0, RiskLevel.STANDARD, False),
        (13, RiskLevel.STANDARD, False),
        (14, RiskLevel.HIGH, True),
        (15, RiskLevel.HIGH, True),
        (22, RiskLevel.HIGH, True),
    ],
)
def test_fourteen_yes_answers_suggest_high_risk_and_marac(
    yes: int, level: RiskLevel, marac: bool
) -> None:
    result = assess(assessment(yes=yes))
    assert result.score == yes
    assert result.score_suggests_high is (yes >= 14)
    assert result.level is level
    assert result.suggests_marac is marac
    codes = [r.code for r in result.reasons]
    assert (ReasonCode.SCORE_AT_THRESHOLD in codes) is marac


def test_score_reason_names_the_score_and_threshold() -> None:
    result = assess(assessment(yes=15))
    (reason,) = result.reasons
    assert reason.params == {"score": 15, "threshold": 14}
    assert reason.text().startswith("15 of 24 answers are yes (14 or more")


def test_below_threshold_the_result_reminds_that_judgement_can_escalate() -> None:
    low = assess(assessment(yes=13))
    high = assess(assessment(yes=14))
    assert ReasonCode.SCORE_BELOW_THRESHOLD in [n.code for n in low.notes]
    assert ReasonCode.SCORE_BELOW_THRESHOLD not in [n.code for n in high.notes]


def test_not_known_is_never_counted_as_yes() -> None:
    result = assess(assessment(yes=13, not_known=11))
    assert result.score == 13
    assert len(result.not_known_keys) == 11
    assert result.level is RiskLevel.STANDARD
    assert not result.suggests_marac
    (note,) = [n for n in result.notes if n.code is ReasonCode.ANSWERS_NOT_KNOWN]
    assert note.params == {"count": 11}


def test_all_not_known_scores_zero_and_says_so() -> None:
    result = assess(assessment(not_known=24))
    assert result.score == 0
    assert len(result.not_known_keys) == 24
    assert ReasonCode.ANSWERS_NOT_KNOWN in [n.code for n in result.notes]


def test_no_not_known_note_when_everything_was_answered() -> None:
    result = assess(assessment(yes=5))
    assert ReasonCode.ANSWERS_NOT_KNOWN not in [n.code for n in result.notes]
    assert result.not_known_keys == ()


def test_yes_keys_follow_question_order_and_are_the_risk_factors() -> None:
    result = assess(assessment(yes_keys=("police_record", "injured_now")))
    assert result.yes_keys == ("injured_now", "police_record")
    assert [q.key for q in result.risk_factors] == ["injured_now", "police_record"]


# --- professional judgement -----------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_judgement_needs_a_written_reason(reason: str) -> None:
    with pytest.raises(JudgementReasonRequired):
        ProfessionalJudgement(RiskLevel.HIGH, reason)


def test_judgement_cannot_be_used_to_set_standard() -> None:
    with pytest.raises(JudgementCannotLower):
        ProfessionalJudgement(RiskLevel.STANDARD, "seems fine")


@pytest.mark.parametrize("yes", [0, 5, 13])
def test_judgement_escalates_to_high_at_any_score(yes: int) -> None:
    judgement = ProfessionalJudgement(RiskLevel.HIGH, " He has bought a gun. ")
    result = assess(assessment(yes=yes, judgement=judgement))
    assert result.level is RiskLevel.HIGH
    assert result.suggests_marac
    (reason,) = [r for r in result.reasons if r.code is ReasonCode.PROFESSIONAL_JUDGEMENT]
    assert reason.params == {"reason": "He has bought a gun."}
    assert reason.text() == "Raised by professional judgement: He has bought a gun."


def test_judgement_to_medium_raises_standard_but_suggests_no_marac() -> None:
    judgement = ProfessionalJudgement(RiskLevel.MEDIUM, "Very isolated, new in the area.")
    result = assess(assessment(yes=2, judgement=judgement))
    assert result.level is RiskLevel.MEDIUM
    assert not result.suggests_marac


def test_judgement_never_lowers_what_the_score_suggests() -> None:
    judgement = ProfessionalJudgement(RiskLevel.MEDIUM, "Partner has moved abroad.")
    result = assess(assessment(yes=15, judgement=judgement))
    assert result.level is RiskLevel.HIGH
    assert result.suggests_marac


# --- dates ------------------------------------------------------------------------------


def test_incident_after_the_assessment_is_refused() -> None:
    with pytest.raises(InvalidDates, match="incident is dated after"):
        assessment(assessed_on=date(2026, 6, 1), incident=Incident(date(2026, 6, 2), "P1"))


def test_earlier_incident_after_the_current_one_is_refused() -> None:
    with pytest.raises(InvalidDates, match="earlier incident"):
        assessment(
            assessed_on=date(2026, 6, 10),
            incident=Incident(date(2026, 6, 1), "P1"),
            earlier=(Incident(date(2026, 6, 5), "P1"),),
        )


def test_marac_referral_after_the_assessment_is_refused() -> None:
    with pytest.raises(InvalidDates, match="MARAC"):
        assessment(assessed_on=date(2026, 6, 1), last_marac=date(2026, 7, 1))


def test_immigration_indicators_do_not_change_the_score() -> None:
    plain = assess(assessment(yes=13))
    with_abuse = assess(assessment(yes=13, immigration=indicators("deportation_threats")))
    assert plain.score == with_abuse.score == 13
    assert not with_abuse.score_suggests_high
