"""Casework alerts sent by a real worker process (``safereport worker``) through a
real SMTP server: the new-report alert to the organisation's caseworkers, and the
periodic escalation of an unread high-risk report to its admins. The queue holds
ids and a fixed alert name, never an address or a word of the report."""

from __future__ import annotations

import datetime as dt

import pytest
from huey.storage import MemoryStorage

from safereport.accounts.notify import STAFF_ALERTS, StaffAlert
from safereport.cases import tasks as case_tasks
from safereport.cases.models import Report
from safereport.jobs.queue import QUEUE_NAME, huey
from sr_testing.reports import submit
from sr_testing.worker import executed, wait_for


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_new_report_and_unread_alerts(personas, smtp_server, start_worker):
    for name, person in personas.all_staff().items():
        person.email = f"{name}@staff.example"
        person.save(update_fields=["email"])
    # First, what the queue holds, with no worker to take it.
    huey.immediate = False
    huey.storage = MemoryStorage(QUEUE_NAME)
    waiting, _ = submit(personas, text="WORKER-CANARY")
    queued = huey.storage.enqueued_items()
    # One job, holding the report's row number and the hour: the worker looks up
    # the caseworkers, off the reporter's request.
    assert len(queued) == 1 and b"alert_new_report" in queued[0]
    for secret in (b"staff.example", b"WORKER-CANARY", waiting.public_id.encode()):
        assert all(secret not in item for item in queued)

    worker = start_worker("redis")
    report, _ = submit(personas, text="WORKER-CANARY")
    wait_for(lambda: len(smtp_server.messages) >= 2, "send the new-report alerts", worker)
    assert sorted(r for [r] in smtp_server.recipients) == [
        "caseworker@staff.example",
        "org_admin@staff.example",
    ]
    assert {m["Subject"] for m in smtp_server.messages} == {STAFF_ALERTS[StaffAlert.NEW_REPORT][0]}

    # high risk, and two hours have passed with nobody opening it
    Report.objects.filter(pk=waiting.pk).update(opened_at=report.created_at)  # read already
    Report.objects.filter(pk=report.pk).update(
        risk_high=True, created_at=report.created_at - dt.timedelta(hours=2, minutes=1)
    )
    case_tasks.escalate_unread()  # what the schedule does every ten minutes
    unread = STAFF_ALERTS[StaffAlert.REPORT_UNREAD][0]
    wait_for(
        lambda: any(m["Subject"] == unread for m in smtp_server.messages),
        "escalate the unread report",
        worker,
    )
    case_tasks.escalate_unread()  # again at once: nothing more is due
    wait_for(lambda: executed(worker, "escalate_unread") >= 2, "run it twice", worker)
    worker.stop()
    escalations = [
        rcpt
        for message, rcpt in zip(smtp_server.messages, smtp_server.recipients, strict=True)
        if message["Subject"] == unread
    ]
    assert escalations == [["org_admin@staff.example"]]
    for body in smtp_server.bodies():
        assert "WORKER-CANARY" not in body and report.public_id not in body
    assert "WORKER-CANARY" not in worker.log() and "staff.example" not in worker.log()
