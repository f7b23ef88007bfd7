"""Risk assessment for case work (pure; no Django).

* ``checklist``: the 24 domestic-abuse questions, the honour-based abuse
  question and the immigration-abuse indicators, worded by us.
* ``assessment``: ``RiskAssessment`` (one completed checklist), ``assess``
  (score, flags, suggested level and the reasons for it).
* ``history``: ``AssessmentHistory`` (re-assessments kept in order),
  ``compare`` (what changed) and the score trend.
* ``records``: assessments and histories as JSON-ready data, and back.
* ``slavery``: modern slavery and labour exploitation indicators, what to
  offer, and the National Referral Mechanism guidance.
"""

from __future__ import annotations

from safereport.core.risk.assessment import (
    FLAG_LABELS,
    LEVEL_LABELS,
    Incident,
    ProfessionalJudgement,
    Reason,
    ReasonCode,
    RiskAssessment,
    RiskFlag,
    RiskLevel,
    RiskResult,
    Severity,
    assess,
)
from safereport.core.risk.checklist import (
    ANSWER_LABELS,
    DOMESTIC_ABUSE_QUESTIONS,
    HONOUR_BASED_ABUSE_QUESTION,
    IMMIGRATION_ABUSE_INDICATORS,
    YES_THRESHOLD,
    Answer,
    ItemAnswer,
    Question,
)
from safereport.core.risk.errors import (
    IncompleteAnswers,
    InvalidDates,
    InvalidRecord,
    JudgementCannotLower,
    JudgementReasonRequired,
    OutOfOrderAssessment,
    RiskError,
    UnknownQuestion,
)
from safereport.core.risk.history import (
    AnswerChange,
    AssessmentChange,
    AssessmentHistory,
    Trend,
    compare,
)
from safereport.core.risk.records import (
    RECORD_VERSION,
    assessment_from_data,
    assessment_to_data,
    history_from_data,
    history_to_data,
)
from safereport.core.risk.slavery import (
    EXPLOITATION_INDICATORS,
    EXPLOITATION_QUESTIONS,
    NRM_GUIDANCE,
    NRM_HOME_OFFICE_WARNING,
    AgeGroup,
    ExploitationOffer,
    ExploitationResult,
    NrmConsent,
    NrmStep,
    exploitation_offers,
    nrm_next_step,
)

__all__ = [
    "ANSWER_LABELS",
    "DOMESTIC_ABUSE_QUESTIONS",
    "EXPLOITATION_INDICATORS",
    "EXPLOITATION_QUESTIONS",
    "FLAG_LABELS",
    "HONOUR_BASED_ABUSE_QUESTION",
    "IMMIGRATION_ABUSE_INDICATORS",
    "LEVEL_LABELS",
    "NRM_GUIDANCE",
    "NRM_HOME_OFFICE_WARNING",
    "RECORD_VERSION",
    "YES_THRESHOLD",
    "AgeGroup",
    "Answer",
    "AnswerChange",
    "AssessmentChange",
    "AssessmentHistory",
    "ExploitationOffer",
    "ExploitationResult",
    "Incident",
    "IncompleteAnswers",
    "InvalidDates",
    "InvalidRecord",
    "ItemAnswer",
    "JudgementCannotLower",
    "JudgementReasonRequired",
    "NrmConsent",
    "NrmStep",
    "OutOfOrderAssessment",
    "ProfessionalJudgement",
    "Question",
    "Reason",
    "ReasonCode",
    "RiskAssessment",
    "RiskError",
    "RiskFlag",
    "RiskLevel",
    "RiskResult",
    "Severity",
    "Trend",
    "UnknownQuestion",
    "assess",
    "assessment_from_data",
    "assessment_to_data",
    "compare",
    "exploitation_offers",
    "history_from_data",
    "history_to_data",
    "nrm_next_step",
]
