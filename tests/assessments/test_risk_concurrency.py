"""Two caseworkers saving at once: the order check reads the history only
after the report row is locked, so an earlier-dated assessment cannot slip in
after a later one that was being saved at the same moment."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from risk_helpers import checklist, days_ago

from safereport.assessments.actions import do_record_risk_assessment
from safereport.assessments.forms import RiskChecklistForm
from safereport.assessments.models import RiskAssessmentRecord
from safereport.cases.models import Report
from safereport.cases.selectors import open_as_custodian
from safereport.core.risk import OutOfOrderAssessment
from sr_testing.personas import unlocked_organisation_key

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: row locks between connections exist only there")


def assessment_on(day):  # type: ignore[no-untyped-def]
    form = RiskChecklistForm(checklist(3, incident_on=days_ago(10).isoformat()), today=day)
    assert form.is_valid(), form.errors
    return form.to_assessment()


def test_an_earlier_assessment_waits_for_the_lock_and_then_sees_the_later_one(
    on_postgresql, personas, report
):
    unlocked = open_as_custodian(report, unlocked_organisation_key(personas.caseworker))
    outcome: list[object] = []

    def earlier() -> None:
        try:
            do_record_risk_assessment(
                Report.objects.get(pk=report.pk),
                assessment_on(days_ago(5)),
                unlocked=unlocked,
                acting_user=personas.caseworker,
            )
            outcome.append("stored")
        except BaseException as error:  # reported below
            outcome.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        # Another caseworker is saving today's assessment and holds the report row.
        Report.objects.select_for_update().get(pk=report.pk)
        other = threading.Thread(target=earlier)
        other.start()
        time.sleep(1)  # the earlier one is now waiting (or, before the fix, read too soon)
        do_record_risk_assessment(
            report, assessment_on(days_ago(0)), unlocked=unlocked, acting_user=personas.caseworker
        )
    other.join(timeout=30)

    assert len(outcome) == 1 and isinstance(outcome[0], OutOfOrderAssessment), outcome
    assert RiskAssessmentRecord.objects.filter(report=report).count() == 1
