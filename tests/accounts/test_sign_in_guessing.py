"""Password guessing against a staff name cannot lock its owner out (issue 14).

A guesser types many different wrong passwords for the organisation admin's
name. The name goes under guard; the admin still signs in with her password
and a real code from her authenticator (or a backup code); the guesser stays
refused and, if he holds a valid code, uses it up with each wrong password;
the admin and her organisation's admins get one mail with no details; the
audit log says what happened.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safereport.accounts.models import AttemptThrottle, AuditEvent, StaffUser
from safereport.accounts.notify import STAFF_ALERTS, StaffAlert
from sr_testing.personas import PASSWORD, fresh_backup_code, staff_session

GUESSES = [f"guess-number-{n}-summer" for n in range(12)]
GUARDED = "Many wrong passwords have been typed for this account name recently"


def totp_code(user: StaffUser, steps_ahead: int = 0) -> str:
    """A real code from the account's authenticator secret, as her phone shows it
    now (or ``steps_ahead`` thirty-second steps later)."""
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def attempt(client: Client, username: str, password: str, code: str = "123456"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("staff:login"), {"username": username, "password": password, "code": code}
    )


def guess_until_guarded(username: str, settings) -> Client:  # type: ignore[no-untyped-def]
    guesser = Client()
    for guess in GUESSES[: settings.LOGIN_MAX_FAILURES]:
        response = attempt(guesser, username, guess)
        assert response.status_code == 400
    return guesser


def _let_the_back_off_pass(user: StaffUser) -> None:
    """Time passes for django-otp's back-off (the codes' own clock is real)."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in staff_session(client)


@pytest.mark.django_db
def test_a_guessed_name_still_signs_its_owner_in_with_her_authenticator(personas, settings):
    admin = personas.org_admin
    guesser = guess_until_guarded("org_admin", settings)
    assert GUARDED in attempt(guesser, "org_admin", GUESSES[-1]).content.decode()

    owner = Client()
    response = attempt(owner, "org_admin", PASSWORD, totp_code(admin))
    assert response.status_code == 302
    assert signed_in(owner)
    assert owner.get(reverse("staff:organisation")).status_code == 200
    login = AuditEvent.objects.get(kind="staff_login", actor=admin)
    assert login.detail == {"factor": "TOTPDevice", "while_guarded": True}


@pytest.mark.django_db
def test_a_backup_code_works_as_the_second_factor_while_guarded(personas, settings):
    guess_until_guarded("org_admin", settings)
    owner = Client()
    response = attempt(owner, "org_admin", PASSWORD, fresh_backup_code(personas.org_admin))
    assert response.status_code == 302
    assert signed_in(owner)


@pytest.mark.django_db
def test_the_guesser_stays_slowed(personas, settings):
    admin = personas.org_admin
    guesser = guess_until_guarded("org_admin", settings)
    # The owner signing in does not lift the guard: the guesser does not get a fresh count.
    owner_code = fresh_backup_code(admin)
    assert attempt(Client(), "org_admin", PASSWORD, owner_code).status_code == 302
    name_row_before = AttemptThrottle.objects.order_by("-failures").first()
    assert name_row_before is not None and name_row_before.locked_until is not None
    assert name_row_before.locked_until > timezone.now()

    # A guesser holding a valid code (a stolen phone) uses it up with a wrong password,
    # and the device backs off: one password per code, ever more slowly.
    # (django-otp counted the backup code against the authenticator: its one-second
    # back-off is over by the time a thief tries.)
    _let_the_back_off_pass(admin)
    failures_before = TOTPDevice.objects.get(user=admin).throttling_failure_count
    step_now = int(time.time()) // 30
    stolen = totp_code(admin)
    assert attempt(guesser, "org_admin", "yet-another-guess", stolen).status_code == 400
    device = TOTPDevice.objects.get(user=admin)
    assert device.throttling_failure_count == failures_before + 1
    assert device.last_t >= step_now  # that code (and any before it) is spent
    assert attempt(guesser, "org_admin", PASSWORD, stolen).status_code == 400
    assert not signed_in(guesser)
    failed = AuditEvent.objects.filter(kind="staff_login_failed", actor=admin)
    assert failed.filter(detail__second_factor_used_up=True).count() == 1

    # Without a code nothing the guesser types gets in, not even the right password,
    # and each answer is the same.
    answers = {
        attempt(guesser, "org_admin", guess).content.decode().count(GUARDED)
        for guess in GUESSES[settings.LOGIN_MAX_FAILURES :]
    }
    right_password_wrong_code = attempt(guesser, "org_admin", PASSWORD, "000000")
    assert answers == {1}
    assert right_password_wrong_code.status_code == 400
    assert GUARDED in right_password_wrong_code.content.decode()
    assert not signed_in(guesser)

    # The owner, once the back-off has passed, signs in with her next code.
    _let_the_back_off_pass(admin)
    owner = Client()
    assert attempt(owner, "org_admin", PASSWORD, totp_code(admin, steps_ahead=1)).status_code == 302


@pytest.mark.django_db
def test_retyping_the_same_wrong_password_is_one_mistake(personas, settings):
    owner = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES * 3):
        response = attempt(owner, "caseworker", "my-old-password-2025")
        assert GUARDED not in response.content.decode()
    assert not AuditEvent.objects.filter(kind="staff_login_throttled").exists()
    assert attempt(owner, "caseworker", PASSWORD, totp_code(personas.caseworker)).status_code == 302
    assert AuditEvent.objects.get(kind="staff_login").detail == {"factor": "TOTPDevice"}


@pytest.mark.django_db
def test_an_unknown_name_is_answered_alike_and_tells_nobody(personas, settings):
    guesser = guess_until_guarded("nobody-works-here", settings)
    response = attempt(guesser, "nobody-works-here", GUESSES[-1])
    assert response.status_code == 400
    assert GUARDED in response.content.decode()
    assert not AuditEvent.objects.filter(kind__startswith="staff_login").exists()


