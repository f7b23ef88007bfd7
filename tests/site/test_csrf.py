"""Form posts carry a session-bound token; `Origin: null` (from no-referrer) is accepted."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sr_testing.personas import PASSWORD, fresh_backup_code

pytestmark = pytest.mark.django_db


def login_form_token(client: Client) -> str:
    html = client.get("/staff/login/").content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the login form must carry a CSRF token"
    return match.group(1)


def post_login(client: Client, personas, token: str | None, **headers: str):  # type: ignore[no-untyped-def]
    data = {
        "username": "caseworker",
        "password": PASSWORD,
        "code": fresh_backup_code(personas.caseworker),
    }
    if token is not None:
        data["csrfmiddlewaretoken"] = token
    return client.post("/staff/login/", data, **headers)


@pytest.mark.parametrize("secure", [False, True])
def test_origin_null_with_the_session_token_is_accepted(personas, secure):
    client = Client(enforce_csrf_checks=True)
    token = login_form_token(client) if not secure else None
    if secure:
        html = client.get("/staff/login/", secure=True).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = post_login(client, personas, token, HTTP_ORIGIN="null", secure=secure)
    assert response.status_code == 302


def test_a_post_without_the_token_is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    login_form_token(client)
    assert post_login(client, personas, None, HTTP_ORIGIN="null").status_code == 403


def test_a_foreign_origin_is_refused_even_with_a_token(personas):
    client = Client(enforce_csrf_checks=True)
    token = login_form_token(client)
    response = post_login(client, personas, token, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403


def test_a_token_from_another_session_is_refused(personas):
    attacker = Client(enforce_csrf_checks=True)
    stolen = login_form_token(attacker)
    victim = Client(enforce_csrf_checks=True)
    login_form_token(victim)
    assert post_login(victim, personas, stolen, HTTP_ORIGIN="null").status_code == 403
