"""Building assessments for the risk tests (real constructors, no fakes)."""

from __future__ import annotations

from datetime import date

from safereport.core.risk import (
    DOMESTIC_ABUSE_QUESTIONS,
    IMMIGRATION_ABUSE_INDICATORS,
    Answer,
    Incident,
    ItemAnswer,
    ProfessionalJudgement,
    RiskAssessment,
)

KEYS = [q.key for q in DOMESTIC_ABUSE_QUESTIONS]
# Checklist keys that do not feed the escalation flag, so yes answers to them
# change the score only.
NEUTRAL_KEYS = [k for k in KEYS if k not in {"more_often", "getting_worse"}]
INDICATOR_KEYS = [q.key for q in IMMIGRATION_ABUSE_INDICATORS]


def answers(
    yes: int = 0, not_known: int = 0, *, yes_keys: tuple[str, ...] = ()
) -> dict[str, ItemAnswer]:
    """``yes`` neutral questions answered yes, then ``not_known`` of the others
    not known, the rest no; ``yes_keys`` adds named yes answers."""
    result = {key: ItemAnswer(Answer.NO) for key in KEYS}
    for key in NEUTRAL_KEYS[:yes]:
        result[key] = ItemAnswer(Answer.YES, "said so")
    rest = [key for key in KEYS if result[key].answer is Answer.NO]
    assert len(rest) >= not_known, "too many answers asked for"
    for key in rest[:not_known]:
        result[key] = ItemAnswer(Answer.NOT_KNOWN)
    for key in yes_keys:
        result[key] = ItemAnswer(Answer.YES)
    return result


def indicators(*yes: str, not_known: tuple[str, ...] = ()) -> dict[str, ItemAnswer]:
    result = {key: ItemAnswer(Answer.NO) for key in INDICATOR_KEYS}
    for key in yes:
        result[key] = ItemAnswer(Answer.YES)
    for key in not_known:
        result[key] = ItemAnswer(Answer.NOT_KNOWN)
    return result


def assessment(
    *,
    yes: int = 0,
    not_known: int = 0,
    yes_keys: tuple[str, ...] = (),
    immigration: dict[str, ItemAnswer] | None = None,
    honour: Answer = Answer.NO,
    assessed_on: date = date(2026, 6, 1),
    incident: Incident | None = None,
    earlier: tuple[Incident, ...] = (),
    last_marac: date | None = None,
    judgement: ProfessionalJudgement | None = None,
) -> RiskAssessment:
    return RiskAssessment(
        assessed_on=assessed_on,
        incident=incident or Incident(assessed_on, "P1"),
        answers=answers(yes, not_known, yes_keys=yes_keys),
        immigration_answers=immigration if immigration is not None else indicators(),
        honour_based_abuse=ItemAnswer(honour),
        earlier_incidents=earlier,
        last_marac_referral_on=last_marac,
        judgement=judgement,
    )
