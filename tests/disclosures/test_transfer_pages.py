"""Transfer of custody through the pages (issue 13, item 3).

Amina (caseworker, Test Support Centre) proposes moving a report to Other
Support Centre; the reporter agrees on her return page (or by phone, and
Amina records it); the report's key is re-wrapped: the receiving caseworker
opens it and finds it in the inbox, Test Support Centre keeps only the
record. Every bad choice is refused with a clear message and changes nothing.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safereport.accounts.actions import do_create_staff
from safereport.accounts.models import AuditEvent
from safereport.accounts.notify import STAFF_ALERTS, StaffAlert
from safereport.cases.actions import keyring_of
from safereport.cases.models import Consent, Report
from safereport.core.crypto import DecryptionFailed
from safereport.core.events import EventKind
from safereport.core.ledger import Decision, decode_entry
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section
from safereport.disclosures.models import DisclosureAttempt, Override, Transfer
from safereport.transparency.actions import do_sign_tree_head
from safereport.transparency.models import LogEntry
from sr_testing.personas import PASSWORD, sign_in, unlocked_organisation_key
from sr_testing.proofs import post_with_proof
from sr_testing.reports import submit_labour_report

pytestmark = pytest.mark.django_db

CANARY = "canary-transfer-incident"


@pytest.fixture
def sent(personas):  # type: ignore[no-untyped-def]
    """A report to Test Support Centre, and the reporter's secret phrase."""
    return submit_labour_report(personas.support_org, text=CANARY)


def _transfer_url(report: Report) -> str:
    return reverse("staff:disclosure_transfer_report", kwargs={"public_id": report.public_id})


def _propose(client: Client, report: Report, recipient_pk: object):  # type: ignore[no-untyped-def]
    return client.post(_transfer_url(report), {"recipient": recipient_pk})


def _open_as_reporter(passphrase: str) -> Client:
    reporter = Client()
    response = post_with_proof(reporter, reverse("public:return_start"), {"passphrase": passphrase})
    assert response.status_code == 302
    return reporter


def _opens(user, report: Report) -> bool:  # type: ignore[no-untyped-def]
    """Whether the user's organisation key opens the report (real crypto)."""
    from safereport.accounts import keys

    report.refresh_from_db()
    try:
        keys.vault().open_report_as_custodian(keyring_of(report), unlocked_organisation_key(user))
    except DecryptionFailed:
        return False
    return True


