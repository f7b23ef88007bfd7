"""Coming back with the receipt: status, messages, adding, withdrawing, deleting."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from journey import draft_token, open_report, passphrase_from, submit, walk_to_review

from safereport.accounts.models import AttemptThrottle
from safereport.cases.models import Attachment, Consent, Message, Report, ReportSection

pytestmark = pytest.mark.django_db

GENERIC = "We could not open a report with that secret phrase"


@pytest.fixture
def sent(client, personas):  # type: ignore[no-untyped-def]
    walk_to_review(client, personas.support_org, wants="police_through_organisation")
    passphrase = passphrase_from(submit(client, draft_token(client), consents=("police",)))
    return Client(), passphrase  # a fresh browser, as when the reporter comes back later


def test_the_phrase_opens_the_report_and_its_status(sent):
    client, passphrase = sent
    response = open_report(client, passphrase)
    assert response["Location"] == reverse("public:return_report")
    page = client.get(reverse("public:return_report")).content.decode()
    assert "Test Support Centre" in page and "New" in page


def test_the_phrase_is_forgiving_about_case_and_spaces(sent):
    client, passphrase = sent
    response = open_report(client, "  " + passphrase.upper().replace(" ", "   ") + " ")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("typed", "shown_back"),
    [
        ("wrong", True),
        ("zzqx " * 7, True),
        ("apple apple apple apple apple apple apple", False),
        (
            "ability able aboard about above abroad absence absolute",
            False,
        ),  # eight words of the new list
    ],
)
def test_any_wrong_phrase_gets_one_generic_message(sent, typed, shown_back):
    """A typo (no receipt of any form) is shown back to correct; a well-formed
    receipt that opens nothing is not, as after a duress phrase."""
    client, _ = sent
    response = open_report(client, typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert GENERIC in page
    assert (f'value="{typed}"' in page) is shown_back


def test_a_deleted_report_gets_the_same_generic_message(sent):
    client, passphrase = sent
    open_report(client, passphrase)
    client.post(reverse("public:return_delete"), {"confirm": "yes"})
    again = open_report(Client(), passphrase)
    assert GENERIC in again.content.decode()


def test_wrong_phrases_never_lock_the_right_one_out(sent, settings):
    """Issue 14: wrong phrases made each later try dearer (a harder proof of
    work, tests/intake/test_proof_of_work.py), never impossible."""
    client, passphrase = sent
    settings.RECEIPT_MAX_FAILURES = 3
    for _ in range(9):
        assert open_report(client, "wrong words").status_code == 400
    assert open_report(client, passphrase).status_code == 302  # even in the guessing session
    assert open_report(Client(), passphrase).status_code == 302
    assert not AttemptThrottle.objects.exists()  # nothing counted in the database


def test_the_reporter_reads_a_reply_and_answers(sent, personas):
    client, passphrase = sent
    report = Report.objects.get()
    from safereport.cases.actions import do_reply_to_reporter

    do_reply_to_reporter(report, "We can meet on Tuesday.", acting_user=personas.caseworker)
    open_report(client, passphrase)
    page = client.get(reverse("public:return_report")).content.decode()
    assert "We can meet on Tuesday." in page
    empty = client.post(reverse("public:return_message"), {"body": ""})
    assert empty.status_code == 400 and "Write a message" in empty.content.decode()
    client.post(reverse("public:return_message"), {"body": "Tuesday is good."})
    assert Message.objects.filter(direction="from_reporter").count() == 1
    assert "Tuesday is good." in client.get(reverse("public:return_report")).content.decode()


def test_the_reporter_adds_information_and_a_file(sent):
    client, passphrase = sent
    open_report(client, passphrase)
    before = ReportSection.objects.count()
    response = client.post(
        reverse("public:return_add"),
        {"text": "He came back.", "file": SimpleUploadedFile("x.txt", b"more", "text/plain")},
    )
    assert response.status_code == 302
    assert ReportSection.objects.count() == before + 1
    assert Attachment.objects.count() == 1


def test_the_reporter_withdraws_a_consent(sent):
    client, passphrase = sent
    open_report(client, passphrase)
    consent = Consent.objects.get()
    page = client.get(reverse("public:return_more")).content.decode()
    assert "Withdraw my agreement to share with Test Police" in page
    client.post(reverse("public:return_withdraw"), {"consent": consent.pk})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "Withdrawn on" in client.get(reverse("public:return_more")).content.decode()


def test_a_consent_of_another_report_cannot_be_withdrawn(sent, personas):
    client, passphrase = sent
    from conftest_cases import other_consent

    foreign = other_consent(personas)
    open_report(client, passphrase)
    response = client.post(reverse("public:return_withdraw"), {"consent": foreign.pk})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.withdrawn_at is None


def test_deletion_destroys_the_keys_and_the_content(sent, personas):
    client, passphrase = sent
    open_report(client, passphrase)
    client.post(reverse("public:return_message"), {"body": "hello"})
    assert "for ever" in client.get(reverse("public:return_delete")).content.decode()
    done = client.post(reverse("public:return_delete"), {"confirm": "yes"})
    assert "was deleted" in done.content.decode()
    report = Report.objects.get()
    assert report.is_shredded and report.status == "closed"
    assert report.receipt_wrap is None and report.custodian_wrap is None
    assert report.receipt_lookup_digest is None
    assert not report.sections.exists() and not report.messages.exists()
    assert all(c.withdrawn_at is not None for c in report.consents.all())
    # the session no longer has the report open
    assert client.get(reverse("public:return_report"))["Location"] == reverse("public:return_start")


def test_closing_forgets_the_opened_report(sent):
    client, passphrase = sent
    open_report(client, passphrase)
    client.post(reverse("public:return_close"))
    assert client.get(reverse("public:return_report")).status_code == 302


def test_the_scanner_offers_removal_in_a_message_and_added_information(sent):
    client, passphrase = sent
    open_report(client, passphrase)
    text = "My passport number 123456789 is with him."
    offered = client.post(reverse("public:return_message"), {"body": text})
    assert "looks like a passport number" in offered.content.decode()
    assert not Message.objects.filter(direction="from_reporter").exists()
    removed = client.post(
        reverse("public:return_message"), {"body": text, "identifiers": "remove"}
    ).content.decode()
    assert "We removed the numbers" in removed and "123456789" not in removed
    client.post(reverse("public:return_message"), {"body": text, "identifiers": "keep"})
    assert Message.objects.filter(direction="from_reporter").count() == 1
    before = ReportSection.objects.count()
    offered = client.post(reverse("public:return_add"), {"text": text})
    assert "looks like a passport number" in offered.content.decode()
    assert ReportSection.objects.count() == before
    client.post(reverse("public:return_add"), {"text": text, "identifiers": "keep"})
    assert ReportSection.objects.count() == before + 1
