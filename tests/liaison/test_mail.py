"""Notifications of the police liaison, read from a real SMTP server: a fixed
sentence and a link with a number, nothing from the report."""

from __future__ import annotations

import pytest
from liaison_helpers import CANARIES, answer_url, handover_url, send, send_on_record

from safereport.liaison.models import LiaisonMessage, PoliceHandover

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def addresses(personas):  # type: ignore[no-untyped-def]
    personas.police_force.contact_email = "police-inbox@example.test"
    personas.police_force.save()
    personas.support_org.contact_email = "support-inbox@example.test"
    personas.support_org.save()
    return personas


def _forbidden(personas, report) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        *CANARIES.values(),
        report.public_id,
        personas.caseworker.display_name,
        personas.police_liaison.display_name,
        personas.support_org.name,
        personas.police_force.name,
        "canary-question",
        "canary-answer",
        "canary-update",
        "my husband",
    ]


def test_each_notification_carries_no_personal_data(
    smtp_server, addresses, caseworker, police, report
):
    personas = addresses
    response = send(
        caseworker,
        report,
        force=personas.police_force,
        sections=["incident", "perpetrator", "identity", "contact"],
    )
    assert response.status_code == 302
    handover = PoliceHandover.objects.get()
    assert smtp_server.recipients == [["police-inbox@example.test"]]
    assert smtp_server.messages[0]["Subject"] == "SafeReport: you have a new package"
    assert f"/staff/police/{handover.pk}/" in smtp_server.bodies()[0]

    police.post(handover_url(handover, "police_question"), {"text": "canary-question: when?"})
    assert smtp_server.recipients[-1] == ["support-inbox@example.test"]
    assert smtp_server.messages[-1]["Subject"] == "SafeReport: the police have asked a question"

    question = LiaisonMessage.objects.get(kind="question")
    caseworker.post(answer_url(question), {"text": "canary-answer: Thursday"})
    assert smtp_server.recipients[-1] == ["police-inbox@example.test"]
    assert smtp_server.messages[-1]["Subject"] == "SafeReport: your question has an answer"

    count = len(smtp_server.messages)
    police.post(handover_url(handover, "police_update"), {"text": "canary-update: charged"})
    police.post(handover_url(handover, "police_acknowledge"), {"crime_reference": "9/9"})
    assert len(smtp_server.messages) == count  # updates and acknowledgements mail nobody

    assert len(smtp_server.messages) == 3
    for message, body in zip(smtp_server.messages, smtp_server.bodies(), strict=True):
        whole = str(message["Subject"]) + body
        for forbidden in _forbidden(personas, report):
            assert forbidden not in whole, forbidden
        links = [line for line in body.splitlines() if "/staff/" in line]
        assert len(links) == 1
        assert links[0].strip().endswith(f"/staff/police/{handover.pk}/")


def test_a_refused_disclosure_mails_nobody(smtp_server, addresses, caseworker, report):
    response = send_on_record(caseworker, report, force=addresses.police_force)
    assert response.status_code == 403
    assert smtp_server.messages == []
    assert PoliceHandover.objects.count() == 0
