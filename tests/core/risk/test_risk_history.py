"""Re-assessment keeps the history; comparison says what changed."""

from __future__ import annotations

from datetime import date

import pytest
from helpers_risk import KEYS, answers, assessment, indicators
from hypothesis import given
from hypothesis import strategies as st

from safereport.core.risk import (
    Answer,
    AssessmentHistory,
    Incident,
    ItemAnswer,
    OutOfOrderAssessment,
    ProfessionalJudgement,
    RiskAssessment,
    RiskFlag,
    RiskLevel,
    Trend,
    compare,
)

FIRST = date(2026, 1, 10)
SECOND = date(2026, 3, 2)
THIRD = date(2026, 5, 20)


def test_an_empty_history_has_nothing_to_say() -> None:
    history = AssessmentHistory()
    assert len(history) == 0
    assert history.latest is None
    assert history.trend() is None
    assert history.highest_level() is None
    assert history.changes() == ()
    assert history.score_series() == ()


def test_adding_keeps_every_earlier_assessment_unchanged() -> None:
    first = assessment(yes=6, assessed_on=FIRST)
    second = assessment(yes=9, assessed_on=SECOND)
    one = AssessmentHistory().with_added(first)
    two = one.with_added(second)
    assert list(one) == [first]  # the old history is not touched
    assert list(two) == [first, second]
    assert two.latest is second
    assert two.previous is first
    assert two.score_series() == ((FIRST, 6), (SECOND, 9))


def test_a_reassessment_dated_before_the_latest_is_refused() -> None:
    history = AssessmentHistory((assessment(assessed_on=SECOND),))
    with pytest.raises(OutOfOrderAssessment, match="2026-03-02"):
        history.with_added(assessment(assessed_on=FIRST))


def test_a_history_built_out_of_order_is_refused() -> None:
    with pytest.raises(OutOfOrderAssessment):
        AssessmentHistory((assessment(assessed_on=SECOND), assessment(assessed_on=FIRST)))


def test_two_assessments_on_one_day_are_allowed() -> None:
    history = AssessmentHistory().with_added(assessment(assessed_on=FIRST))
    history = history.with_added(assessment(yes=3, assessed_on=FIRST))
    assert len(history) == 2


@pytest.mark.parametrize(
    ("scores", "trend"),
    [
        ((5,), Trend.FIRST),
        ((5, 9), Trend.RISING),
        ((9, 5), Trend.FALLING),
        ((7, 7), Trend.STEADY),
        ((3, 12, 8), Trend.FALLING),
    ],
)
def test_trend_compares_the_latest_with_the_previous(scores: tuple[int, ...], trend: Trend) -> None:
    days = [FIRST, SECOND, THIRD]
    history = AssessmentHistory(
        tuple(assessment(yes=s, assessed_on=d) for s, d in zip(scores, days, strict=False))
    )
    assert history.trend() is trend


def test_compare_lists_changed_answers_flags_and_levels() -> None:
    before = assessment(yes=13, assessed_on=FIRST)
    after_answers = answers(13)
    after_answers["injured_now"] = ItemAnswer(Answer.NOT_KNOWN)  # was yes
    after_answers["broke_orders"] = ItemAnswer(Answer.YES)  # was no
    after_answers["police_record"] = ItemAnswer(Answer.YES)  # was no
    after = RiskAssessment(
        assessed_on=SECOND,
        incident=Incident(SECOND, "P1"),
        answers=after_answers,
        immigration_answers=indicators("documents_withheld"),
        honour_based_abuse=ItemAnswer(Answer.NOT_KNOWN),
        earlier_incidents=(Incident(FIRST, "P1"),),
    )
    change = compare(before, after)
    assert (change.score_before, change.score_after, change.score_change) == (13, 14, 1)
    assert change.trend is Trend.RISING
    assert change.days_between == (SECOND - FIRST).days
    assert (change.level_before, change.level_after) == (RiskLevel.STANDARD, RiskLevel.HIGH)
    assert (change.marac_before, change.marac_after) == (False, True)
    assert change.level_raised and not change.level_lowered
    assert [q.key for q in change.newly_yes] == ["broke_orders", "police_record"]
    assert [q.key for q in change.no_longer_yes] == ["injured_now"]
    assert [(c.question.key, c.before, c.after) for c in change.answers_changed] == [
        ("injured_now", Answer.YES, Answer.NOT_KNOWN),
        ("broke_orders", Answer.NO, Answer.YES),
        ("police_record", Answer.NO, Answer.YES),
    ]
    assert [(c.question.key, c.after) for c in change.indicators_changed] == [
        ("documents_withheld", Answer.YES)
    ]
    assert change.flags_added == (RiskFlag.IMMIGRATION_ABUSE,)
    assert change.flags_removed == ()
    assert (change.honour_before, change.honour_after) == (Answer.NO, Answer.NOT_KNOWN)


def test_compare_sees_a_flag_go_and_the_level_fall() -> None:
    judged = ProfessionalJudgement(RiskLevel.HIGH, "Threats made at the school gate.")
    before = assessment(
        yes=4, assessed_on=FIRST, immigration=indicators("deportation_threats"), judgement=judged
    )
    after = assessment(yes=4, assessed_on=SECOND)
    change = compare(before, after)
    assert change.flags_removed == (RiskFlag.IMMIGRATION_ABUSE,)
    assert change.level_lowered
    assert change.trend is Trend.STEADY
    assert change.answers_changed == ()


def test_history_changes_pair_each_assessment_with_the_next() -> None:
    a, b, c = (assessment(yes=s, assessed_on=d) for s, d in ((2, FIRST), (6, SECOND), (4, THIRD)))
    history = AssessmentHistory((a, b, c))
    assert [(ch.score_before, ch.score_after) for ch in history.changes()] == [(2, 6), (6, 4)]
    assert history.latest_change() == compare(b, c)
    assert [r.score for r in history.results()] == [2, 6, 4]


def test_highest_level_remembers_a_past_high() -> None:
    history = AssessmentHistory(
        (assessment(yes=15, assessed_on=FIRST), assessment(yes=2, assessed_on=SECOND))
    )
    assert history.highest_level() is RiskLevel.HIGH


_answer = st.sampled_from(list(Answer))


@given(st.lists(_answer, min_size=24, max_size=24), st.lists(_answer, min_size=24, max_size=24))
def test_comparison_is_consistent_with_the_scores(
    first: list[Answer], second: list[Answer]
) -> None:
    def build(values: list[Answer], on: date) -> RiskAssessment:
        return RiskAssessment(
            assessed_on=on,
            incident=Incident(on, "P1"),
            answers={k: ItemAnswer(v) for k, v in zip(KEYS, values, strict=True)},
            immigration_answers=indicators(),
            honour_based_abuse=ItemAnswer(Answer.NO),
        )

    before, after = build(first, FIRST), build(second, SECOND)
    change = compare(before, after)
    assert change.score_change == len(change.newly_yes) - len(change.no_longer_yes)
    assert change.score_before == first.count(Answer.YES)
    assert change.score_after == second.count(Answer.YES)
    assert len(change.answers_changed) == sum(a != b for a, b in zip(first, second, strict=True))
    assert compare(after, after).answers_changed == ()