def test_the_reporter_agrees_on_her_page_and_the_report_moves(
    client, personas, sent, smtp_server, django_capture_on_commit_callbacks
):
    report, passphrase = sent
    sender, receiver = personas.support_org, personas.other_support_org
    personas.other_caseworker.email = "other-caseworker@staff.example"
    personas.other_caseworker.save(update_fields=["email"])
    sign_in(client, personas.caseworker)

    page = client.get(_transfer_url(report)).content.decode()
    assert receiver.name in page  # an organisation with a caseworker holding its key
    for never in (
        personas.police_force,
        personas.immigration_authority,
        personas.specialist_service,  # nobody there can read a report
        personas.oversight,
    ):
        assert never.name not in page, never.name

    proposed = _propose(client, report, receiver.pk)
    transfer = Transfer.objects.get()
    assert proposed["Location"] == reverse(
        "staff:disclosure_transfer", kwargs={"transfer_id": transfer.pk}
    )
    assert transfer.status == Transfer.Status.PROPOSED
    state = client.get(proposed["Location"]).content.decode()
    assert "Waiting for the reporter" in state
    assert not DisclosureAttempt.objects.exists()  # nothing decided, nothing moved yet

    reporter = _open_as_reporter(passphrase)
    mine = reporter.get(reverse("public:return_report")).content.decode()
    assert f"Move your report to {receiver.name}?" in mine
    with django_capture_on_commit_callbacks(execute=True):  # the alert goes once it commits
        answered = reporter.post(
            reverse("public:return_transfer"), {"transfer": transfer.pk, "answer": "yes"}
        )
    assert answered.status_code == 302
    after = reporter.get(reverse("public:return_report")).content.decode()
    assert f"Your report is now with {receiver.name}" in after
    assert "Move your report to" not in after

    report.refresh_from_db()
    transfer.refresh_from_db()
    assert report.custodian == receiver and report.assigned_to is None
    # New at its new home: unread (escalated there until opened), and its new
    # caseworker is alerted as for any new report, with nothing of it in the mail.
    assert report.opened_at is None
    alerts = [
        (rcpt, body)
        for message, rcpt, body in zip(
            smtp_server.messages, smtp_server.recipients, smtp_server.bodies(), strict=True
        )
        if message["Subject"] == STAFF_ALERTS[StaffAlert.NEW_REPORT][0]
    ]
    assert [rcpt for rcpt, _body in alerts] == [["other-caseworker@staff.example"]]
    assert CANARY not in alerts[0][1]
    assert transfer.status == Transfer.Status.DONE
    consent = Consent.objects.get(purpose=Purpose.TRANSFER.value)
    assert consent.recipient == receiver and consent.given_by == "reporter"
    assert sorted(consent.sections) == ["incident", "support_needs"]

    # The firewall decided it, as a disclosure for the purpose "transfer".
    attempt = transfer.attempt
    assert attempt is not None and attempt.allowed
    assert attempt.purpose == "transfer" and attempt.custodian == sender
    assert attempt.actor == personas.caseworker  # made by the caseworker who proposed it
    entry = decode_entry(LogEntry.objects.get(index=attempt.ledger_index).data)
    assert entry.kind is EventKind.DISCLOSURE_ALLOWED and entry.purpose is Purpose.TRANSFER
    assert entry.decision is Decision.ALLOW and entry.org == sender.slug
    assert entry.recipient_kind is OrgKind.SUPPORT_ORG

    # An audit row on each side.
    sent_row = AuditEvent.objects.get(kind=EventKind.TRANSFER_SENT.value)
    received_row = AuditEvent.objects.get(kind=EventKind.TRANSFER_RECEIVED.value)
    assert sent_row.organisation == sender and received_row.organisation == receiver
    assert CANARY not in str(sent_row.detail) + str(received_row.detail)

    # Real crypto: the receiver opens it, the sender no longer can.
    assert _opens(personas.other_caseworker, report)
    assert not _opens(personas.caseworker, report)

    # The receiving caseworker finds it in the inbox and reads it.
    theirs = Client()
    sign_in(theirs, personas.other_caseworker)
    inbox = theirs.get(reverse("staff:inbox")).content.decode()
    assert report.public_id in inbox
    case = theirs.get(reverse("staff:case", kwargs={"public_id": report.public_id}))
    assert case.status_code == 200 and CANARY in case.content.decode()

    # The sender keeps the record, not the report.
    assert report.public_id not in client.get(reverse("staff:inbox")).content.decode()
    gone = client.get(reverse("staff:case", kwargs={"public_id": report.public_id}))
    assert gone.status_code == 404
    record = client.get(reverse("staff:disclosure_transfer", kwargs={"transfer_id": transfer.pk}))
    assert record.status_code == 200
    text = record.content.decode()
    assert "Transferred" in text and CANARY not in text

    # Her page proves the transfer (and her consent) are in the public log.
    do_sign_tree_head()
    proved = reporter.get(reverse("public:return_report")).content.decode()
    # The transfer's entry (found with her receipt's commitment key, proof checked).
    assert "We checked that this decision about your report is in the public log." in proved
    assert "disclosure_allowed · support_org · allow" in proved
    assert "Sent to" in proved and receiver.name in proved


def test_the_caseworker_records_spoken_consent_and_the_report_moves(client, personas, sent):
    report, _ = sent
    sign_in(client, personas.caseworker)
    _propose(client, report, personas.other_support_org.pk)
    transfer = Transfer.objects.get()
    url = reverse("staff:disclosure_transfer_consent", kwargs={"transfer_id": transfer.pk})

    empty = client.post(url, {"note": "  "})
    assert empty.status_code == 400
    assert "Write down how and when the reporter agreed" in empty.content.decode()
    report.refresh_from_db()
    assert report.custodian == personas.support_org and not Consent.objects.exists()

    done = client.post(url, {"note": "By phone on Monday, with an interpreter."})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.custodian == personas.other_support_org
    consent = Consent.objects.get()
    assert consent.given_by == "caseworker" and consent.purpose == "transfer"
    assert _opens(personas.other_caseworker, report) and not _opens(personas.caseworker, report)


