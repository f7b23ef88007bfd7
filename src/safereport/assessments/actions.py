"""Recording risk assessments: sealed to the report, audited, never rewritten.

The assessment itself is built and checked by the pure core
(``safereport.core.risk``); these actions only check who may record it, seal
its JSON record to the report's public key (``risk:<sequence>``), store it
and write the audit event, in one transaction. The audit event names the
report, the kind and the sequence number: never an answer, a comment, a
score or a level.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from safereport.accounts.actions import ActionRefused, record_event
from safereport.accounts.models import StaffUser
from safereport.assessments.models import AssessmentKind, RiskAssessmentRecord, item_id_for
from safereport.cases.actions import mark_in_progress, require_case_worker
from safereport.cases.models import Report
from safereport.core.crypto import UnlockedReport, seal_message
from safereport.core.events import EventKind
from safereport.core.risk import (
    EXPLOITATION_QUESTIONS,
    AssessmentHistory,
    ItemAnswer,
    RiskAssessment,
    RiskLevel,
    assess,
    assessment_to_data,
)
from safereport.core.risk.checklist import check_complete

RECORD_FORMAT = 1


def _lock_for_caseworker(acting_user: StaffUser, report: Report) -> None:
    """Check who is acting, then lock the report row for the rest of the
    transaction: two caseworkers saving at once take turns, so each reads the
    history (order check, next sequence number) only once the other is done."""
    require_case_worker(acting_user, report)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_shredded:
        raise ActionRefused("This report has been deleted.")


def _store(
    report: Report, kind: AssessmentKind, record: Mapping[str, Any], acting_user: StaffUser
) -> RiskAssessmentRecord:
    """Store a record; the caller holds the report row lock (``_lock_for_caseworker``)."""
    last = report.risk_assessments.order_by("-sequence").values_list("sequence", flat=True).first()
    sequence = (last or 0) + 1
    plaintext = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
    row = RiskAssessmentRecord.objects.create(
        report=report,
        kind=kind,
        sequence=sequence,
        ciphertext=seal_message(
            report.public_id, bytes(report.public_key), item_id_for(sequence), plaintext
        ),
        created_by=acting_user,
    )
    mark_in_progress(report)
    record_event(
        EventKind.RISK_ASSESSMENT_RECORDED,
        actor=acting_user,
        report=report.public_id,
        assessment=kind.value,
        sequence=sequence,
    )
    return row


@transaction.atomic(durable=True)
def do_record_risk_assessment(
    report: Report,
    assessment: RiskAssessment,
    *,
    unlocked: UnlockedReport,
    acting_user: StaffUser,
) -> RiskAssessmentRecord:
    """Add a domestic-abuse risk assessment to the report's history.

    ``unlocked`` (the report opened with the organisation key) reads the
    history so far, once the report row is locked: the core's
    ``AssessmentHistory.with_added`` refuses an assessment dated before the
    latest one (``OutOfOrderAssessment``). The
    record is ``assessment_to_data`` (the core's JSON-ready form, read back
    with ``assessment_from_data``), sealed to the report. Earlier records are
    never touched."""
    from safereport.assessments.selectors import risk_history

    _lock_for_caseworker(acting_user, report)
    if unlocked.report_id != report.public_id:
        raise ActionRefused("That key does not open this report.")
    AssessmentHistory(tuple(item.assessment for item in risk_history(report, unlocked))).with_added(
        assessment
    )
    record = {
        "format": RECORD_FORMAT,
        "kind": AssessmentKind.DOMESTIC_ABUSE.value,
        "assessment": assessment_to_data(assessment),
    }
    stored = _store(report, AssessmentKind.DOMESTIC_ABUSE, record, acting_user)
    # The one fact of the sealed assessment kept in the clear: whether the latest
    # says high risk (the inbox filter and escalation read it without any key).
    report.risk_high = assess(assessment).level is RiskLevel.HIGH
    report.save(update_fields=["risk_high", "updated_at"])
    return stored


def exploitation_to_data(answers: Mapping[str, ItemAnswer], assessed_on: date) -> dict[str, Any]:
    check_complete(answers, EXPLOITATION_QUESTIONS)
    return {
        "format": RECORD_FORMAT,
        "kind": AssessmentKind.EXPLOITATION.value,
        "assessed_on": assessed_on.isoformat(),
        "answers": {
            key: {"answer": item.answer.value, "comment": item.comment}
            for key, item in answers.items()
        },
    }


@transaction.atomic(durable=True)
def do_record_exploitation_indicators(
    report: Report,
    answers: Mapping[str, ItemAnswer],
    *,
    assessed_on: date,
    acting_user: StaffUser,
) -> RiskAssessmentRecord:
    """Add a completed set of exploitation indicators (every one answered)."""
    _lock_for_caseworker(acting_user, report)
    record = exploitation_to_data(answers, assessed_on)
    return _store(report, AssessmentKind.EXPLOITATION, record, acting_user)
