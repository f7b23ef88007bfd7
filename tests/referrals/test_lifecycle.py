"""Every state change through the real pages, as the right side, and each one
refused for the wrong side and the wrong state (nothing changed, the core's
plain message shown). Anyone else is refused the referral altogether."""

from __future__ import annotations

import pytest
from django.urls import reverse
from referral_helpers import act, client_for, referral_url, send

from safereport.accounts.models import AuditEvent
from safereport.referrals.models import Referral, ReferralEvent

pytestmark = pytest.mark.django_db


def _state(referral) -> str:  # type: ignore[no-untyped-def]
    return Referral.objects.get(pk=referral.pk).state


def _refused(response, referral, state, message):  # type: ignore[no-untyped-def]
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state(referral) == state


def test_the_service_accepts_starts_and_closes(personas, partners, report):
    referral = send(personas, report)
    service = client_for(personas.service_staff)
    assert service.get(referral_url(referral)).status_code == 200
    before = ReferralEvent.objects.count()
    response = act(service, referral, "accept")
    assert response.status_code == 302
    assert _state(referral) == "accepted"
    assert act(service, referral, "start").status_code == 302
    assert _state(referral) == "in_progress"
    assert act(service, referral, "close").status_code == 302
    assert _state(referral) == "closed"
    assert ReferralEvent.objects.count() == before + 3
    assert list(
        ReferralEvent.objects.filter(referral=referral).values_list("action", "state_after")
    ) == [
        ("send", "sent"),
        ("accept", "accepted"),
        ("start", "in_progress"),
        ("close", "closed"),
    ]
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {"referral_sent", "referral_accepted", "referral_started", "referral_closed"} <= kinds


def test_the_service_closes_straight_from_accepted(personas, partners, report):
    referral = send(personas, report)
    service = client_for(personas.service_staff)
    act(service, referral, "accept")
    assert act(service, referral, "close").status_code == 302
    assert _state(referral) == "closed"


def test_declining_needs_a_reason_which_the_sender_reads_and_the_reporter_never(
    personas, partners, report
):
    referral = send(personas, report)
    service = client_for(personas.service_staff)
    empty = act(service, referral, "decline", "   ")
    _refused(empty, referral, "sent", "Write down why you are declining the referral")
    response = act(service, referral, "decline", "canary-decline-reason: no space this month")
    assert response.status_code == 302
    assert _state(referral) == "declined"
    event = ReferralEvent.objects.get(referral=referral, action="decline")
    assert b"canary-decline-reason" not in bytes(event.for_report)
    assert b"canary-decline-reason" not in bytes(event.for_service)
    # the service reads its own reason; the sender reads it on the referral and the case
    assert "canary-decline-reason" in service.get(referral_url(referral)).content.decode()
    sender = client_for(personas.caseworker)
    assert "canary-decline-reason" in sender.get(referral_url(referral)).content.decode()
    case = sender.get(reverse("staff:case", kwargs={"public_id": report.public_id}))
    assert case.status_code == 200
    assert "canary-decline-reason" in case.content.decode()


def test_the_sender_withdraws_while_sent_with_a_reason(personas, partners, report):
    referral = send(personas, report)
    sender = client_for(personas.caseworker)
    _refused(
        act(sender, referral, "withdraw", ""),
        referral,
        "sent",
        "Write down why the referral is being withdrawn.",
    )
    assert (
        act(sender, referral, "withdraw", "canary-withdraw: she chose another").status_code == 302
    )
    assert _state(referral) == "withdrawn"
    service = client_for(personas.service_staff)
    assert "canary-withdraw" in service.get(referral_url(referral)).content.decode()


@pytest.mark.parametrize("action", ["accept", "decline", "start", "close"])
def test_the_sender_cannot_drive_the_service_side(personas, partners, report, action):
    referral = send(personas, report)
    sender = client_for(personas.caseworker)
    _refused(
        act(sender, referral, action, "a reason"),
        referral,
        "sent",
        "Only the service that received the referral can do this.",
    )


def test_the_service_cannot_withdraw(personas, partners, report):
    referral = send(personas, report)
    service = client_for(personas.service_staff)
    _refused(
        act(service, referral, "withdraw", "a reason"),
        referral,
        "sent",
        "Only the organisation that sent the referral can withdraw it.",
    )


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        ((), "start", "Work can only start on a referral that was accepted."),
        ((), "close", "Only a referral that was accepted or is in progress can be closed."),
        (("accept",), "accept", "Only a referral that is waiting for an answer can be accepted."),
        (("accept",), "decline", "Only a referral that is waiting for an answer can be declined."),
        (("accept", "start"), "start", "Work can only start on a referral that was accepted."),
        (("accept", "close"), "close", "Only a referral that was accepted or is in progress"),
    ],
)
def test_the_service_is_refused_in_the_wrong_state(
    personas, partners, report, setup, action, message
):
    referral = send(personas, report)
    service = client_for(personas.service_staff)
    for step in setup:
        assert act(service, referral, step).status_code == 302
    state = _state(referral)
    events = ReferralEvent.objects.count()
    _refused(act(service, referral, action, "a reason"), referral, state, message)
    assert ReferralEvent.objects.count() == events


def test_the_sender_cannot_withdraw_once_answered(personas, partners, report):
    referral = send(personas, report)
    act(client_for(personas.service_staff), referral, "accept")
    _refused(
        act(client_for(personas.caseworker), referral, "withdraw", "changed her mind"),
        referral,
        "accepted",
        "A referral can only be withdrawn while it is waiting for an answer.",
    )


def test_an_unknown_action_changes_nothing(personas, partners, report):
    referral = send(personas, report)
    response = act(client_for(personas.service_staff), referral, "approve")
    assert response.status_code == 400
    assert _state(referral) == "sent"


def test_police_other_organisations_and_outsiders_are_refused(personas, partners, report):
    referral = send(personas, report)
    url = referral_url(referral)
    # other organisations' staff: as if the referral did not exist
    for user in (personas.other_caseworker, partners.legal_adviser, partners.labour_rights_staff):
        other = client_for(user)
        assert other.get(url).status_code == 404
        assert act(other, referral, "accept").status_code == 404
        assert act(other, referral, "withdraw", "x").status_code == 404
        listing = other.get("/staff/referrals/").content.decode()
        assert url not in listing
    # roles with no part in referrals at all
    for user in (personas.police_liaison, personas.analyst):
        other = client_for(user)
        assert other.get(url).status_code == 403
        assert act(other, referral, "accept").status_code == 403
    from django.test import Client

    from sr_testing.personas import sign_in

    outsider = Client()
    assert sign_in(outsider, personas.outsider).status_code == 400
    assert outsider.get(url).status_code == 302
    assert _state(referral) == "sent"
    assert ReferralEvent.objects.filter(referral=referral).count() == 1


def test_both_sides_list_the_referral(personas, partners, report):
    referral = send(personas, report)
    url = referral_url(referral)
    received = client_for(personas.service_staff).get("/staff/referrals/").content.decode()
    assert url in received and "Referrals received" in received
    sent = client_for(personas.caseworker).get("/staff/referrals/").content.decode()
    assert url in sent and personas.specialist_service.name in sent
