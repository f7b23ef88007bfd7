"""The wrapping key lives only in a cookie: HttpOnly, SameSite=Strict, scoped, Secure in production.

Its value is neither the session cookie nor the slot the store uses, and the
server keeps it nowhere.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sr_testing import custody
from sr_testing.personas import sign_in
from sr_testing.proofs import post_with_proof

pytestmark = pytest.mark.django_db


def _step(client: Client):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        url = reverse("public:report_step", args=["kind"])
    return post_with_proof(client, url, {"crime_type": "domestic_abuse"})


@pytest.mark.parametrize("production", [False, True])
def test_the_staff_key_cookie(client, personas, settings, production):
    settings.SESSION_COOKIE_SECURE = production
    response = sign_in(client, personas.caseworker)
    cookie = response.cookies[settings.STAFF_KEY_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == settings.STAFF_PATH_PREFIX
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    assert bool(cookie["secure"]) is production
    session = custody.session_of(client, staff=True)
    assert cookie.value not in (session.session_key, session["custody_slot"])
    assert all(cookie.value not in json.dumps(s.get_decoded()) for s in Session.objects.all())


def test_the_public_key_cookie_is_separate_and_site_wide(client, settings):
    response = _step(client)
    cookie = response.cookies[settings.PUBLIC_KEY_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert settings.STAFF_KEY_COOKIE_NAME not in response.cookies
    # Later steps reuse the browser's key: the cookie is set once.
    assert settings.PUBLIC_KEY_COOKIE_NAME not in _step(client).cookies


def test_each_sign_in_makes_a_new_key_and_slot(client, personas, settings):
    sign_in(client, personas.caseworker)
    first = (
        custody.browser_key(client, staff=True),
        custody.store_name(client, "staff-key", staff=True),
    )
    sign_in(client, personas.caseworker)
    second = (
        custody.browser_key(client, staff=True),
        custody.store_name(client, "staff-key", staff=True),
    )
    assert first[0] != second[0] and first[1] != second[1]
    assert custody.opened(client, "staff-key", staff=True) is not None
