"""Scoring one domestic-abuse risk assessment, and why it suggests what it does.

How the result is reached (the score never decides alone):

1. **Score.** The score is the number of "yes" answers to the 24 checklist
   questions (``DOMESTIC_ABUSE_QUESTIONS``). "Not known" is not "yes" and
   not "no": it adds nothing to the score, and every "not known" is listed
   with a note that the score may understate the risk. A score of
   ``YES_THRESHOLD`` (14) or more suggests high risk and a MARAC referral.
   The threshold counts the 24 questions only, exactly as the checklist is
   used in practice; nothing else is added to the score, so a score of 14
   means the same here as on any other copy of the checklist.

2. **Flags.** Four flags are worked out from the answers and the dates:

   * ``ESCALATION``: at least two incidents by the same person (the same
     ``perpetrator_ref``) within the 12 months up to the current incident,
     *and* signs that it is increasing: the gaps between incidents are
     shrinking (three or more incidents, the latest gap shorter than the one
     before), the current incident is more severe than any earlier one in
     the window, or the person answered "yes" to "happening more often" or
     "getting worse".
   * ``REPEAT``: the current incident happened after a previous MARAC
     referral and no more than 12 calendar months after it.
   * ``HONOUR_BASED_ABUSE``: "yes" to the honour-based abuse question.
   * ``IMMIGRATION_ABUSE``: "yes" to any indicator of immigration-related
     abuse (``IMMIGRATION_ABUSE_INDICATORS``).

3. **Level.** The suggested level is the highest that any reason gives:

   * high, with a MARAC referral suggested: a score of 14 or more, the
     escalation flag, the repeat flag (the criteria MARACs use besides the
     score), or professional judgement set to high;
   * medium: the honour-based abuse flag, any immigration-abuse indicator,
     or professional judgement set to medium;
   * standard otherwise.

   Immigration-related abuse therefore counts as risk without touching the
   score: each indicator answered "yes" is listed among the risk factors
   next to the checklist items, and any of them raises the suggestion to at
   least medium, which prompts the caseworker to weigh it. If the caseworker
   judges that it makes the risk high (for example threats of deportation
   used to stop someone leaving), professional judgement raises it, with
   the reason written down. We chose this over adding the indicators to the
   score so that "14 or more" keeps its meaning and a MARAC can read our
   score like any other.

4. **Professional judgement** can raise the level at any score, to medium or
   high, and always needs a written reason (``ProfessionalJudgement``). It
   can never lower what the answers and flags suggest: there is no way to
   record a judgement of "standard".

Every reason and note carries plain English text (``gettext_noop``) that the
case-work page shows beside the suggestion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from safereport.core.i18n import gettext_noop
from safereport.core.risk.checklist import (
    DOMESTIC_ABUSE_QUESTIONS,
    GETTING_WORSE_KEY,
    HONOUR_BASED_ABUSE_QUESTION,
    IMMIGRATION_ABUSE_INDICATORS,
    MORE_OFTEN_KEY,
    YES_THRESHOLD,
    Answer,
    ItemAnswer,
    Question,
    check_complete,
    keys_with,
)
from safereport.core.risk.errors import (
    InvalidDates,
    JudgementCannotLower,
    JudgementReasonRequired,
)
from safereport.core.risk.months import add_months, within_months_after

WINDOW_MONTHS = 12
"""Escalation and repeat both look back 12 calendar months."""


class RiskLevel(StrEnum):
    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"


LEVEL_RANK: Mapping[RiskLevel, int] = {
    RiskLevel.STANDARD: 0,
    RiskLevel.MEDIUM: 1,
    RiskLevel.HIGH: 2,
}

LEVEL_LABELS: Mapping[RiskLevel, str] = {
    RiskLevel.STANDARD: gettext_noop("Standard"),
    RiskLevel.MEDIUM: gettext_noop("Medium"),
    RiskLevel.HIGH: gettext_noop("High"),
}


class Severity(StrEnum):
    """How serious an incident was, as the caseworker records it."""

    MINOR = "minor"
    MODERATE = "moderate"
    SERIOUS = "serious"
    LIFE_THREATENING = "life_threatening"


SEVERITY_RANK: Mapping[Severity, int] = {
    Severity.MINOR: 0,
    Severity.MODERATE: 1,
    Severity.SERIOUS: 2,
    Severity.LIFE_THREATENING: 3,
}


class RiskFlag(StrEnum):
    ESCALATION = "escalation"
    REPEAT = "repeat"
    HONOUR_BASED_ABUSE = "honour_based_abuse"
    IMMIGRATION_ABUSE = "immigration_abuse"


FLAG_LABELS: Mapping[RiskFlag, str] = {
    RiskFlag.ESCALATION: gettext_noop("Escalation"),
    RiskFlag.REPEAT: gettext_noop("Repeat after MARAC"),
    RiskFlag.HONOUR_BASED_ABUSE: gettext_noop("Honour-based abuse"),
    RiskFlag.IMMIGRATION_ABUSE: gettext_noop("Immigration-related abuse"),
}


class ReasonCode(StrEnum):
    # reasons that raise the suggested level
    SCORE_AT_THRESHOLD = "score_at_threshold"
    ESCALATION = "escalation"
    REPEAT = "repeat"
    HONOUR_BASED_ABUSE = "honour_based_abuse"
    IMMIGRATION_ABUSE = "immigration_abuse"
    PROFESSIONAL_JUDGEMENT = "professional_judgement"
    # notes that raise nothing but must be read
    ANSWERS_NOT_KNOWN = "answers_not_known"
    IMMIGRATION_NOT_KNOWN = "immigration_not_known"
    HONOUR_NOT_KNOWN = "honour_not_known"
    SCORE_BELOW_THRESHOLD = "score_below_threshold"


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason for (or a caution about) the suggestion, in plain words.

    Translate ``message`` first, then fill it: ``gettext(r.message) % r.params``.
    """

    code: ReasonCode
    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self) -> str:
        """The English text with its placeholders filled."""
        return self.message % self.params if self.params else self.message


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident of abuse: when, by whom (an opaque reference such as "P1",
    never a name) and, if recorded, how serious."""

    occurred_on: date
    perpetrator_ref: str
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class ProfessionalJudgement:
    """The caseworker raises the level on their own judgement, and says why."""

    level: RiskLevel
    reason: str

    def __post_init__(self) -> None:
        if self.level is RiskLevel.STANDARD:
            raise JudgementCannotLower()
        if not self.reason.strip():
            raise JudgementReasonRequired()


def _frozen(answers: Mapping[str, ItemAnswer]) -> Mapping[str, ItemAnswer]:
    return MappingProxyType(dict(answers))


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    """One completed assessment, as recorded on ``assessed_on``.

    ``answers`` answers all 24 checklist questions, ``immigration_answers``
    every immigration-abuse indicator (yes, no or not known; missing or
    unknown keys raise). ``incident`` is the incident that prompted this
    assessment; ``earlier_incidents`` are the ones known before it (any
    perpetrator, any date on or before it); ``last_marac_referral_on`` is
    when this person was last referred to a MARAC, if ever.
    """

    assessed_on: date
    incident: Incident
    answers: Mapping[str, ItemAnswer]
    immigration_answers: Mapping[str, ItemAnswer]
    honour_based_abuse: ItemAnswer
    earlier_incidents: tuple[Incident, ...] = ()
    last_marac_referral_on: date | None = None
    judgement: ProfessionalJudgement | None = None

    def __post_init__(self) -> None:
        check_complete(self.answers, DOMESTIC_ABUSE_QUESTIONS)
        check_complete(self.immigration_answers, IMMIGRATION_ABUSE_INDICATORS)
        object.__setattr__(self, "answers", _frozen(self.answers))
        object.__setattr__(self, "immigration_answers", _frozen(self.immigration_answers))
        object.__setattr__(self, "earlier_incidents", tuple(self.earlier_incidents))
        if self.incident.occurred_on > self.assessed_on:
            raise InvalidDates(detail="the incident is dated after the assessment")
        if any(e.occurred_on > self.incident.occurred_on for e in self.earlier_incidents):
            raise InvalidDates(detail="an earlier incident is dated after the current one")
        if self.last_marac_referral_on is not None and (
            self.last_marac_referral_on > self.assessed_on
        ):
            raise InvalidDates(detail="the MARAC referral is dated after the assessment")


@dataclass(frozen=True, slots=True)
class RiskResult:
    """What an assessment suggests, and every reason for it."""

    score: int
    threshold: int
    yes_keys: tuple[str, ...]
    not_known_keys: tuple[str, ...]
    immigration_present: tuple[str, ...]
    immigration_not_known: tuple[str, ...]
    flags: tuple[RiskFlag, ...]
    level: RiskLevel
    suggests_marac: bool
    reasons: tuple[Reason, ...]
    notes: tuple[Reason, ...]

    @property
    def score_suggests_high(self) -> bool:
        return self.score >= self.threshold

    @property
    def risk_factors(self) -> tuple[Question, ...]:
        """Every question answered "yes" that shows a risk: the checklist items,
        the honour-based abuse question and the immigration-abuse indicators."""
        factors = [q for q in DOMESTIC_ABUSE_QUESTIONS if q.key in self.yes_keys]
        if RiskFlag.HONOUR_BASED_ABUSE in self.flags:
            factors.append(HONOUR_BASED_ABUSE_QUESTION)
        factors += [q for q in IMMIGRATION_ABUSE_INDICATORS if q.key in self.immigration_present]
        return tuple(factors)


def _same_person_window(assessment: RiskAssessment) -> list[Incident]:
    current = assessment.incident
    start = add_months(current.occurred_on, -WINDOW_MONTHS)
    earlier = [
        e
        for e in assessment.earlier_incidents
        if e.perpetrator_ref == current.perpetrator_ref
        and start <= e.occurred_on <= current.occurred_on
    ]
    earlier.sort(key=lambda e: e.occurred_on)
    return [*earlier, current]


def is_escalating(assessment: RiskAssessment) -> bool:
    """The escalation flag (see the module docstring for the rule)."""
    window = _same_person_window(assessment)
    if len(window) < 2:
        return False
    answers = assessment.answers
    more_often = answers[MORE_OFTEN_KEY].answer is Answer.YES
    worse = answers[GETTING_WORSE_KEY].answer is Answer.YES
    gaps_shrinking = False
    if len(window) >= 3:
        last_gap = (window[-1].occurred_on - window[-2].occurred_on).days
        gap_before = (window[-2].occurred_on - window[-3].occurred_on).days
        gaps_shrinking = last_gap < gap_before
    more_severe = False
    current_severity = window[-1].severity
    earlier_ranks = [SEVERITY_RANK[e.severity] for e in window[:-1] if e.severity is not None]
    if current_severity is not None and earlier_ranks:
        more_severe = SEVERITY_RANK[current_severity] > max(earlier_ranks)
    return more_often or worse or gaps_shrinking or more_severe


def is_repeat(assessment: RiskAssessment) -> bool:
    """The repeat flag: a new incident within 12 months after the last MARAC referral."""
    referred = assessment.last_marac_referral_on
    if referred is None:
        return False
    incident_on = assessment.incident.occurred_on
    return incident_on > referred and within_months_after(referred, incident_on, WINDOW_MONTHS)


def assess(assessment: RiskAssessment) -> RiskResult:
    """Score an assessment, work out its flags and suggest a level (pure)."""
    questions = DOMESTIC_ABUSE_QUESTIONS
    yes_keys = keys_with(assessment.answers, questions, Answer.YES)
    not_known_keys = keys_with(assessment.answers, questions, Answer.NOT_KNOWN)
    indicators = IMMIGRATION_ABUSE_INDICATORS
    immigration_present = keys_with(assessment.immigration_answers, indicators, Answer.YES)
    immigration_not_known = keys_with(assessment.immigration_answers, indicators, Answer.NOT_KNOWN)
    score = len(yes_keys)

    flags: list[RiskFlag] = []
    if is_escalating(assessment):
        flags.append(RiskFlag.ESCALATION)
    if is_repeat(assessment):
        flags.append(RiskFlag.REPEAT)
    if assessment.honour_based_abuse.answer is Answer.YES:
        flags.append(RiskFlag.HONOUR_BASED_ABUSE)
    if immigration_present:
        flags.append(RiskFlag.IMMIGRATION_ABUSE)

    raised: list[tuple[RiskLevel, Reason]] = []
    if score >= YES_THRESHOLD:
        raised.append(
            (
                RiskLevel.HIGH,
                Reason(
                    ReasonCode.SCORE_AT_THRESHOLD,
                    gettext_noop(
                        "%(score)d of 24 answers are yes (%(threshold)d or more suggests "
                        "high risk). Consider a MARAC referral."
                    ),
                    {"score": score, "threshold": YES_THRESHOLD},
                ),
            )
        )
    if RiskFlag.ESCALATION in flags:
        raised.append(
            (
                RiskLevel.HIGH,
                Reason(
                    ReasonCode.ESCALATION,
                    gettext_noop(
                        "The same person has caused more than one incident in the last "
                        "12 months and it is getting more frequent or more serious. "
                        "Consider a MARAC referral whatever the score."
                    ),
                ),
            )
        )
    if RiskFlag.REPEAT in flags:
        raised.append(
            (
                RiskLevel.HIGH,
                Reason(
                    ReasonCode.REPEAT,
                    gettext_noop(
                        "This incident happened within 12 months of a MARAC referral. "
                        "Refer back to the MARAC whatever the score."
                    ),
                ),
            )
        )
    if RiskFlag.HONOUR_BASED_ABUSE in flags:
        raised.append(
            (
                RiskLevel.MEDIUM,
                Reason(
                    ReasonCode.HONOUR_BASED_ABUSE,
                    gettext_noop(
                        "There is a worry about honour-based abuse. Several people may be "
                        "involved, so the score can understate the danger. Consider a "
                        "specialist service and use your professional judgement about MARAC."
                    ),
                ),
            )
        )
    if immigration_present:
        raised.append(
            (
                RiskLevel.MEDIUM,
                Reason(
                    ReasonCode.IMMIGRATION_ABUSE,
                    gettext_noop(
                        "Immigration is being used as a weapon (%(count)d sign(s)). This is "
                        "a risk factor even though it is not part of the score. Offer "
                        "independent immigration advice and use your professional judgement."
                    ),
                    {"count": len(immigration_present)},
                ),
            )
        )
    judgement = assessment.judgement
    if judgement is not None:
        raised.append(
            (
                judgement.level,
                Reason(
                    ReasonCode.PROFESSIONAL_JUDGEMENT,
                    gettext_noop("Raised by professional judgement: %(reason)s"),
                    {"reason": judgement.reason.strip()},
                ),
            )
        )

    level = RiskLevel.STANDARD
    for raised_to, _ in raised:
        if LEVEL_RANK[raised_to] > LEVEL_RANK[level]:
            level = raised_to

    notes: list[Reason] = []
    if not_known_keys:
        notes.append(
            Reason(
                ReasonCode.ANSWERS_NOT_KNOWN,
                gettext_noop(
                    "%(count)d answer(s) are not known. Only yes answers are counted, so "
                    "the score may understate the risk. Ask again when it is safe."
                ),
                {"count": len(not_known_keys)},
            )
        )
    if immigration_not_known:
        notes.append(
            Reason(
                ReasonCode.IMMIGRATION_NOT_KNOWN,
                gettext_noop("%(count)d sign(s) of immigration-related abuse are not known yet."),
                {"count": len(immigration_not_known)},
            )
        )
    if assessment.honour_based_abuse.answer is Answer.NOT_KNOWN:
        notes.append(
            Reason(
                ReasonCode.HONOUR_NOT_KNOWN,
                gettext_noop("It is not known whether honour-based abuse is involved."),
            )
        )
    if level is not RiskLevel.HIGH:
        notes.append(
            Reason(
                ReasonCode.SCORE_BELOW_THRESHOLD,
                gettext_noop(
                    "A lower score does not mean the person is safe. If you are worried, "
                    "raise the level by professional judgement and write down why."
                ),
            )
        )

    return RiskResult(
        score=score,
        threshold=YES_THRESHOLD,
        yes_keys=yes_keys,
        not_known_keys=not_known_keys,
        immigration_present=immigration_present,
        immigration_not_known=immigration_not_known,
        flags=tuple(flags),
        level=level,
        suggests_marac=level is RiskLevel.HIGH,
        reasons=tuple(reason for _, reason in raised),
        notes=tuple(notes),
    )
