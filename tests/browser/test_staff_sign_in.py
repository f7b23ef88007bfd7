"""A caseworker signs in with two-factor authentication and reaches the inbox."""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pages import StaffLogin, StaffShell

from safereport.accounts.demo import DEMO_PASSWORD, seed_demo


def current_code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username, name="authenticator")
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_demo_caseworker_signs_in_with_totp_and_reaches_the_inbox(browser_page):
    page, visits = browser_page
    seed_demo()
    login = StaffLogin(page, visits)
    login.open("/staff/cases/")
    assert "/staff/login/" in page.url
    login.sign_in("lucia", DEMO_PASSWORD, current_code("lucia"))
    shell = StaffShell(page, visits)
    assert page.url.endswith("/staff/cases/")
    assert shell.heading() == "Inbox"
    assert "Puerta Abierta Women's Network" in page.content()
    shell.sign_out()
    assert page.url.endswith("/staff/login/")


def test_a_wrong_code_shows_an_error_summary_without_javascript(nojs_page):
    page, visits = nojs_page
    seed_demo()
    login = StaffLogin(page, visits)
    login.open("/staff/login/")
    login.sign_in("lucia", DEMO_PASSWORD, "000000")
    assert "did not match" in login.error_summary()
    assert page.get_by_label("Username").input_value() == "lucia"


def test_every_role_home_page_passes_axe(browser_page):
    page, visits = browser_page
    seed_demo()
    for username, heading in [
        ("amara", "Puerta Abierta Women's Network"),
        ("pc.hughes", "Packages received"),
        ("grace", "Referrals"),
        ("priya", "Barriers to reporting"),
    ]:
        login = StaffLogin(page, visits)
        login.open("/staff/login/")
        login.sign_in(username, DEMO_PASSWORD, current_code(username))
        shell = StaffShell(page, visits)
        assert shell.heading() == heading
        shell.sign_out()


def test_a_caseworker_changes_her_password_without_javascript(nojs_page):
    from pages import StaffPage

    from safereport.accounts.models import StaffUser
    from sr_testing.personas import fresh_backup_code

    page, visits = nojs_page
    seed_demo()
    login = StaffLogin(page, visits)
    login.open("/staff/login/")
    login.sign_in("ines", DEMO_PASSWORD, fresh_backup_code(StaffUser.objects.get(username="ines")))
    screen = StaffPage(page, visits)
    screen.click_link("Password")
    assert screen.heading() == "Change your password"
    screen.fill("Your current password", DEMO_PASSWORD)
    screen.fill("New password", "river lantern quietly 2026")
    screen.fill("New password again", "river lantern quietly 2027")
    screen.submit("Change my password")
    assert "The two new passwords are not the same." in screen.alert()
    screen.fill("Your current password", DEMO_PASSWORD)
    screen.fill("New password", "river lantern quietly 2026")
    screen.fill("New password again", "river lantern quietly 2026")
    screen.submit("Change my password")
    assert "Your password was changed." in screen.text()
    assert StaffUser.objects.get(username="ines").check_password("river lantern quietly 2026")