def test_the_reporter_says_no_and_nothing_moves(client, personas, sent):
    report, passphrase = sent
    sign_in(client, personas.caseworker)
    _propose(client, report, personas.other_support_org.pk)
    transfer = Transfer.objects.get()
    reporter = _open_as_reporter(passphrase)
    reporter.post(reverse("public:return_transfer"), {"transfer": transfer.pk, "answer": "no"})
    transfer.refresh_from_db()
    report.refresh_from_db()
    assert transfer.status == Transfer.Status.DECLINED
    assert report.custodian == personas.support_org and not Consent.objects.exists()
    assert not DisclosureAttempt.objects.exists()
    # Her "yes" afterwards, or a crafted one for another id, changes nothing.
    for crafted in (transfer.pk, transfer.pk + 1000, "x"):
        reporter.post(reverse("public:return_transfer"), {"transfer": crafted, "answer": "yes"})
    report.refresh_from_db()
    assert report.custodian == personas.support_org and not Consent.objects.exists()
    page = client.get(reverse("staff:disclosure_transfer", kwargs={"transfer_id": transfer.pk}))
    assert "The reporter said no" in page.content.decode()


def test_cancelled_proposal_is_gone_from_her_page(client, personas, sent):
    report, passphrase = sent
    sign_in(client, personas.caseworker)
    _propose(client, report, personas.other_support_org.pk)
    transfer = Transfer.objects.get()
    client.post(reverse("staff:disclosure_transfer_cancel", kwargs={"transfer_id": transfer.pk}))
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CANCELLED
    reporter = _open_as_reporter(passphrase)
    assert (
        "Move your report to" not in reporter.get(reverse("public:return_report")).content.decode()
    )
    reporter.post(reverse("public:return_transfer"), {"transfer": transfer.pk, "answer": "yes"})
    report.refresh_from_db()
    assert report.custodian == personas.support_org


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("unknown", "That organisation does not exist"),
        ("police_force", "never to the police or an immigration authority"),
        ("immigration_authority", "never to the police or an immigration authority"),
        ("oversight", "never to the police or an immigration authority"),
        ("specialist_service", "no active caseworker holds its key"),
        ("support_org", "already with your organisation"),
    ],
)
def test_bad_choices_are_refused_clearly_and_change_nothing(
    client, personas, sent, choice, message
):
    report, _ = sent
    sign_in(client, personas.caseworker)
    events = AuditEvent.objects.count()
    target = 987654 if choice == "unknown" else getattr(personas, choice).pk
    response = _propose(client, report, target)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Transfer.objects.exists() and not DisclosureAttempt.objects.exists()
    assert AuditEvent.objects.count() == events
    report.refresh_from_db()
    assert report.custodian == personas.support_org


def test_only_one_open_proposal_and_other_organisations_see_nothing(client, personas, sent):
    report, _ = sent
    sign_in(client, personas.caseworker)
    _propose(client, report, personas.other_support_org.pk)
    again = _propose(client, report, personas.other_support_org.pk)
    assert again.status_code == 400 and "already waiting" in again.content.decode()
    transfer = Transfer.objects.get()
    outsider = Client()
    sign_in(outsider, personas.other_caseworker)
    for url in (
        _transfer_url(report),
        reverse("staff:disclosure_transfer", kwargs={"transfer_id": transfer.pk}),
    ):
        assert outsider.get(url).status_code == 404
    for name in ("cancel", "consent"):
        url = reverse(f"staff:disclosure_transfer_{name}", kwargs={"transfer_id": transfer.pk})
        assert outsider.post(url, {"note": "forged"}).status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.PROPOSED


def _admin_at_the_specialist_service(personas):  # type: ignore[no-untyped-def]
    """Give Test Da Service someone who can read a report (an org admin holding its key)."""
    admin, _ = do_create_staff(
        organisation=personas.specialist_service,
        username="service_admin",
        display_name="Service Admin",
        role=Role.ORG_ADMIN,
        password=PASSWORD,
        acting_user=None,
        organisation_key=unlocked_organisation_key(personas.service_staff),
    )
    return admin


