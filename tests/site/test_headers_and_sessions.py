"""Security headers on every page, and separate cookies for public and staff pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sr_testing.personas import sign_in

pytestmark = pytest.mark.django_db

PAGES = ["/en/", "/ar/your-rights/", "/staff/login/"]


@pytest.mark.parametrize("path", PAGES)
def test_strict_headers_on_every_page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'none'" in csp
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_page_loads_anything_from_another_site(client):
    for path in PAGES:
        html = client.get(path).content.decode()
        for attribute in ('src="http', "src='http", 'href="//', "url(http"):
            assert attribute not in html, f"{path} loads a third-party resource"
        # The only absolute link is the quick exit, which leaves, it does not load.
        assert html.count('href="https://') == (1 if not path.startswith("/staff") else 0)


def test_hsts_in_production_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 63072000
    response = client.get("/en/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=63072000")


def test_public_and_staff_pages_use_separate_cookies(client, personas, settings):
    client.get("/en/")
    session = client.session  # touch nothing: the public home sets no cookie
    assert settings.PUBLIC_SESSION_COOKIE_NAME not in client.cookies or session.is_empty()
    response = sign_in(client, personas.caseworker)
    staff_cookie = response.cookies[settings.STAFF_SESSION_COOKIE_NAME]
    assert staff_cookie["path"] == "/staff/"
    assert staff_cookie["httponly"]
    assert staff_cookie["samesite"] == "Strict"
    assert settings.PUBLIC_SESSION_COOKIE_NAME not in response.cookies
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_a_staff_session_is_not_a_public_session(client, personas, settings):
    sign_in(client, personas.caseworker)
    staff_key = client.cookies[settings.STAFF_SESSION_COOKIE_NAME].value
    # A public page does not see the staff login, even if both cookies are sent.
    client.cookies[settings.PUBLIC_SESSION_COOKIE_NAME] = staff_key
    client.cookies[settings.PUBLIC_SESSION_COOKIE_NAME]["path"] = "/"
    assert client.get(reverse("staff:inbox")).status_code == 200


def test_language_lives_in_the_address_and_sets_lang_and_dir(client):
    arabic = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    spanish = client.get("/es/").content.decode()
    assert '<html lang="es" dir="ltr">' in spanish
    # The switcher is plain links to the same page in each language.
    for code in ("en", "es", "pt", "tl", "ar", "ur", "pl", "ro", "fa"):
        assert f'href="/{code}/"' in spanish
    farsi = client.get("/fa/").content.decode()
    assert '<html lang="fa" dir="rtl">' in farsi


def test_root_sends_visitors_to_their_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").url == "/es/"
    assert client.get("/").url == "/en/"


def test_every_public_page_has_a_quick_exit(client, settings):
    for path in ("/en/", "/en/your-rights/", "/ur/"):
        html = client.get(path).content.decode()
        assert f'href="{settings.QUICK_EXIT_URL}"' in html
        assert "data-quick-exit" in html
