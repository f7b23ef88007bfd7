"""Reading a report's risk assessments back, opened with its unlocked key.

Access control is ``cases.selectors.access_report`` (the custodian's
caseworkers and admins only); these functions take the report it returned
and the ``UnlockedReport`` that opens it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from safereport.accounts.models import StaffUser
from safereport.assessments.models import AssessmentKind, RiskAssessmentRecord
from safereport.cases.models import Report
from safereport.core.crypto import UnlockedReport
from safereport.core.risk import (
    Answer,
    AssessmentChange,
    ExploitationResult,
    InvalidRecord,
    ItemAnswer,
    RiskAssessment,
    RiskResult,
    assess,
    assessment_from_data,
    compare,
    exploitation_offers,
)


@dataclass(frozen=True)
class OpenedAssessment:
    """One domestic-abuse assessment, opened, with what it suggests and what changed."""

    sequence: int
    created_at: datetime
    created_by: StaffUser | None
    assessment: RiskAssessment
    result: RiskResult
    change: AssessmentChange | None  # against the assessment before it, if any


@dataclass(frozen=True)
class OpenedExploitation:
    sequence: int
    created_at: datetime
    created_by: StaffUser | None
    assessed_on: date
    answers: dict[str, ItemAnswer]
    result: ExploitationResult


def _open(record: RiskAssessmentRecord, unlocked: UnlockedReport) -> dict[str, Any]:
    plain = unlocked.open_message(record.item_id, bytes(record.ciphertext))
    data = json.loads(plain)
    if not isinstance(data, dict) or data.get("kind") != record.kind:
        raise InvalidRecord(detail="the sealed record does not match its row")
    return data


def _opened_rows(
    report: Report, kind: AssessmentKind, unlocked: UnlockedReport
) -> Iterator[tuple[RiskAssessmentRecord, dict[str, Any]]]:
    """The report's records of one kind, oldest first, each with its opened data."""
    for row in report.risk_assessments.filter(kind=kind).select_related("created_by"):
        yield row, _open(row, unlocked)


def _item_answers(data: Any) -> dict[str, ItemAnswer]:
    if not isinstance(data, dict):
        raise InvalidRecord(detail="answers have the wrong type")
    try:
        return {
            str(key): ItemAnswer(Answer(value["answer"]), str(value.get("comment", "")))
            for key, value in data.items()
        }
    except (KeyError, TypeError, ValueError):
        raise InvalidRecord(detail="an answer cannot be read") from None


def risk_history(report: Report, unlocked: UnlockedReport) -> list[OpenedAssessment]:
    """Every domestic-abuse assessment of the report, oldest first, each with
    its result and the change from the one before it."""
    opened: list[OpenedAssessment] = []
    previous: RiskAssessment | None = None
    for row, data in _opened_rows(report, AssessmentKind.DOMESTIC_ABUSE, unlocked):
        assessment = assessment_from_data(data["assessment"])
        opened.append(
            OpenedAssessment(
                sequence=row.sequence,
                created_at=row.created_at,
                created_by=row.created_by,
                assessment=assessment,
                result=assess(assessment),
                change=compare(previous, assessment) if previous is not None else None,
            )
        )
        previous = assessment
    return opened


def exploitation_history(report: Report, unlocked: UnlockedReport) -> list[OpenedExploitation]:
    opened = []
    for row, data in _opened_rows(report, AssessmentKind.EXPLOITATION, unlocked):
        answers = _item_answers(data.get("answers"))
        try:
            assessed_on = date.fromisoformat(str(data.get("assessed_on")))
        except ValueError:
            raise InvalidRecord(detail="assessed_on is not a date") from None
        opened.append(
            OpenedExploitation(
                sequence=row.sequence,
                created_at=row.created_at,
                created_by=row.created_by,
                assessed_on=assessed_on,
                answers=answers,
                result=exploitation_offers(answers),
            )
        )
    return opened
