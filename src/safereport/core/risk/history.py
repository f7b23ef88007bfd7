"""Re-assessment: a case's risk assessments over time, and what changed.

After a new incident the caseworker completes the checklist again. Nothing
is overwritten: ``AssessmentHistory`` is an immutable sequence of
assessments in date order, and ``with_added`` returns a new history with one
more. ``compare`` says what changed between two assessments (answers,
immigration-abuse indicators, flags, score and level); ``trend`` says
whether the score went up, down or stayed the same since the previous one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import pairwise

from safereport.core.risk.assessment import (
    LEVEL_RANK,
    RiskAssessment,
    RiskFlag,
    RiskLevel,
    RiskResult,
    assess,
)
from safereport.core.risk.checklist import (
    DOMESTIC_ABUSE_QUESTIONS,
    IMMIGRATION_ABUSE_INDICATORS,
    Answer,
    Question,
)
from safereport.core.risk.errors import OutOfOrderAssessment


class Trend(StrEnum):
    FIRST = "first"  # only one assessment so far
    RISING = "rising"
    STEADY = "steady"
    FALLING = "falling"


@dataclass(frozen=True, slots=True)
class AnswerChange:
    question: Question
    before: Answer
    after: Answer


@dataclass(frozen=True, slots=True)
class AssessmentChange:
    """What changed from one assessment to the next."""

    before_on: date
    after_on: date
    score_before: int
    score_after: int
    level_before: RiskLevel
    level_after: RiskLevel
    marac_before: bool
    marac_after: bool
    answers_changed: tuple[AnswerChange, ...]
    indicators_changed: tuple[AnswerChange, ...]
    flags_added: tuple[RiskFlag, ...]
    flags_removed: tuple[RiskFlag, ...]
    honour_before: Answer
    honour_after: Answer

    @property
    def score_change(self) -> int:
        return self.score_after - self.score_before

    @property
    def days_between(self) -> int:
        return (self.after_on - self.before_on).days

    @property
    def trend(self) -> Trend:
        if self.score_after > self.score_before:
            return Trend.RISING
        if self.score_after < self.score_before:
            return Trend.FALLING
        return Trend.STEADY

    @property
    def level_raised(self) -> bool:
        return LEVEL_RANK[self.level_after] > LEVEL_RANK[self.level_before]

    @property
    def level_lowered(self) -> bool:
        return LEVEL_RANK[self.level_after] < LEVEL_RANK[self.level_before]

    @property
    def newly_yes(self) -> tuple[Question, ...]:
        """Checklist questions that are "yes" now and were not before."""
        return tuple(c.question for c in self.answers_changed if c.after is Answer.YES)

    @property
    def no_longer_yes(self) -> tuple[Question, ...]:
        """Checklist questions that were "yes" before and are not now."""
        return tuple(c.question for c in self.answers_changed if c.before is Answer.YES)


def _changes(
    questions: tuple[Question, ...],
    before: RiskAssessment,
    after: RiskAssessment,
    *,
    immigration: bool,
) -> tuple[AnswerChange, ...]:
    old = before.immigration_answers if immigration else before.answers
    new = after.immigration_answers if immigration else after.answers
    return tuple(
        AnswerChange(q, old[q.key].answer, new[q.key].answer)
        for q in questions
        if old[q.key].answer is not new[q.key].answer
    )


def compare(before: RiskAssessment, after: RiskAssessment) -> AssessmentChange:
    """What changed from ``before`` to ``after`` (answers, flags, score, level)."""
    old, new = assess(before), assess(after)
    return AssessmentChange(
        before_on=before.assessed_on,
        after_on=after.assessed_on,
        score_before=old.score,
        score_after=new.score,
        level_before=old.level,
        level_after=new.level,
        marac_before=old.suggests_marac,
        marac_after=new.suggests_marac,
        answers_changed=_changes(DOMESTIC_ABUSE_QUESTIONS, before, after, immigration=False),
        indicators_changed=_changes(IMMIGRATION_ABUSE_INDICATORS, before, after, immigration=True),
        flags_added=tuple(f for f in RiskFlag if f in new.flags and f not in old.flags),
        flags_removed=tuple(f for f in RiskFlag if f in old.flags and f not in new.flags),
        honour_before=before.honour_based_abuse.answer,
        honour_after=after.honour_based_abuse.answer,
    )


@dataclass(frozen=True, slots=True)
class AssessmentHistory:
    """A case's assessments, oldest first. Never edited in place."""

    assessments: tuple[RiskAssessment, ...] = ()

    def __post_init__(self) -> None:
        items = tuple(self.assessments)
        object.__setattr__(self, "assessments", items)
        for earlier, later in pairwise(items):
            if later.assessed_on < earlier.assessed_on:
                raise OutOfOrderAssessment(latest=earlier.assessed_on.isoformat())

    def __len__(self) -> int:
        return len(self.assessments)

    def __iter__(self) -> Iterator[RiskAssessment]:
        return iter(self.assessments)

    def with_added(self, assessment: RiskAssessment) -> AssessmentHistory:
        """A new history with ``assessment`` at the end (the same date as the
        latest is allowed: a second incident on one day)."""
        latest = self.latest
        if latest is not None and assessment.assessed_on < latest.assessed_on:
            raise OutOfOrderAssessment(latest=latest.assessed_on.isoformat())
        return AssessmentHistory((*self.assessments, assessment))

    @property
    def latest(self) -> RiskAssessment | None:
        return self.assessments[-1] if self.assessments else None

    @property
    def previous(self) -> RiskAssessment | None:
        return self.assessments[-2] if len(self.assessments) >= 2 else None

    def results(self) -> tuple[RiskResult, ...]:
        return tuple(assess(a) for a in self.assessments)

    def score_series(self) -> tuple[tuple[date, int], ...]:
        """(date, score) for every assessment, oldest first, for a chart or table."""
        return tuple((a.assessed_on, r.score) for a, r in zip(self, self.results(), strict=True))

    def changes(self) -> tuple[AssessmentChange, ...]:
        """The change between each assessment and the one after it."""
        items = self.assessments
        return tuple(compare(a, b) for a, b in pairwise(items))

    def latest_change(self) -> AssessmentChange | None:
        if self.previous is None or self.latest is None:
            return None
        return compare(self.previous, self.latest)

    def trend(self) -> Trend | None:
        """The score trend of the latest assessment against the one before;
        ``None`` for an empty history."""
        if not self.assessments:
            return None
        change = self.latest_change()
        return Trend.FIRST if change is None else change.trend

    def highest_level(self) -> RiskLevel | None:
        """The highest level any assessment in the history suggested."""
        results = self.results()
        if not results:
            return None
        return max((r.level for r in results), key=lambda level: LEVEL_RANK[level])
