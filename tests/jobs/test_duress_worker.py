"""The second (duress) phrase through a real worker process: the return page
only enqueues; the worker flags the case, and only for the second phrase."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safereport.accounts.models import AuditEvent
from safereport.cases.actions import derive_receipt_in, do_set_duress_phrase
from safereport.cases.models import Report
from safereport.core.crypto.receipts import new_receipt
from sr_testing.proofs import post_with_proof
from sr_testing.reports import submit
from sr_testing.worker import executed, wait_for


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_flags_the_case_after_its_second_phrase_only(personas, start_worker):
    report, _phrase = submit(personas)
    other, _ = submit(personas)
    duress, duress_keys = derive_receipt_in("en")
    do_set_duress_phrase(report, duress_keys)
    worker = start_worker("redis")

    url = reverse("public:return_start")
    wrong = post_with_proof(Client(), url, {"passphrase": new_receipt("en").text})
    assert wrong.status_code == 400
    wait_for(lambda: executed(worker, "note_possible_duress") == 1, "run the first job", worker)
    assert not Report.objects.filter(under_pressure_at__isnull=False).exists()

    forced = post_with_proof(Client(), url, {"passphrase": duress.text})
    assert forced.status_code == 400
    wait_for(
        lambda: Report.objects.get(pk=report.pk).under_pressure_at is not None,
        "flag the case",
        worker,
    )
    assert Report.objects.get(pk=other.pk).under_pressure_at is None
    event = AuditEvent.objects.get(kind="reporter_under_pressure")
    assert event.detail == {"report": report.public_id} and event.actor is None
