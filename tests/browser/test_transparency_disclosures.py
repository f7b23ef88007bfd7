"""Disclosures made through the browser are in the log, and `safereport ledger verify` agrees."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from pages import StaffLogin
from pages_transparency import TransparencyPage

from safereport.core.events import EventKind
from safereport.core.ledger import decode_entry
from safereport.transparency.actions import do_sign_tree_head
from safereport.transparency.models import LogEntry
from sr_testing.browser import Screen
from sr_testing.personas import PASSWORD, fresh_backup_code, submit_report

pytestmark = pytest.mark.django_db(transaction=True)


class StaffForm(Screen):
    def choose(self, *labels: str) -> None:
        for label in labels:
            self.page.get_by_label(label, exact=True).check()

    def fill(self, label: str, text: str) -> None:
        self.page.get_by_label(label).fill(text)

    def submit(self, name: str) -> None:
        self.page.get_by_role("button", name=name).click()
        self.check()


def test_a_disclosure_and_a_refusal_made_in_the_browser_verify_on_the_live_log(
    browser_page, personas, live_server
):
    page, visits = browser_page
    report = submit_report(personas.support_org)
    before = LogEntry.objects.count()

    login = StaffLogin(page, visits)
    login.open("/staff/login/")
    caseworker = personas.caseworker
    login.sign_in(caseworker.username, PASSWORD, fresh_backup_code(caseworker))

    form = StaffForm(page, visits)
    form.open(f"/staff/disclosures/reports/{report.public_id}/consent/")
    form.choose("Test Police (Police force)", "Investigation of a crime")
    form.choose("What happened (when, where, what)")
    form.fill("How and when the reporter said so", "By phone, with an interpreter.")
    form.submit("Record the consent")

    form.open(f"/staff/disclosures/reports/{report.public_id}/share/")
    form.choose("Test Police (Police force)", "Investigation of a crime")
    form.submit("Continue")
    form.choose("What happened (when, where, what)")
    form.submit("Ask the firewall and share")

    form.open("/staff/disclosures/immigration-requests/")
    form.page.locator("input[name=authority]").first.check()
    form.fill("What they asked for, in a few words", "Address of a client")
    form.fill("Date it arrived", "2026-11-20")
    form.submit("Record and refuse")

    kinds = [
        decode_entry(bytes(d)).kind
        for d in LogEntry.objects.filter(index__gte=before).values_list("data", flat=True)
    ]
    assert EventKind.DISCLOSURE_ALLOWED in kinds
    assert EventKind.IMMIGRATION_REQUEST_REFUSED in kinds

    do_sign_tree_head()  # as the job queue does within seconds
    out = io.StringIO()
    call_command("ledger", "verify", live_server.url, "--quiet", stdout=out)
    size = LogEntry.objects.count()
    assert f"OK: {size} entries and " in out.getvalue()
    assert f"root of size {size} is" in out.getvalue()

    public = TransparencyPage(page, visits)
    public.open("/en/transparency/")
    assert public.immigration_refusals() == "Requests from immigration authorities refused: 1"
