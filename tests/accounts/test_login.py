"""Staff sign-in: password and a second factor, always; throttled without addresses."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safereport.accounts.models import AttemptThrottle, AuditEvent
from sr_testing.personas import PASSWORD, fresh_backup_code, sign_in, staff_session

pytestmark = pytest.mark.django_db


def current_totp(user) -> str:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_password_and_authenticator_code_sign_in_and_reach_the_inbox(client, personas):
    response = client.post(
        reverse("staff:login"),
        {"username": "caseworker", "password": PASSWORD, "code": current_totp(personas.caseworker)},
    )
    assert response.status_code == 302
    assert response.url == reverse("staff:home")
    home = client.get(reverse("staff:home"))
    assert home.url == reverse("staff:inbox")
    inbox = client.get(reverse("staff:inbox"))
    assert inbox.status_code == 200
    assert "No reports yet" in inbox.content.decode()
    assert AuditEvent.objects.filter(kind="staff_login", actor=personas.caseworker).exists()


def test_password_without_second_factor_is_refused(client, personas):
    response = client.post(
        reverse("staff:login"), {"username": "caseworker", "password": PASSWORD, "code": ""}
    )
    assert response.status_code == 400
    assert "_auth_user_id" not in staff_session(client)
    assert client.get(reverse("staff:inbox")).status_code == 302


def test_wrong_code_is_refused_with_one_generic_message(client, personas):
    response = client.post(
        reverse("staff:login"), {"username": "caseworker", "password": PASSWORD, "code": "000000"}
    )
    assert response.status_code == 400
    assert "did not match" in response.content.decode()
    assert "_auth_user_id" not in staff_session(client)


def test_wrong_password_and_unknown_user_get_the_same_message(client, personas):
    wrong_password = client.post(
        reverse("staff:login"),
        {"username": "caseworker", "password": "nope-nope-nope", "code": "123456"},
    )
    unknown = client.post(
        reverse("staff:login"),
        {"username": "nobody-at-all", "password": "nope-nope-nope", "code": "123456"},
    )
    assert wrong_password.status_code == unknown.status_code == 400
    assert "did not match" in wrong_password.content.decode()
    assert "did not match" in unknown.content.decode()


def test_a_backup_code_works_exactly_once(client, personas):
    code = fresh_backup_code(personas.caseworker)
    data = {"username": "caseworker", "password": PASSWORD, "code": code}
    assert client.post(reverse("staff:login"), data).status_code == 302
    client.post(reverse("staff:logout"))
    assert client.post(reverse("staff:login"), data).status_code == 400


def test_repeated_failures_never_lock_out_the_right_details(client, personas, settings):
    """Many different wrong passwords put the name under guard (accounts/signin.py);
    the owner's password with her second factor still gets in (test_sign_in_guessing.py)."""
    settings.LOGIN_MAX_FAILURES = 3
    for guess in ("wrong-wrong-one", "wrong-wrong-two", "wrong-wrong-three"):
        client.post(
            reverse("staff:login"), {"username": "caseworker", "password": guess, "code": "1"}
        )
    assert AuditEvent.objects.filter(kind="staff_login_throttled").count() == 1
    response = sign_in(client, personas.caseworker)
    assert response.status_code == 302
    assert "_auth_user_id" in staff_session(client)


def test_the_throttle_table_holds_no_name_and_no_address(client, personas):
    client.post(
        reverse("staff:login"),
        {"username": "caseworker", "password": "wrong-wrong-wrong", "code": "1"},
        REMOTE_ADDR="198.51.100.23",
    )
    rows = list(AttemptThrottle.objects.all())
    assert len(rows) == 2  # the name's count, and the guess "seen" once
    assert {f.name for f in AttemptThrottle._meta.get_fields()} == {
        "id",
        "key",
        "failures",
        "window_started_at",
        "locked_until",
    }
    for row in rows:
        assert "caseworker" not in row.key
        assert "198.51.100.23" not in repr(row.__dict__)
        assert len(row.key) == 64


def test_a_successful_sign_in_clears_the_count_for_the_name(client, personas):
    client.post(
        reverse("staff:login"),
        {"username": "caseworker", "password": "wrong-wrong-wrong", "code": "1"},
    )
    assert AttemptThrottle.objects.count() == 2
    assert sign_in(client, personas.caseworker).status_code == 302
    # What is left says only that one wrong guess was seen; it ends with its window.
    (left,) = AttemptThrottle.objects.all()
    assert left.failures == 1 and left.locked_until is None


def test_next_parameter_is_followed_only_within_the_site(client, personas):
    data = {
        "username": "org_admin",
        "password": PASSWORD,
        "code": fresh_backup_code(personas.org_admin),
    }
    evil = client.post(reverse("staff:login") + "?next=https://evil.example/", data)
    assert evil.url == reverse("staff:home")
    client.post(reverse("staff:logout"))
    data["code"] = fresh_backup_code(personas.org_admin)
    good = client.post(reverse("staff:login") + "?next=/staff/organisation/", data)
    assert good.url == "/staff/organisation/"


def test_staff_session_expires_after_being_idle(client, personas, settings):
    sign_in(client, personas.caseworker)
    assert client.get(reverse("staff:inbox")).status_code == 200
    session = staff_session(client)
    session["staff_last_seen_at"] -= settings.STAFF_SESSION_IDLE_MINUTES * 60 + 1
    session.save()
    response = client.get(reverse("staff:inbox"))
    assert response.status_code == 302
    assert response.url == reverse("staff:login")
    assert client.get(reverse("staff:inbox")).status_code == 302


def test_staff_session_ends_after_a_working_day_even_when_active(client, personas, settings):
    sign_in(client, personas.caseworker)
    client.get(reverse("staff:inbox"))
    session = staff_session(client)
    session["staff_started_at"] -= settings.STAFF_SESSION_MAX_HOURS * 3600 + 1
    session.save()
    assert client.get(reverse("staff:inbox")).status_code == 302


def test_sign_out_needs_a_post_and_ends_the_session(client, personas):
    sign_in(client, personas.caseworker)
    assert client.get(reverse("staff:logout")).status_code == 405
    client.post(reverse("staff:logout"))
    assert client.get(reverse("staff:inbox")).status_code == 302
