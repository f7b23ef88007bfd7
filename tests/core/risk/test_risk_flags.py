"""Every risk flag: escalation, repeat, honour-based abuse, immigration-related abuse."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from helpers_risk import INDICATOR_KEYS, assessment, indicators

from safereport.core.risk import (
    Answer,
    Incident,
    ReasonCode,
    RiskFlag,
    RiskLevel,
    Severity,
    assess,
)

TODAY = date(2026, 6, 1)


def flags_of(**kwargs: Any) -> tuple[RiskFlag, ...]:
    return assess(assessment(**kwargs)).flags


def test_no_flags_on_a_plain_first_incident() -> None:
    result = assess(assessment(yes=3))
    assert result.flags == ()
    assert result.level is RiskLevel.STANDARD


# --- escalation ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["more_often", "getting_worse"])
def test_escalation_repeat_incident_and_answer_says_more_often_or_worse(key: str) -> None:
    result = assess(
        assessment(
            yes_keys=(key,),
            incident=Incident(TODAY, "P1"),
            earlier=(Incident(date(2026, 1, 10), "P1"),),
        )
    )
    assert RiskFlag.ESCALATION in result.flags
    assert result.level is RiskLevel.HIGH
    assert result.suggests_marac
    assert ReasonCode.ESCALATION in [r.code for r in result.reasons]


def test_escalation_from_shrinking_gaps_between_incidents() -> None:
    earlier = (Incident(date(2025, 9, 1), "P1"), Incident(date(2026, 3, 1), "P1"))
    # gaps: 181 days, then 92 days
    assert RiskFlag.ESCALATION in flags_of(incident=Incident(TODAY, "P1"), earlier=earlier)


def test_no_escalation_when_gaps_grow_and_nothing_else_says_worse() -> None:
    earlier = (Incident(date(2026, 2, 1), "P1"), Incident(date(2026, 3, 1), "P1"))
    # gaps: 28 days, then 92 days
    assert RiskFlag.ESCALATION not in flags_of(incident=Incident(TODAY, "P1"), earlier=earlier)


def test_escalation_from_rising_severity() -> None:
    earlier = (Incident(date(2026, 2, 1), "P1", Severity.MODERATE),)
    current = Incident(TODAY, "P1", Severity.SERIOUS)
    assert RiskFlag.ESCALATION in flags_of(incident=current, earlier=earlier)


@pytest.mark.parametrize("severity", [Severity.MODERATE, Severity.MINOR, None])
def test_no_escalation_when_severity_does_not_rise(severity: Severity | None) -> None:
    earlier = (Incident(date(2026, 2, 1), "P1", Severity.MODERATE),)
    current = Incident(TODAY, "P1", severity)
    assert RiskFlag.ESCALATION not in flags_of(incident=current, earlier=earlier)


def test_no_escalation_for_a_single_incident_even_if_worse() -> None:
    assert RiskFlag.ESCALATION not in flags_of(yes_keys=("getting_worse", "more_often"))


def test_no_escalation_when_the_earlier_incident_was_by_someone_else() -> None:
    earlier = (Incident(date(2026, 2, 1), "P2", Severity.MINOR),)
    current = Incident(TODAY, "P1", Severity.LIFE_THREATENING)
    assert RiskFlag.ESCALATION not in flags_of(
        incident=current, earlier=earlier, yes_keys=("getting_worse",)
    )


def test_escalation_window_is_twelve_calendar_months() -> None:
    current = Incident(TODAY, "P1")
    inside = (Incident(date(2025, 6, 1), "P1"),)  # exactly 12 months before
    outside = (Incident(date(2025, 5, 31), "P1"),)
    assert RiskFlag.ESCALATION in flags_of(
        incident=current, earlier=inside, yes_keys=("more_often",)
    )
    assert RiskFlag.ESCALATION not in flags_of(
        incident=current, earlier=outside, yes_keys=("more_often",)
    )


def test_escalation_ignores_incidents_older_than_the_window_for_gaps() -> None:
    # Two old incidents far apart, one recent: only one earlier incident is in the window,
    # so there are too few incidents to compare gaps.
    earlier = (Incident(date(2024, 1, 1), "P1"), Incident(date(2026, 5, 1), "P1"))
    assert RiskFlag.ESCALATION not in flags_of(incident=Incident(TODAY, "P1"), earlier=earlier)


# --- repeat ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marac_on", "repeat"),
    [
        (date(2026, 1, 15), True),
        (date(2025, 6, 1), True),  # exactly 12 months before the incident
        (date(2025, 5, 31), False),  # 12 months and a day
        (TODAY, False),  # the referral made for this very incident
        (None, False),
    ],
)
def test_repeat_is_a_new_incident_within_12_months_of_a_marac(
    marac_on: date | None, repeat: bool
) -> None:
    result = assess(assessment(yes=2, last_marac=marac_on))
    assert (RiskFlag.REPEAT in result.flags) is repeat
    assert result.suggests_marac is repeat
    assert (ReasonCode.REPEAT in [r.code for r in result.reasons]) is repeat


def test_repeat_counts_from_the_incident_date_not_the_assessment_date() -> None:
    result = assess(
        assessment(
            assessed_on=date(2026, 8, 1),
            incident=Incident(date(2026, 5, 20), "P1"),
            last_marac=date(2025, 6, 1),
        )
    )
    assert RiskFlag.REPEAT in result.flags


# --- honour-based abuse ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "flagged", "noted"),
    [(Answer.YES, True, False), (Answer.NO, False, False), (Answer.NOT_KNOWN, False, True)],
)
def test_honour_based_abuse_flag(answer: Answer, flagged: bool, noted: bool) -> None:
    result = assess(assessment(yes=1, honour=answer))
    assert (RiskFlag.HONOUR_BASED_ABUSE in result.flags) is flagged
    assert result.level is (RiskLevel.MEDIUM if flagged else RiskLevel.STANDARD)
    assert (ReasonCode.HONOUR_NOT_KNOWN in [n.code for n in result.notes]) is noted
    assert ("honour_based_abuse" in [q.key for q in result.risk_factors]) is flagged


# --- immigration-related abuse ---------------------------------------------------------


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_each_immigration_indicator_is_a_risk_factor_and_raises_to_medium(key: str) -> None:
    result = assess(assessment(yes=0, immigration=indicators(key)))
    assert RiskFlag.IMMIGRATION_ABUSE in result.flags
    assert result.immigration_present == (key,)
    assert key in [q.key for q in result.risk_factors]
    assert result.level is RiskLevel.MEDIUM
    assert not result.suggests_marac
    (reason,) = [r for r in result.reasons if r.code is ReasonCode.IMMIGRATION_ABUSE]
    assert reason.params == {"count": 1}


def test_immigration_indicators_not_known_are_noted_not_flagged() -> None:
    result = assess(assessment(immigration=indicators(not_known=("documents_withheld",))))
    assert RiskFlag.IMMIGRATION_ABUSE not in result.flags
    assert result.immigration_not_known == ("documents_withheld",)
    assert ReasonCode.IMMIGRATION_NOT_KNOWN in [n.code for n in result.notes]
    assert result.level is RiskLevel.STANDARD


def test_immigration_abuse_with_a_high_score_stays_high_and_lists_all_reasons() -> None:
    result = assess(
        assessment(yes=14, immigration=indicators("documents_withheld", "deportation_threats"))
    )
    assert result.level is RiskLevel.HIGH
    assert [r.code for r in result.reasons] == [
        ReasonCode.SCORE_AT_THRESHOLD,
        ReasonCode.IMMIGRATION_ABUSE,
    ]
    assert result.immigration_present == ("deportation_threats", "documents_withheld")


def test_all_flags_together() -> None:
    result = assess(
        assessment(
            yes=4,
            yes_keys=("getting_worse",),
            honour=Answer.YES,
            immigration=indicators("visa_used_as_control"),
            earlier=(Incident(date(2026, 3, 1), "P1"),),
            last_marac=date(2026, 2, 1),
        )
    )
    assert result.flags == (
        RiskFlag.ESCALATION,
        RiskFlag.REPEAT,
        RiskFlag.HONOUR_BASED_ABUSE,
        RiskFlag.IMMIGRATION_ABUSE,
    )
    assert result.level is RiskLevel.HIGH
    assert result.score == 5
