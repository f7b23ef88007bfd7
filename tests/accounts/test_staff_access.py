"""Every staff page refuses whoever it is not for: the outsider most of all."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, reverse

from safereport import urls_staff
from sr_testing.personas import sign_in

pytestmark = pytest.mark.django_db


def _walk(patterns: list, prefix: str = "") -> list[tuple[str, URLPattern]]:  # type: ignore[type-arg]
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry))
    return found


def staff_pages() -> list[URLPattern]:
    """Every URL in the staff tree, however deeply included, except the sign-in pages."""
    pages = [p for _, p in _walk(urls_staff.urlpatterns)]
    assert all(p.name for p in pages), "every staff URL needs a name"
    return [p for p in pages if p.name not in urls_staff.OPEN_BEFORE_LOGIN]


SAMPLE_VALUES = {"int": 1, "uuid": "00000000-0000-4000-8000-000000000001", "slug": "x", "str": "x"}


def url_of(pattern: URLPattern) -> str:
    """Fill any path parameter with a plausible value; refusal must come before any lookup."""
    converters = getattr(pattern.pattern, "converters", {})
    kwargs = {}
    for name in pattern.pattern.regex.groupindex:
        kind = type(converters.get(name)).__name__.replace("Converter", "").lower()
        kwargs[name] = SAMPLE_VALUES.get(kind, "1")
    return reverse(f"staff:{pattern.name}", kwargs=kwargs)


def test_there_are_staff_pages_to_check():
    assert len(staff_pages()) >= 6


@pytest.mark.parametrize("pattern", staff_pages(), ids=lambda p: p.name)
def test_outsider_is_refused_every_staff_page_even_after_a_full_sign_in_attempt(
    client, personas, pattern
):
    response = sign_in(client, personas.outsider)
    assert response.status_code == 400, "an immigration-authority account must not sign in"
    for method in (client.get, client.post):
        refused = method(url_of(pattern))
        assert refused.status_code in (302, 403, 405)
        if refused.status_code == 302:
            assert refused.url.startswith(reverse("staff:login"))


@pytest.mark.parametrize("pattern", staff_pages(), ids=lambda p: p.name)
def test_outsider_with_a_forged_verified_session_is_still_refused(client, personas, pattern):
    """Even if the outsider got a session with a verified device, the pages say no."""
    from django_otp.plugins.otp_static.models import StaticDevice

    from sr_testing.personas import forge_staff_session

    forge_staff_session(client, personas.outsider, StaticDevice.objects.get(user=personas.outsider))
    assert client.get(url_of(pattern)).status_code == 403


@pytest.mark.parametrize("pattern", staff_pages(), ids=lambda p: p.name)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, pattern):
    response = client.get(url_of(pattern))
    assert response.status_code == 302
    assert response.url.startswith(reverse("staff:login"))


@pytest.mark.parametrize("pattern", staff_pages(), ids=lambda p: p.name)
def test_password_only_session_without_second_factor_is_refused(client, personas, pattern):
    from sr_testing.personas import forge_staff_session

    forge_staff_session(client, personas.caseworker, None)  # signed in, no device verified
    response = client.get(url_of(pattern))
    assert response.status_code == 302
    assert response.url.startswith(reverse("staff:login"))


ROLE_PAGES = {
    "caseworker": {"inbox"},
    "org_admin": {"inbox", "organisation"},
    "police_liaison": {"police"},
    "service_staff": {"referrals"},
    "analyst": {"analysis"},
}


@pytest.mark.parametrize("persona", sorted(ROLE_PAGES))
def test_each_role_opens_its_own_pages_and_is_refused_the_others(client, personas, persona):
    user = getattr(personas, persona)
    assert sign_in(client, user).status_code == 302
    for pattern in staff_pages():
        if pattern.name == "home":
            continue
        status = client.get(url_of(pattern)).status_code
        expected = 200 if pattern.name in ROLE_PAGES[persona] else 403
        assert status == expected, f"{persona} on {pattern.name}: {status}"


def test_org_admin_sees_only_their_own_colleagues(client, personas):
    sign_in(client, personas.org_admin)
    page = client.get(reverse("staff:organisation")).content.decode()
    assert "caseworker" in page
    assert "other_caseworker" not in page
    assert "police_liaison" not in page
