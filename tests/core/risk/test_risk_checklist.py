"""The questions themselves: 24 of them, stable keys, and completeness checks."""

from __future__ import annotations

from datetime import date

import pytest
from helpers_risk import answers, indicators

from safereport.core.risk import (
    DOMESTIC_ABUSE_QUESTIONS,
    HONOUR_BASED_ABUSE_QUESTION,
    IMMIGRATION_ABUSE_INDICATORS,
    YES_THRESHOLD,
    Answer,
    Incident,
    IncompleteAnswers,
    ItemAnswer,
    Question,
    RiskAssessment,
    UnknownQuestion,
)
from safereport.core.risk.checklist import check_complete


def test_there_are_24_numbered_questions_with_unique_keys() -> None:
    assert len(DOMESTIC_ABUSE_QUESTIONS) == 24
    assert [q.number for q in DOMESTIC_ABUSE_QUESTIONS] == list(range(1, 25))
    assert len({q.key for q in DOMESTIC_ABUSE_QUESTIONS}) == 24
    assert YES_THRESHOLD == 14


@pytest.mark.parametrize(
    "question",
    [*DOMESTIC_ABUSE_QUESTIONS, HONOUR_BASED_ABUSE_QUESTION, *IMMIGRATION_ABUSE_INDICATORS],
    ids=lambda q: q.key,
)
def test_every_question_is_a_plain_question_with_a_topic(question: Question) -> None:
    assert question.text.endswith("?")
    assert question.topic


def test_no_question_asks_about_the_persons_own_status() -> None:
    # The indicators ask what someone else does; none asks "what is your status".
    for question in IMMIGRATION_ABUSE_INDICATORS:
        assert "your immigration status" not in question.text.lower()
        assert "do you have a visa" not in question.text.lower()


def test_immigration_indicators_cover_the_named_forms_of_abuse() -> None:
    keys = {q.key for q in IMMIGRATION_ABUSE_INDICATORS}
    assert {
        "deportation_threats",
        "threats_to_report",
        "documents_withheld",
        "visa_used_as_control",
        "children_status_threats",
    } <= keys


def test_a_missing_answer_is_refused_by_name() -> None:
    partial = answers()
    del partial["strangling"]
    with pytest.raises(IncompleteAnswers) as caught:
        check_complete(partial, DOMESTIC_ABUSE_QUESTIONS)
    assert "strangling" in str(caught.value)
    assert caught.value.params == {"missing": "strangling"}


def test_an_answer_to_an_unknown_question_is_refused() -> None:
    extra = answers()
    extra["favourite_colour"] = ItemAnswer(Answer.YES)
    with pytest.raises(UnknownQuestion, match="favourite_colour"):
        check_complete(extra, DOMESTIC_ABUSE_QUESTIONS)


def test_an_assessment_needs_every_immigration_indicator_answered() -> None:
    partial = indicators()
    del partial["documents_withheld"]
    with pytest.raises(IncompleteAnswers, match="documents_withheld"):
        RiskAssessment(
            assessed_on=date(2026, 1, 1),
            incident=Incident(date(2026, 1, 1), "P1"),
            answers=answers(),
            immigration_answers=partial,
            honour_based_abuse=ItemAnswer(Answer.NO),
        )


def test_the_recorded_answers_cannot_be_changed_afterwards() -> None:
    source = answers(3)
    made = RiskAssessment(
        assessed_on=date(2026, 1, 1),
        incident=Incident(date(2026, 1, 1), "P1"),
        answers=source,
        immigration_answers=indicators(),
        honour_based_abuse=ItemAnswer(Answer.NO),
    )
    source["injured_now"] = ItemAnswer(Answer.NO)
    assert made.answers["injured_now"].answer is Answer.YES
    with pytest.raises(TypeError):
        made.answers["injured_now"] = ItemAnswer(Answer.NO)  # type: ignore[index]