def test_override_moves_a_report_to_a_specialist_service_after_a_second_approval(
    client, personas, sent
):
    report, _ = sent
    service_admin = _admin_at_the_specialist_service(personas)
    sign_in(client, personas.caseworker)
    _propose(client, report, personas.specialist_service.pk)
    transfer = Transfer.objects.get()
    asked = client.post(
        reverse("staff:disclosure_transfer_override", kwargs={"transfer_id": transfer.pk}),
        {"reason": "He found her address; she cannot be reached and needs a refuge tonight."},
    )
    override = Override.objects.get()
    assert asked["Location"] == reverse(
        "staff:disclosure_override", kwargs={"override_id": override.pk}
    )
    assert override.purpose == "transfer"
    # She cannot approve her own: refused by the firewall, recorded, still waiting.
    own = client.post(asked["Location"])
    assert own.status_code == 403
    report.refresh_from_db()
    transfer.refresh_from_db()
    assert report.custodian == personas.support_org and transfer.status == "proposed"

    colleague = Client()
    sign_in(colleague, personas.org_admin)
    approved = colleague.post(asked["Location"])
    assert approved.status_code == 302
    report.refresh_from_db()
    transfer.refresh_from_db()
    assert report.custodian == personas.specialist_service
    assert transfer.status == Transfer.Status.DONE and transfer.attempt.override == override
    assert _opens(service_admin, report) and not _opens(personas.caseworker, report)


def test_an_override_cannot_move_a_report_to_a_support_organisation(client, personas, sent):
    report, _ = sent
    sign_in(client, personas.caseworker)
    _propose(client, report, personas.other_support_org.pk)
    transfer = Transfer.objects.get()
    refused = client.post(
        reverse("staff:disclosure_transfer_override", kwargs={"transfer_id": transfer.pk}),
        {"reason": "Risk to life."},
    )
    assert refused.status_code == 409
    assert "only be transferred to a specialist service" in refused.content.decode()
    assert not Override.objects.exists()


def test_a_transfer_is_never_shared_as_a_package(client, personas, sent):
    """The share form does not offer the purpose; a crafted POST is refused."""
    report, _ = sent
    sign_in(client, personas.caseworker)
    response = client.post(
        reverse("staff:disclosure_share", kwargs={"public_id": report.public_id}),
        {
            "recipient": personas.other_support_org.pk,
            "purpose": "transfer",
            "sections": ["incident"],
        },
    )
    assert response.status_code == 409
    assert not DisclosureAttempt.objects.exists()


def test_a_report_holding_an_immigration_section_stays_and_the_refusal_is_recorded(
    client, personas, sent
):
    """Intake never asks about status, but should a report ever hold the
    immigration section (sealed to the report like the rest), moving its key
    would hand that section over: the firewall refuses (invariant 3), the
    refusal is in the log, her consent is withdrawn again, nothing moves."""
    from safereport.cases.models import ReportSection
    from safereport.core.crypto import seal_section

    report, passphrase = sent
    ReportSection.objects.create(
        report=report,
        section=Section.IMMIGRATION.value,
        ciphertext=seal_section(
            report.public_id, bytes(report.public_key), Section.IMMIGRATION, b"{}"
        ),
        added_by="caseworker",
    )
    sign_in(client, personas.caseworker)
    _propose(client, report, personas.other_support_org.pk)
    transfer = Transfer.objects.get()
    reporter = _open_as_reporter(passphrase)
    reporter.post(reverse("public:return_transfer"), {"transfer": transfer.pk, "answer": "yes"})
    page = reporter.get(reverse("public:return_report")).content.decode()
    assert "Your report could not be moved, so it stays where it is." in page

    report.refresh_from_db()
    transfer.refresh_from_db()
    assert report.custodian == personas.support_org
    assert transfer.status == Transfer.Status.REFUSED
    attempt = transfer.attempt
    assert attempt is not None and not attempt.allowed
    assert "inv3-immigration-section-sealed" in attempt.rule_ids
    entry = decode_entry(LogEntry.objects.get(index=attempt.ledger_index).data)
    assert entry.kind is EventKind.DISCLOSURE_REFUSED and entry.purpose is Purpose.TRANSFER
    assert Consent.objects.get().withdrawn_at is not None
    assert _opens(personas.caseworker, report) and not _opens(personas.other_caseworker, report)
    shown = client.get(reverse("staff:disclosure_transfer", kwargs={"transfer_id": transfer.pk}))
    assert "Refused by the firewall" in shown.content.decode()


def test_the_pages_offer_the_kinds_the_policy_allows():
    """The transfer choices and checks ask Cedar, so they follow the policy."""
    from safereport.accounts import permissions

    assert permissions.transfer_recipient_kinds() == {
        OrgKind.SUPPORT_ORG,
        OrgKind.LABOUR_RIGHTS,
        OrgKind.SPECIALIST_SERVICE,
    }
