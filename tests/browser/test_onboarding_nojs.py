"""An organisation onboards itself in a browser without JavaScript: the operator's
`safereport organisation create`, the first admin's invitation (password and a
TOTP code computed from the secret the page writes out), a caseworker invited
and enrolled who reads a report that was waiting, deactivated while signed in,
and a sign-in reset that the admin who asked cannot approve and a second admin does.

The report arrives after the caseworker has enrolled and before she signs in:
its alert reaches her own address through a real SMTP server, sent by a real
worker process, with no word of the report in it."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from pages import StaffLogin, StaffPage

from safereport.accounts.models import StaffUser
from safereport.accounts.notify import STAFF_ALERTS, WAITING_PATH, StaffAlert
from sr_testing.onboarding import NEW_PASSWORD, code_for, found, join, path_of
from sr_testing.reports import submit
from sr_testing.worker import wait_for

pytestmark = pytest.mark.slow


class JoinPage(StaffPage):
    """The invitation page: a password, the authenticator's secret, a code."""

    def enrol(self, username: str | None, password: str = NEW_PASSWORD) -> list[str]:
        assert self.page.locator("figure.qr svg").count() == 1  # the QR code, drawn by the server
        secret = self.page.locator("#totp-secret").inner_text().replace(" ", "")
        if username is not None:
            self.fill("Choose a username", username)
        self.fill("Choose a password", password)
        self.fill("The password again", password)
        self.fill("The 6-digit code your authenticator app shows now", code_for(secret))
        self.page.get_by_role(
            "button", name=re.compile("Create my account|Set up my sign-in")
        ).click()
        self.check()
        assert self.heading() == "Your account is ready"
        return [c.strip() for c in self.page.locator(".backup-codes code").all_inner_texts()]


def _sign_in(page, visits, username: str, code: str) -> None:  # type: ignore[no-untyped-def]
    login = StaffLogin(page, visits)
    login.open("/staff/login/")
    login.sign_in(username, NEW_PASSWORD, code)


def _invite(screen: StaffPage, name: str, role: str, email: str = "") -> str:
    screen.open("/staff/organisation/")
    screen.fill("Their name, as colleagues will see it", name)
    screen.choose(role)
    if email:
        screen.fill("Work e-mail (optional, for alerts)", email)
    screen.submit("Make an invitation link")
    return path_of(screen.page.locator("#invitation-link").input_value())


def test_an_organisation_onboards_and_manages_its_staff_without_javascript(
    nojs_page, second_nojs_page, smtp_server, start_worker
):
    page, visits = nojs_page
    other, other_visits = second_nojs_page
    founded = found("Harbour Women's Aid")

    admin_join = JoinPage(page, visits)
    admin_join.open(path_of(founded.admin_link))
    admin_codes = admin_join.enrol("amina")
    _sign_in(page, visits, "amina", admin_codes[0])
    admin = StaffPage(page, visits)
    assert admin.heading() == "Harbour Women's Aid"

    link = _invite(admin, "Bea Nowak", "Caseworker", email="bea@harbour.example")
    worker_join = JoinPage(other, other_visits)
    worker_join.open(link)
    bea_codes = worker_join.enrol("bea")

    # A report arrives and waits for her; its alert comes through the real worker.
    mailer = start_worker("redis")
    report, _ = submit(None, org=founded.organisation, text="canary-browser-waiting")
    wait_for(lambda: smtp_server.messages, "send the new-report alert", mailer)
    [alert] = smtp_server.messages  # Amina, the admin, gave no address: only Bea
    assert smtp_server.recipients == [["bea@harbour.example"]]
    assert alert["Subject"] == STAFF_ALERTS[StaffAlert.NEW_REPORT][0]
    body = smtp_server.bodies()[0]
    assert WAITING_PATH in body
    for secret in ("canary-browser-waiting", report.public_id, "Harbour", "Domestic", "husband"):
        assert secret not in body and secret not in alert["Subject"]
    _sign_in(other, other_visits, "bea", bea_codes[0])
    worker = StaffPage(other, other_visits)
    worker.open(f"/staff/cases/{report.public_id}/")
    assert "canary-browser-waiting" in worker.text()

    # A second admin, then the caseworker is deactivated while her session is open.
    second = _invite(admin, "Farah", "Organisation admin")
    admin.open("/staff/organisation/")
    admin.submit("Deactivate Bea Nowak")
    assert "Bea Nowak is deactivated" in admin.text()
    worker.open("/staff/cases/")
    assert "/staff/login/" in other.url

    # Farah joins in the second browser and signs in; Chen, a second caseworker, joins.
    chen_link = _invite(admin, "Chen", "Caseworker")
    worker_join.open(second)
    farah_codes = worker_join.enrol("farah")
    _sign_in(other, other_visits, "farah", farah_codes[0])
    join(Client(), chen_link, username="chen")
    # Amina asks for a reset of Chen's authenticator, and cannot approve it herself...
    admin.open("/staff/organisation/")
    reset_form = admin.page.locator("form", has_text="Reset Chen's sign-in")
    reset_form.get_by_label("Their authenticator").check()
    reset_form.get_by_role("button", name="Ask for a reset").click()
    admin.check()
    assert "A second admin must now approve" in admin.text()
    admin.submit("Approve the reset of Chen")
    assert "A second admin must approve this reset" in admin.text()
    assert StaffUser.objects.get(username="chen").has_usable_password()
    # ...Farah, the second admin, approves it and gets Chen's fresh one-time link.
    farah = StaffPage(other, other_visits)
    farah.open("/staff/organisation/")
    farah.submit("Approve the reset of Chen")
    assert farah.heading() == "New sign-in link for Chen"
    assert "/staff/join/" in other.locator("#invitation-link").input_value()
    assert not StaffUser.objects.get(username="chen").has_usable_password()


def test_the_operator_page_creates_an_organisation_without_javascript(nojs_page, monkeypatch):
    page, visits = nojs_page
    found("Harbour Women's Aid")
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    call_command("operator", "olu", stdout=out)
    code = out.getvalue().split("Backup codes (shown once): ")[1].split()[0]
    _sign_in(page, visits, "olu", code)
    screen = StaffPage(page, visits)
    assert screen.heading() == "Organisations"
    assert "Harbour Women's Aid" in screen.text()
    screen.fill("Name", "Lantern Project")
    screen.choose("Support organisation")
    screen.fill("First admin's name", "Kai")
    screen.submit("Create the organisation")
    assert screen.heading() == "Lantern Project is created"
    assert page.locator("#recovery-secret").inner_text().count("-") == 12
    assert "/staff/join/" in page.locator("#invitation-link").input_value()
