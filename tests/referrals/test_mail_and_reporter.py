"""Notification e-mails (a real SMTP server) and what the reporter reads with the receipt."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from referral_helpers import act, client_for, referral_url, send, submit_named

from safereport.core.vocabulary import Section
from sr_testing.proofs import post_with_proof

pytestmark = pytest.mark.django_db(transaction=True)


def _no_personal_data(smtp_server, report, personas) -> None:  # type: ignore[no-untyped-def]
    for message in smtp_server.messages:
        whole = message.as_string()
        for secret in (
            "canary-incident-text",
            "canary-perpetrator",
            "canary-reporter-name",
            "canary-decline",
            report.public_id,
            personas.support_org.name,
            personas.support_org.slug,
            personas.caseworker.display_name,
        ):
            assert secret not in whole, secret


def test_mails_on_send_accept_and_decline_carry_no_personal_data(smtp_server, personas, partners):
    report, _ = submit_named(personas)
    referral = send(
        personas, report, sections=(Section.INCIDENT, Section.PERPETRATOR, Section.IDENTITY)
    )
    assert smtp_server.recipients == [["intake@da-service.example"]]
    assert "you have a new referral" in smtp_server.messages[0]["Subject"]
    assert referral_url(referral) in smtp_server.bodies()[0]

    service = client_for(personas.service_staff)
    assert act(service, referral, "accept").status_code == 302
    assert smtp_server.recipients[-1] == ["team@support-centre.example"]
    assert len(smtp_server.messages) == 2
    assert "a referral you sent has changed" in smtp_server.messages[1]["Subject"]
    # starting work tells nobody
    assert act(service, referral, "start").status_code == 302
    assert len(smtp_server.messages) == 2

    second = send(personas, report, kind="idva_service")
    assert len(smtp_server.messages) == 3
    assert act(service, second, "decline", "canary-decline reason").status_code == 302
    assert len(smtp_server.messages) == 4
    assert smtp_server.recipients[-1] == ["team@support-centre.example"]
    _no_personal_data(smtp_server, report, personas)


def test_a_refused_referral_sends_no_mail(smtp_server, personas, partners):
    report, _ = submit_named(personas)
    caseworker = client_for(personas.caseworker)
    response = caseworker.post(
        reverse("staff:referral_new", kwargs={"public_id": report.public_id}),
        {
            "kind": "domestic_abuse_service",
            "service": personas.specialist_service.pk,
            "sections": ["incident"],
            "consent": "existing",
        },
    )
    assert response.status_code == 403
    assert smtp_server.messages == []


def _open_with_receipt(passphrase: str) -> Client:
    reporter = Client()
    assert (
        post_with_proof(
            reporter, reverse("public:return_start"), {"passphrase": passphrase}
        ).status_code
        == 302
    )
    return reporter


def test_the_reporter_reads_the_status_but_never_the_reason(personas, partners):
    report, passphrase = submit_named(personas)
    referral = send(personas, report)
    reporter = _open_with_receipt(passphrase)
    page = reporter.get(reverse("public:return_more")).content.decode()
    assert "Services you were referred to" in page
    assert personas.specialist_service.name in page
    assert "Specialist domestic-abuse service" in page
    assert "Your referral has been sent. The service has not answered yet." in page

    act(client_for(personas.service_staff), referral, "decline", "canary-decline reason")
    page = reporter.get(reverse("public:return_more")).content.decode()
    assert "The service could not take your referral." in page
    assert "canary-decline" not in page


def test_accepted_status_is_shown_to_the_reporter(personas, partners):
    report, passphrase = submit_named(personas)
    referral = send(personas, report)
    act(client_for(personas.service_staff), referral, "accept")
    page = _open_with_receipt(passphrase).get(reverse("public:return_more")).content.decode()
    assert "The service has accepted your referral" in page