@pytest.mark.django_db
def test_the_throttle_keeps_no_name_and_no_password(personas, settings):
    guess_until_guarded("caseworker", settings)
    keys = list(AttemptThrottle.objects.values_list("key", flat=True))
    # One row per distinct guess (it only says "seen") and one for the name.
    assert len(keys) == settings.LOGIN_MAX_FAILURES + 1
    stored = " ".join(keys)
    for secret in ("caseworker", *GUESSES):
        assert secret not in stored
    assert all(len(key) == 64 for key in keys)


@pytest.mark.django_db(transaction=True)
def test_the_owner_and_her_admins_get_one_mail_without_details(personas, settings, smtp_server):
    StaffUser.objects.filter(pk=personas.caseworker.pk).update(email="cw@support.example")
    StaffUser.objects.filter(pk=personas.org_admin.pk).update(email="admin@support.example")
    StaffUser.objects.filter(pk=personas.other_caseworker.pk).update(email="x@other.example")

    guesser = guess_until_guarded("caseworker", settings)
    for guess in GUESSES[settings.LOGIN_MAX_FAILURES :]:  # more guesses, no more mail
        attempt(guesser, "caseworker", guess)

    assert sorted(r for (r,) in smtp_server.recipients) == [
        "admin@support.example",
        "cw@support.example",
    ]
    by_recipient = dict(
        zip((r for (r,) in smtp_server.recipients), smtp_server.messages, strict=True)
    )
    yours_subject, _ = STAFF_ALERTS[StaffAlert.PASSWORDS_GUESSED_YOURS]
    colleague_subject, _ = STAFF_ALERTS[StaffAlert.PASSWORDS_GUESSED_COLLEAGUE]
    assert by_recipient["cw@support.example"]["Subject"] == yours_subject
    assert by_recipient["admin@support.example"]["Subject"] == colleague_subject
    bodies = smtp_server.bodies()
    assert "http://127.0.0.1:8000/staff/login/" in bodies[0] + bodies[1]
    assert "http://127.0.0.1:8000/staff/organisation/" in bodies[0] + bodies[1]
    everything = "\n".join(m.as_string() for m in smtp_server.messages)
    for private in (
        PASSWORD,
        *GUESSES,
        "caseworker",
        "Caseworker",
        personas.support_org.name,
        "Test Support",
    ):
        assert private not in everything, private
    event = AuditEvent.objects.get(kind="staff_login_throttled")
    assert event.actor == personas.caseworker
    assert event.organisation == personas.support_org
    assert event.detail == {"minutes": settings.LOGIN_LOCK_MINUTES}


@pytest.mark.django_db(transaction=True)
def test_a_new_guard_after_the_last_one_ended_warns_again(personas, settings, smtp_server):
    StaffUser.objects.filter(pk=personas.caseworker.pk).update(email="cw@support.example")
    guess_until_guarded("caseworker", settings)
    assert len(smtp_server.messages) == 1
    past = timezone.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES * 3)
    AttemptThrottle.objects.update(window_started_at=past, locked_until=past)
    guesser = Client()
    for guess in reversed(GUESSES[-settings.LOGIN_MAX_FAILURES :]):
        attempt(guesser, "caseworker", guess)
    assert len(smtp_server.messages) == 2
    assert AuditEvent.objects.filter(kind="staff_login_throttled").count() == 2


@pytest.mark.django_db
def test_the_queue_forgets_rows_that_count_nothing_any_more(personas, settings):
    from safereport.accounts import tasks, throttle
    from safereport.jobs.queue import huey

    guess_until_guarded("caseworker", settings)
    a_day_ago = timezone.now() - throttle.STALE_AFTER - timedelta(minutes=1)
    AttemptThrottle.objects.update(window_started_at=a_day_ago)  # her guesses: a day old
    attempt(Client(), "analyst", "one-wrong-guess-here")  # fresh: a guess and a name row
    assert AttemptThrottle.objects.count() == settings.LOGIN_MAX_FAILURES + 1 + 2

    tasks.forget_old_attempts()  # what the worker runs every hour
    # The old guesses are gone; the caseworker's guard still runs, so its row stays.
    assert AttemptThrottle.objects.count() == 1 + 2
    assert AttemptThrottle.objects.filter(locked_until__gt=timezone.now()).count() == 1

    AttemptThrottle.objects.filter(locked_until__isnull=False).update(locked_until=a_day_ago)
    tasks.forget_old_attempts()
    assert AttemptThrottle.objects.count() == 2
    assert "forget_old_attempts" in {
        task.name for task in huey.read_periodic(timezone.now().replace(minute=43))
    }


@pytest.mark.django_db(transaction=True)
def test_no_log_line_names_the_account_or_a_guess(personas, settings, caplog):
    """Even when the alert cannot be sent (no mail server listens), the logs hold
    neither the name typed, nor a password, nor the address the alert was for."""
    import logging

    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard port: nothing listens
    StaffUser.objects.filter(pk=personas.org_admin.pk).update(email="admin@support.example")

    guesser = guess_until_guarded("org_admin", settings)
    attempt(guesser, "org_admin", GUESSES[-1], "000000")
    assert (
        attempt(Client(), "org_admin", PASSWORD, totp_code(personas.org_admin)).status_code == 302
    )

    logged = "\n".join(f"{r.getMessage()} {r.__dict__!r}" for r in caplog.records)
    assert "staff alert passwords_guessed_yours could not be sent" in logged
    for private in ("org_admin", "Org Admin", PASSWORD, *GUESSES, "support.example"):
        assert private not in logged, private
