"""The reporting journey, page by page, without JavaScript."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from journey import draft_token, passphrase_from, start_report, step_url, submit, walk_to_review

from safereport.cases.models import Attachment, Consent, Report, ReportSection

pytestmark = pytest.mark.django_db


def test_the_whole_journey_makes_one_sealed_report_and_shows_the_phrase_once(client, personas):
    walk_to_review(
        client,
        personas.support_org,
        attachment=SimpleUploadedFile("evidence-name.txt", b"a plain note", "text/plain"),
    )
    review = client.get(reverse("public:report_review")).content.decode()
    assert "Only the staff of <strong>Test Support Centre</strong>" in review
    assert "Nothing is ever shared with immigration enforcement" in review
    answers = review.split("Your answers")[1].split("<form")[0]
    assert "immigration" not in answers.lower()  # never asked
    response = submit(client, draft_token(client))
    assert response.status_code == 200
    passphrase = passphrase_from(response)
    assert len(passphrase.split()) == 8
    report = Report.objects.get()
    assert report.custodian == personas.support_org
    assert (report.crime_type, report.wants, report.status) == (
        "domestic_abuse",
        "support_only",
        "new",
    )
    assert set(ReportSection.objects.values_list("section", flat=True)) == {
        "incident",
        "perpetrator",
        "support_needs",
        "contact",
    }
    assert Attachment.objects.count() == 1
    # the draft is gone; the phrase is not shown again
    assert client.get(reverse("public:report_review")).status_code == 302
    assert passphrase not in client.get(reverse("public:return_start")).content.decode()


def test_a_page_that_fails_validation_keeps_what_was_typed(client, personas):
    start_report(client, {"crime_type": "domestic_abuse"})
    response = client.post(
        step_url("what-happened"), {"what": "", "when": "Tuesday night", "where": "Leeds"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in page
    assert 'href="#id_what"' in page
    assert 'value="Tuesday night"' in page and 'value="Leeds"' in page
    # an unanswered earlier step sends the reporter back to it
    assert client.get(step_url("organisation"))["Location"] == step_url("what-happened")


def test_a_missing_choice_is_linked_from_the_error_summary(client, personas):
    response = start_report(client, {})
    assert response.status_code == 400
    assert 'href="#id_crime_type_0"' in response.content.decode()


def test_going_back_shows_the_earlier_answer(client, personas):
    start_report(client, {"crime_type": "hate_crime"})
    page = client.get(step_url("kind")).content.decode()
    assert 'value="hate_crime"' in page and "checked" in page.split('value="hate_crime"')[1][:40]
    assert 'class="back-link"' in client.get(step_url("what-happened")).content.decode()


def test_the_scanner_offers_to_remove_a_passport_number(client, personas):
    start_report(client, {"crime_type": "domestic_abuse"})
    text = "He keeps my passport number 123456789 in his drawer."
    offered = client.post(step_url("what-happened"), {"what": text})
    page = offered.content.decode()
    assert offered.status_code == 200
    assert "looks like a passport number" in page
    assert "123456789" in page  # the writer sees what was found
    removed = client.post(step_url("what-happened"), {"what": text, "identifiers": "remove"})
    page = removed.content.decode()
    assert "We removed the numbers" in page
    assert "123456789" not in page
    follow = client.post(
        step_url("what-happened"), {"what": "He keeps my passport [removed] in his drawer."}
    )
    assert follow.status_code == 302


def test_the_writer_may_keep_the_number(client, personas):
    start_report(client, {"crime_type": "domestic_abuse"})
    text = "passport number 123456789"
    client.post(step_url("what-happened"), {"what": text})
    kept = client.post(step_url("what-happened"), {"what": text, "identifiers": "keep"})
    assert kept.status_code == 302


def test_submitting_twice_makes_one_report(client, personas):
    walk_to_review(client, personas.support_org)
    token = draft_token(client)
    first = submit(client, token)
    second = submit(client, token)
    assert first.status_code == 200 and "data-passphrase" in first.content.decode()
    assert "already sent" in second.content.decode()
    assert "data-passphrase" not in second.content.decode()
    assert Report.objects.count() == 1


def test_a_consent_is_recorded_only_when_ticked(client, personas):
    walk_to_review(client, personas.support_org, wants="police_through_organisation")
    review = client.get(reverse("public:report_review")).content.decode()
    assert 'name="consent" value="police"' in review
    assert "checked" not in review.split('name="consent"')[1][:80]
    submit(client, draft_token(client), consents=("police",))
    consent = Consent.objects.get()
    assert consent.recipient == personas.police_force
    assert consent.purpose == "crime_investigation"
    assert consent.sections == ["incident", "perpetrator"]  # no name was given
    assert consent.given_by == "reporter" and consent.withdrawn_at is None


def test_attachments_are_cleaned_and_a_refused_type_says_why(client, personas):
    start_report(client, {"crime_type": "domestic_abuse"})
    for slug, data in [
        ("what-happened", {"what": "x"}),
        ("person", {}),
        ("what-you-want", {"wants": "support_only"}),
        ("safe-contact", {}),
        ("about-you", {}),
    ]:
        assert client.post(step_url(slug), data).status_code == 302
    refused = client.post(
        step_url("attachments"),
        {
            "action": "upload",
            "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 secret", "application/pdf"),
        },
    )
    assert refused.status_code == 400
    assert "cannot be attached" in refused.content.decode()
    ok = client.post(
        step_url("attachments"),
        {"action": "upload", "file": SimpleUploadedFile("a.txt", b"hello", "text/plain")},
    )
    assert ok.status_code == 302
    page = client.get(step_url("attachments")).content.decode()
    assert "File 1" in page and "a.txt" not in page


def test_an_unfinished_draft_leaves_nothing_in_the_database(client, personas):
    from django.contrib.sessions.models import Session

    start_report(client, {"crime_type": "domestic_abuse"})
    client.post(step_url("what-happened"), {"what": "draftcanaryzzqx in the kitchen"})
    assert client.get(step_url("person")).status_code == 200
    for session in Session.objects.all():
        assert "draftcanaryzzqx" not in repr(session.get_decoded())
        assert "draftcanaryzzqx" not in session.session_data
    assert not Report.objects.exists()
    # discarding the draft forgets it
    client.post(reverse("public:report_discard"))
    assert client.get(step_url("person"))["Location"] == step_url("kind")


def test_attachment_limits_are_explained(client, personas, settings):
    settings.ATTACHMENT_MAX_COUNT = 1
    settings.ATTACHMENT_MAX_BYTES = 2048
    start_report(client, {"crime_type": "domestic_abuse"})
    for slug, data in [
        ("what-happened", {"what": "x"}),
        ("person", {}),
        ("what-you-want", {"wants": "support_only"}),
        ("safe-contact", {}),
        ("about-you", {}),
    ]:
        client.post(step_url(slug), data)
    big = SimpleUploadedFile("big.txt", b"a" * 4096, "text/plain")
    too_big = client.post(step_url("attachments"), {"action": "upload", "file": big})
    assert too_big.status_code == 400 and "too large" in too_big.content.decode()
    small = SimpleUploadedFile("s.txt", b"hello", "text/plain")
    assert (
        client.post(step_url("attachments"), {"action": "upload", "file": small}).status_code == 302
    )
    another = SimpleUploadedFile("t.txt", b"again", "text/plain")
    refused = client.post(step_url("attachments"), {"action": "upload", "file": another})
    assert refused.status_code == 400 and "You can attach up to 1" in refused.content.decode()


def test_a_photo_loses_its_gps_position_before_it_is_sealed(client, personas):
    import io

    from PIL import Image

    from safereport.accounts import keys
    from safereport.cases.selectors import find_by_receipt, open_attachment

    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "CanaryCamera"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
    Image.new("RGB", (16, 16), (10, 120, 200)).save(photo, "JPEG", exif=exif)
    assert b"CanaryCamera" in photo.getvalue()
    upload = SimpleUploadedFile("IMG_0001.jpg", photo.getvalue(), "image/jpeg")
    walk_to_review(client, personas.support_org, attachment=upload)
    passphrase = passphrase_from(submit(client, draft_token(client)))
    report, unlocked = find_by_receipt(keys.vault().derive_receipt(passphrase))
    attachment = open_attachment(report, unlocked, report.attachments.get().item_id)
    assert attachment.media_type == "image/jpeg"
    assert b"CanaryCamera" not in attachment.data
    cleaned = Image.open(io.BytesIO(attachment.data))
    assert cleaned.size == (16, 16)
    assert dict(cleaned.getexif()) == {}
