"""Deciding a staff sign-in: a password and a second factor, both, every time.

Wrong passwords are counted per account name and per guess
(``throttle.record_wrong_password``): retyping the same wrong password counts
once, a guesser of many passwords puts the name *under guard* for
``LOGIN_LOCK_MINUTES``. The guard never refuses the right password with a
valid second factor, so nobody can lock a colleague out by typing her name.
What it changes:

* the owner and her organisation's admins are told, once per guard, by a mail
  that holds no details (``actions.do_warn_of_password_guessing``);
* a wrong password typed with a *valid* code uses that code up and counts as
  a failure of its device (django-otp's own back-off, doubling each time):
  someone who holds the second factor (a stolen phone, a backup-code sheet)
  can try one password per code, ever more slowly. Only the holder of a valid
  code can trigger this, so a guesser without one cannot slow the owner.

A guesser without the second factor learns nothing from the answer: wrong
password, wrong code and unknown name get the same page. A wrong password
still reads the account's devices (``_would_pass``), so the paths make the
same reads; the right password with a wrong code also writes the devices'
failure counts (django-otp), a few milliseconds beside an Argon2 check of the
password. Nothing here records an address or the name typed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safereport.accounts import permissions, throttle
from safereport.accounts.actions import do_warn_of_password_guessing, record_event
from safereport.accounts.models import StaffUser
from safereport.core.events import EventKind


@dataclass(frozen=True)
class Outcome:
    """The signed-in user and the device that let her in, or neither; ``guarded``
    says the account name is under the guessing limit (for the page's words)."""

    user: StaffUser | None
    device: Device | None
    guarded: bool


def _totp_matches(device: TOTPDevice, code: str) -> int | None:
    """The time step ``code`` is valid for on ``device``, or None. Reads only."""
    if not code.isdigit():
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(code), device.tolerance, device.last_t + 1):
        return None
    return int(totp.t())


def _would_pass(user: StaffUser, code: str) -> Device | None:
    """The device a valid ``code`` belongs to, without using it or counting a failure
    (so that nobody without the password can make django-otp back off the owner)."""
    for device in devices_for_user(user):
        if not device.verify_is_allowed()[0]:
            continue
        if isinstance(device, TOTPDevice) and _totp_matches(device, code) is not None:
            return device
        if isinstance(device, StaticDevice) and device.token_set.filter(token=code).exists():
            return device
    return None


@transaction.atomic(durable=True)
def _spend(device: Device, code: str) -> None:
    """Use up a valid code typed with a wrong password, and count it as a failure of
    its device: django-otp then refuses that device for a doubling delay."""
    if isinstance(device, TOTPDevice):
        step = _totp_matches(device, code)
        if step is not None:
            device.last_t = step
    elif isinstance(device, StaticDevice):
        device.token_set.filter(token=code).delete()
    device.throttle_increment(commit=False)
    device.save()


def attempt(request: HttpRequest, username: str, password: str, code: str) -> Outcome:
    """Check one sign-in. Signs nobody in (the view does); records what happened."""
    guarded = throttle.remaining_lock(throttle.sign_in(username)) is not None
    user = auth.authenticate(request, username=username, password=password)
    if user is not None:
        device = match_token(user, code)
        if device is not None and permissions.may_sign_in(user):
            if not guarded:
                throttle.clear(throttle.sign_in(username))  # her own typos are forgiven
            detail = {"while_guarded": True} if guarded else {}
            record_event(EventKind.STAFF_LOGIN, actor=user, factor=type(device).__name__, **detail)
            return Outcome(user, device, guarded)
        record_event(EventKind.STAFF_LOGIN_FAILED, actor=user)
        return Outcome(None, None, guarded)
    known = StaffUser.objects.filter(username__iexact=username).first()
    valid_device = _would_pass(known, code) if known is not None else None
    started = throttle.record_wrong_password(username, password)
    if known is None:
        return Outcome(None, None, guarded or started)
    spent = guarded and valid_device is not None
    if guarded and valid_device is not None:
        _spend(valid_device, code)
    detail = {"second_factor_used_up": True} if spent else {}
    record_event(EventKind.STAFF_LOGIN_FAILED, actor=known, **detail)
    if started:
        do_warn_of_password_guessing(known, minutes=settings.LOGIN_LOCK_MINUTES)
    return Outcome(None, None, guarded or started)
