"""Retention run by a real worker process (``safereport worker``) on the real
database: the case due is shredded and counted in the public log, the case due
soon is warned about by mail, the case under a legal hold is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safereport.accounts import keys
from safereport.accounts.notify import STAFF_ALERTS, StaffAlert
from safereport.cases import tasks as case_tasks
from safereport.cases.actions import do_assign_report, do_set_legal_hold
from safereport.cases.models import Report
from safereport.cases.selectors import find_by_receipt
from safereport.core.ledger import verify_tree_head
from safereport.core.retention import add_months
from safereport.transparency import selectors as log_selectors
from safereport.transparency.actions import verify_key
from safereport.transparency.models import LogEntry
from sr_testing.reports import submit
from sr_testing.retention import close, retention_entries
from sr_testing.worker import wait_for


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_warns_then_shreds_what_is_due_and_keeps_what_is_held(
    personas, smtp_server, start_worker
):
    org = personas.support_org
    org.contact_email = "casework@support.example"
    org.save()
    caseworker = personas.caseworker
    caseworker.email = "caseworker@support.example"
    caseworker.save(update_fields=["email"])
    due, due_phrase = submit(personas, text="DUE-CANARY")
    soon, _ = submit(personas)
    do_assign_report(soon, caseworker, acting_user=caseworker)  # hers
    held, _ = submit(personas)
    # The clock moved on: closed six years and a day ago, due in ten days, and a
    # case closed long ago but under a hold (police proceedings).
    due = close(due, personas.caseworker, months_ago=72, days=1)
    soon = close(soon, personas.caseworker, months_ago=72)
    soon.closed_at = add_months(timezone.now(), -72) + dt.timedelta(days=10)
    soon.save(update_fields=["closed_at"])
    held = close(held, personas.caseworker, months_ago=120)
    do_set_legal_hold(held, "police", acting_user=personas.caseworker)

    worker = start_worker("redis")
    case_tasks.apply_retention()  # what the daily schedule does
    wait_for(lambda: Report.objects.get(pk=due.pk).is_shredded, "shred the due case", worker)
    due_soon = STAFF_ALERTS[StaffAlert.CASE_DUE_FOR_DELETION][0]

    def warnings() -> list[int]:  # the new-report alerts were sent in the test's process
        return [i for i, m in enumerate(smtp_server.messages) if m["Subject"] == due_soon]

    wait_for(warnings, "warn about the case due soon", worker)
    [index] = warnings()  # to her, the caseworker who has the case
    assert smtp_server.recipients[index] == ["caseworker@support.example"]
    body = smtp_server.bodies()[index]
    assert "/staff/cases/" in body
    for secret in ("DUE-CANARY", soon.public_id, due.public_id, "hit me"):
        assert secret not in body
    assert Report.objects.get(pk=soon.pk).retention_warned_at is not None
    assert not Report.objects.get(pk=soon.pk).is_shredded
    assert not Report.objects.get(pk=held.pk).is_shredded
    # the receipt opens nothing any more
    assert find_by_receipt(keys.vault().derive_receipt(due_phrase)) is None

    # The public log counts it, and a head the worker signed covers the entry.
    [entry] = retention_entries()
    assert entry.count == 1 and entry.org == org.slug
    size = LogEntry.objects.count()
    head = wait_for(lambda: log_selectors.tree_head_of_size(size), "sign a tree head", worker)
    verify_tree_head(head, verify_key())
    worker.stop()
    assert "DUE-CANARY" not in worker.log() and "support.example" not in worker.log()
