"""The caseworker's side: inbox, decrypted case, notes, replies, status, access log."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from safereport.accounts import keys
from safereport.cases.models import CaseAccess, Message, Note, Report
from safereport.cases.selectors import find_by_receipt, read_content
from sr_testing.personas import sign_in
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db


def case_url(report: Report, name: str = "staff:case") -> str:
    return reverse(name, args=[report.public_id])


def test_the_inbox_lists_only_the_organisations_reports_newest_first(client, personas):
    first, _ = submit(personas, text="first")
    second, _ = submit(personas, text="second")
    foreign, _ = submit(personas, org=personas.other_support_org)
    sign_in(client, personas.caseworker)
    page = client.get(reverse("staff:inbox")).content.decode()
    assert page.index(second.public_id) < page.index(first.public_id)
    assert foreign.public_id not in page
    assert "New" in page


def test_the_case_view_decrypts_and_every_read_is_logged(client, personas):
    report, _ = submit(personas, text="He hit me on Friday.")
    sign_in(client, personas.caseworker)
    page = client.get(case_url(report)).content.decode()
    assert "He hit me on Friday." in page and "my husband" in page
    client.get(case_url(report))
    assert CaseAccess.objects.filter(report=report, staff=personas.caseworker).count() == 2
    attachment = report.attachments.get()
    download = client.get(
        reverse("staff:case_attachment", args=[report.public_id, attachment.item_id])
    )
    assert download.content == b"a note"
    assert "report-" in download["Content-Disposition"]
    assert CaseAccess.objects.filter(action="attachment").count() == 1


def test_another_organisations_report_is_refused_like_a_missing_one(client, personas):
    foreign, _ = submit(personas, org=personas.other_support_org)
    sign_in(client, personas.caseworker)
    for name in ("staff:case",):
        assert client.get(case_url(foreign, name)).status_code == 404
    for name in ("staff:case_reply", "staff:case_note", "staff:case_status"):
        assert (
            client.post(
                case_url(foreign, name), {"body": "x", "text": "x", "status": "closed"}
            ).status_code
            == 404
        )
    attachment = foreign.attachments.get()
    assert (
        client.get(
            reverse("staff:case_attachment", args=[foreign.public_id, attachment.item_id])
        ).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.status == "new"
    assert not Message.objects.exists() and not Note.objects.exists()
    assert not CaseAccess.objects.exists()


def test_reply_note_and_status(client, personas):
    report, passphrase = submit(personas)
    sign_in(client, personas.caseworker)
    assert client.post(case_url(report, "staff:case_reply"), {"body": ""}).status_code == 400
    client.post(case_url(report, "staff:case_reply"), {"body": "We will call you."})
    client.post(case_url(report, "staff:case_note"), {"text": "Risk: high"})
    client.post(case_url(report, "staff:case_status"), {"status": "waiting_for_reporter"})
    report.refresh_from_db()
    assert report.status == "waiting_for_reporter"
    found = find_by_receipt(keys.vault().derive_receipt(passphrase))
    assert found is not None
    content = read_content(report, found[1], include_notes=True)
    assert [m.body for m in content.messages] == ["We will call you."]
    assert [n.body for n in content.notes] == ["Risk: high"]
    # the reporter's own reading does not show staff notes
    assert read_content(report, found[1]).notes == []


def test_the_org_admin_sees_the_access_log_and_a_caseworker_does_not(client, personas):
    report, _ = submit(personas)
    sign_in(client, personas.caseworker)
    client.get(case_url(report))
    assert client.get(reverse("staff:access_log")).status_code == 403
    client.post(reverse("staff:logout"))
    sign_in(client, personas.org_admin)
    page = client.get(reverse("staff:access_log")).content.decode()
    assert "Caseworker" in page and report.public_id in page
    other_admin_view = [e for e in CaseAccess.objects.all() if e.staff == personas.other_caseworker]
    assert other_admin_view == []


def test_a_caseworker_files_for_someone_and_hands_over_the_phrase(client, personas):
    sign_in(client, personas.caseworker)
    response = client.post(
        reverse("staff:file_for_reporter"),
        {"crime_type": "labour_exploitation", "wants": "support_only", "what": "Unpaid for months"},
    )
    passphrase = re.search(r"data-passphrase>([^<]+)<", response.content.decode()).group(1)
    report = Report.objects.get()
    assert report.filed_by == personas.caseworker and report.custodian == personas.support_org
    found = find_by_receipt(keys.vault().derive_receipt(passphrase.strip()))
    assert found is not None and found[0] == report


def test_without_unlocked_keys_the_case_asks_to_sign_in_again(client, personas):
    report, _ = submit(personas)
    sign_in(client, personas.caseworker)
    caches["secrets"].clear()  # as after a server restart
    response = client.get(case_url(report))
    assert response.status_code == 403
    assert "Sign in again" in response.content.decode()


def test_signing_out_forgets_the_unlocked_key(client, personas):
    from sr_testing import custody

    sign_in(client, personas.caseworker)
    name = custody.store_name(client, "staff-key", staff=True)
    assert name is not None and caches["secrets"].get(name) is not None
    client.post(reverse("staff:logout"))
    assert caches["secrets"].get(name) is None
    assert custody.browser_key(client, staff=True) is None
