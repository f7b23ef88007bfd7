"""Assessments as plain data, for storage and back.

The Django layer keeps an assessment as JSON (inside an encrypted section,
since the answers describe abuse). ``assessment_to_data`` gives a dict of
strings, lists and dicts only; ``assessment_from_data`` reads it back
through the same constructors, so a stored record is checked exactly like
a new one. ``RECORD_VERSION`` is written into every record so the format can
change later without guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from safereport.core.risk.assessment import (
    Incident,
    ProfessionalJudgement,
    RiskAssessment,
    RiskLevel,
    Severity,
)
from safereport.core.risk.checklist import Answer, ItemAnswer
from safereport.core.risk.errors import InvalidRecord
from safereport.core.risk.history import AssessmentHistory

RECORD_VERSION = 1


def _answer_data(item: ItemAnswer) -> dict[str, str]:
    return {"answer": item.answer.value, "comment": item.comment}


def _incident_data(incident: Incident) -> dict[str, str | None]:
    return {
        "occurred_on": incident.occurred_on.isoformat(),
        "perpetrator_ref": incident.perpetrator_ref,
        "severity": incident.severity.value if incident.severity is not None else None,
    }


def assessment_to_data(assessment: RiskAssessment) -> dict[str, Any]:
    """A JSON-ready dict holding everything in ``assessment``."""
    judgement = assessment.judgement
    marac = assessment.last_marac_referral_on
    return {
        "version": RECORD_VERSION,
        "assessed_on": assessment.assessed_on.isoformat(),
        "incident": _incident_data(assessment.incident),
        "answers": {k: _answer_data(v) for k, v in assessment.answers.items()},
        "immigration_answers": {
            k: _answer_data(v) for k, v in assessment.immigration_answers.items()
        },
        "honour_based_abuse": _answer_data(assessment.honour_based_abuse),
        "earlier_incidents": [_incident_data(e) for e in assessment.earlier_incidents],
        "last_marac_referral_on": marac.isoformat() if marac is not None else None,
        "judgement": (
            None
            if judgement is None
            else {"level": judgement.level.value, "reason": judgement.reason}
        ),
    }


def _field(data: Mapping[str, Any], name: str, kind: type) -> Any:
    if name not in data:
        raise InvalidRecord(detail=f"{name} is missing")
    value = data[name]
    if not isinstance(value, kind):
        raise InvalidRecord(detail=f"{name} has the wrong type")
    return value


def _optional(data: Mapping[str, Any], name: str, kind: type) -> Any:
    value = data.get(name)
    if value is not None and not isinstance(value, kind):
        raise InvalidRecord(detail=f"{name} has the wrong type")
    return value


def _date(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRecord(detail=f"{name} is not a date") from None


def _answer(data: Any, name: str) -> ItemAnswer:
    if not isinstance(data, Mapping):
        raise InvalidRecord(detail=f"{name} has the wrong type")
    try:
        answer = Answer(_field(data, "answer", str))
    except ValueError:
        raise InvalidRecord(detail=f"{name} is not yes, no or not known") from None
    return ItemAnswer(answer, _field(data, "comment", str))


def _answers(data: Any, name: str) -> dict[str, ItemAnswer]:
    if not isinstance(data, Mapping):
        raise InvalidRecord(detail=f"{name} has the wrong type")
    return {str(key): _answer(value, f"{name}.{key}") for key, value in data.items()}


def _incident(data: Any, name: str) -> Incident:
    if not isinstance(data, Mapping):
        raise InvalidRecord(detail=f"{name} has the wrong type")
    severity_text = _optional(data, "severity", str)
    try:
        severity = Severity(severity_text) if severity_text is not None else None
    except ValueError:
        raise InvalidRecord(detail=f"{name}.severity is not a known severity") from None
    return Incident(
        occurred_on=_date(_field(data, "occurred_on", str), f"{name}.occurred_on"),
        perpetrator_ref=_field(data, "perpetrator_ref", str),
        severity=severity,
    )


def assessment_from_data(data: Mapping[str, Any]) -> RiskAssessment:
    """Read back a dict made by ``assessment_to_data``.

    Raises ``InvalidRecord`` for a malformed record, and the usual risk
    errors (missing answers, impossible dates, a judgement without a
    reason) if its content would not be accepted as a new assessment.
    """
    version = _field(data, "version", int)
    if version != RECORD_VERSION:
        raise InvalidRecord(detail=f"version {version} is not known")
    judgement_data = _optional(data, "judgement", Mapping)
    judgement = None
    if judgement_data is not None:
        try:
            level = RiskLevel(_field(judgement_data, "level", str))
        except ValueError:
            raise InvalidRecord(detail="judgement.level is not a known level") from None
        judgement = ProfessionalJudgement(level, _field(judgement_data, "reason", str))
    marac_text = _optional(data, "last_marac_referral_on", str)
    earlier = _field(data, "earlier_incidents", list)
    return RiskAssessment(
        assessed_on=_date(_field(data, "assessed_on", str), "assessed_on"),
        incident=_incident(_field(data, "incident", Mapping), "incident"),
        answers=_answers(_field(data, "answers", Mapping), "answers"),
        immigration_answers=_answers(
            _field(data, "immigration_answers", Mapping), "immigration_answers"
        ),
        honour_based_abuse=_answer(_field(data, "honour_based_abuse", Mapping), "honour"),
        earlier_incidents=tuple(
            _incident(item, f"earlier_incidents[{i}]") for i, item in enumerate(earlier)
        ),
        last_marac_referral_on=(
            _date(marac_text, "last_marac_referral_on") if marac_text is not None else None
        ),
        judgement=judgement,
    )


def history_to_data(history: AssessmentHistory) -> list[dict[str, Any]]:
    return [assessment_to_data(a) for a in history]


def history_from_data(data: list[Mapping[str, Any]]) -> AssessmentHistory:
    return AssessmentHistory(tuple(assessment_from_data(item) for item in data))
