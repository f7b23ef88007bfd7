"""Changing your own password: the key is re-sealed under it, you stay signed in,
and cases still open, now and after signing in again with the new password."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safereport.accounts import keys
from safereport.accounts.models import AuditEvent, StaffKey
from safereport.core.crypto import CryptoError
from sr_testing.personas import PASSWORD, sign_in
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db

URL = reverse("staff:password")
NEW = "harbour lantern quietly 2026"


def _change(client, current=PASSWORD, new=NEW, again=NEW):  # type: ignore[no-untyped-def]
    return client.post(URL, {"current": current, "new": new, "again": again})


def test_every_role_can_open_the_page(client, personas):
    for user in personas.all_staff().values():
        client.logout()
        sign_in(client, user)
        assert client.get(URL).status_code == 200, user.username


def test_a_changed_password_keeps_the_key_and_the_session(client, personas):
    report, _ = submit(personas, text="canary-password-case")
    sign_in(client, personas.caseworker)
    response = _change(client)
    assert response.status_code == 302 and response.url == reverse("staff:inbox")
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.check_password(NEW)
    assert not personas.caseworker.check_password(PASSWORD)
    # Still signed in, and the case still opens in this session.
    case = client.get(reverse("staff:case", args=[report.public_id]))
    assert case.status_code == 200 and "canary-password-case" in case.content.decode()
    # The key is sealed under the new password only.
    record = keys.record_of(StaffKey.objects.get(staff=personas.caseworker))
    keys.vault().unlock_staff(keys.staff_id(personas.caseworker), record, NEW)
    with pytest.raises(CryptoError):
        keys.vault().unlock_staff(keys.staff_id(personas.caseworker), record, PASSWORD)
    assert AuditEvent.objects.filter(
        kind="staff_password_changed", actor=personas.caseworker
    ).exists()
    # Signing in again with the new password unlocks the case.
    client.logout()
    assert sign_in(client, personas.caseworker, password=PASSWORD).status_code == 400  # refused
    assert sign_in(client, personas.caseworker, password=NEW).status_code == 302
    case = client.get(reverse("staff:case", args=[report.public_id]))
    assert "canary-password-case" in case.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"current": "not my password"}, "That is not your current password."),
        ({"again": "something else entirely"}, "The two new passwords are not the same."),
        ({"new": "short", "again": "short"}, "This password is too short."),
        ({"new": "password1234", "again": "password1234"}, "This password is too common."),
        ({"current": ""}, "Type your current password."),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(client, personas, data, message):
    sign_in(client, personas.caseworker)
    before = bytes(StaffKey.objects.get(staff=personas.caseworker).wrapped_private_key)
    response = _change(client, **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert PASSWORD not in page and NEW not in page  # passwords are never shown back
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.check_password(PASSWORD)
    assert bytes(StaffKey.objects.get(staff=personas.caseworker).wrapped_private_key) == before
    assert not AuditEvent.objects.filter(kind="staff_password_changed").exists()


def test_wrong_current_passwords_are_throttled_for_this_account(client, personas, settings):
    settings.LOGIN_MAX_FAILURES = 3
    sign_in(client, personas.caseworker)
    for _ in range(3):
        assert _change(client, current="a wrong guess").status_code == 400
    response = _change(client)  # now even the right one waits
    assert response.status_code == 400
    assert "Too many wrong passwords" in response.content.decode()
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.check_password(PASSWORD)
    assert AuditEvent.objects.filter(kind="staff_login_failed").count() == 3
    assert AuditEvent.objects.filter(kind="staff_login_throttled").count() == 1
    # Only this session's holder could add to that count, so it does not touch the
    # sign-in: password and second factor still get in (accounts/signin.py).
    client.logout()
    assert sign_in(client, personas.caseworker).status_code == 302


def test_sign_in_guesses_by_others_do_not_lock_the_password_page(client, personas, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for guess in ("guess-one-one", "guess-two-two", "guess-three-three"):
        client.post(
            reverse("staff:login"), {"username": "caseworker", "password": guess, "code": "1"}
        )
    sign_in(client, personas.caseworker)
    assert _change(client).status_code == 302
