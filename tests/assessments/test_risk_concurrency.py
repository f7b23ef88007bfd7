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


def _wait_until_waiting_for_a_lock(sessions: int) -> None:
    """Until ``sessions`` other sessions of this database wait for a lock (the
    report row): an order that does not rest on how fast a busy machine is."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # Inside a transaction the activity view is a snapshot: take a new one.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= sessions:
                return
        time.sleep(0.02)
    raise AssertionError(f"{sessions} session(s) never waited for the report row")


def assessment_on(day):  # type: ignore[no-untyped-def]
    form = RiskChecklistForm(checklist(3, incident_on=days_ago(10).isoformat()), today=day)
    assert form.is_valid(), form.errors
    return form.to_assessment()


def test_an_earlier_assessment_waits_for_the_lock_and_then_sees_the_later_one(
    on_postgresql, personas, report
):
    unlocked = open_as_custodian(report, unlocked_organisation_key(personas.caseworker))
    outcome: list[tuple[str, object]] = []

    def save(day: int, name: str) -> None:
        try:
            do_record_risk_assessment(
                Report.objects.get(pk=report.pk),
                assessment_on(days_ago(day)),
                unlocked=unlocked,
                acting_user=personas.caseworker,
            )
            outcome.append((name, "stored"))
        except BaseException as error:  # reported below
            outcome.append((name, error))
        finally:
            connection.close()

    later = threading.Thread(target=save, args=(0, "today"))
    earlier = threading.Thread(target=save, args=(5, "five days ago"))
    with transaction.atomic():
        # Someone holds the report row: today's save queues for it first, the
        # earlier one behind it (an action is never nested in this transaction).
        Report.objects.select_for_update().get(pk=report.pk)
        later.start()
        _wait_until_waiting_for_a_lock(1)
        earlier.start()
        _wait_until_waiting_for_a_lock(2)  # (before the fix, the earlier one read too soon)
    later.join(timeout=30)
    earlier.join(timeout=30)

    results = dict(outcome)
    assert results["today"] == "stored", outcome
    assert isinstance(results["five days ago"], OutOfOrderAssessment), outcome
    assert RiskAssessmentRecord.objects.filter(report=report).count() == 1
