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


CASE_PAGES = {
    "file_for_reporter",
    "case",
    "case_reply",
    "case_note",
    "case_status",
    "case_assign",
    "case_hold",
    "case_contact",
    "case_attachment",
}
# The staff lifecycle (accounts/views_lifecycle.py): an admin's forms, all POST only.
LIFECYCLE_PAGES = {
    "organisation_invite",
    "organisation_withdraw_invitation",
    "organisation_deactivate",
    "organisation_reset",
    "organisation_approve_reset",
}
ROLE_PAGES = {
    "caseworker": {"inbox", *CASE_PAGES},
    "org_admin": {
        "inbox",
        "organisation",
        "access_log",
        "organisation_grant_key",
        "organisation_retention",
        "organisation_outreach",
        *LIFECYCLE_PAGES,
        *CASE_PAGES,
    },
    "police_liaison": {"police"},
    "service_staff": {"referrals"},
    "analyst": {"analysis"},
}


# A role's own pages that name an object answer 404 for the sample id (it names
# nothing), or 405 to a GET when they take POST only; other roles get 403 first.
OBJECT_PAGES = {
    "case": 404,
    "case_attachment": 404,
    "case_reply": 405,
    "case_note": 405,
    "case_status": 405,
    "case_assign": 405,
    "case_hold": 405,
    "case_contact": 404,
    "organisation_grant_key": 405,
    "organisation_retention": 405,
    **dict.fromkeys(LIFECYCLE_PAGES, 405),
}

# The firewall's pages (disclosures app): sharing for the custodian's case
# roles, received packages for recipients (and any organisation's admin).
DISCLOSURE_CASE_PAGES = {
    "disclosure_report": 404,
    "disclosure_share": 404,
    "disclosure_consent": 404,
    "disclosure_withdraw_consent": 405,
    "disclosure_request_override": 404,
    "disclosure_attempt": 404,
    "disclosure_overrides": 200,
    "disclosure_override": 404,
    "disclosure_immigration": 200,
    "disclosure_immigration_refused": 404,
    # transfer of custody (issue 13, item 3)
    "disclosure_transfer_report": 404,
    "disclosure_transfer": 404,
    "disclosure_transfer_cancel": 405,
    "disclosure_transfer_consent": 405,
    "disclosure_transfer_override": 405,
}
DISCLOSURE_RECIPIENT_PAGES = {
    "disclosure_packages": 200,
    "disclosure_package": 404,
    "disclosure_package_section": 404,
    "disclosure_package_file": 404,
}
OBJECT_PAGES.update(DISCLOSURE_CASE_PAGES, **DISCLOSURE_RECIPIENT_PAGES)
for _persona in ("caseworker", "org_admin"):
    ROLE_PAGES[_persona] |= set(DISCLOSURE_CASE_PAGES)
for _persona in ("police_liaison", "service_staff", "org_admin"):
    ROLE_PAGES[_persona] |= set(DISCLOSURE_RECIPIENT_PAGES)

# Risk assessments (assessments app): the custodian's case roles only.
RISK_PAGES = {"risk": 404, "risk_new": 404, "risk_record": 404, "risk_exploitation": 404}
OBJECT_PAGES.update(RISK_PAGES)
for _persona in ("caseworker", "org_admin"):
    ROLE_PAGES[_persona] |= set(RISK_PAGES)

# Police liaison (liaison app): the caseworker sends and answers; the force's
# liaison officers handle their handovers (a caseworker following a
# notification's link to a handover is taken to the case).
LIAISON_CASE_PAGES = {"police_new": 404, "police_answer": 404}
LIAISON_POLICE_PAGES = {
    "police_summary": 404,
    "police_acknowledge": 405,
    "police_crime_reference": 405,
    "police_question": 405,
    "police_update": 405,
}
OBJECT_PAGES.update(LIAISON_CASE_PAGES, **LIAISON_POLICE_PAGES, police_handover=404)
for _persona in ("caseworker", "org_admin"):
    ROLE_PAGES[_persona] |= {*LIAISON_CASE_PAGES, "police_handover"}
ROLE_PAGES["police_liaison"] |= {*LIAISON_POLICE_PAGES, "police_handover"}

# Referrals (referrals app): the directory for case roles, an admin's own entry,
# and referrals for both sides (the sending case roles and the receiving service).
REFERRAL_BOTH_SIDES = {
    "referrals": 200,
    "referral": 404,
    "referral_legal_task": 405,
    "referral_legal_task_done": 405,
}
OBJECT_PAGES.update(REFERRAL_BOTH_SIDES, directory=200, directory_entry=200, referral_new=404)
for _persona in ("caseworker", "org_admin", "service_staff"):
    ROLE_PAGES[_persona] |= set(REFERRAL_BOTH_SIDES)
for _persona in ("caseworker", "org_admin"):
    ROLE_PAGES[_persona] |= {"directory", "referral_new"}
ROLE_PAGES["org_admin"] |= {"directory_entry"}

# Coordinated support on a match (matching app, issue 16): the case roles let
# the return page ask the reporter and share their report's reference, by POST only.
OBJECT_PAGES["match_share"] = 405
OBJECT_PAGES["match_ask"] = 405
for _persona in ("caseworker", "org_admin"):
    ROLE_PAGES[_persona] |= {"match_share", "match_ask"}


# Everyone changes their own password, chooses their own alerts and sees what
# is waiting for them.
for _persona in ROLE_PAGES:
    ROLE_PAGES[_persona] |= {"password", "settings", "waiting"}


@pytest.mark.parametrize("persona", sorted(ROLE_PAGES))
def test_each_role_opens_its_own_pages_and_is_refused_the_others(client, personas, persona):
    user = getattr(personas, persona)
    assert sign_in(client, user).status_code == 302
    for pattern in staff_pages():
        if pattern.name == "home":
            continue
        status = client.get(url_of(pattern)).status_code
        own = OBJECT_PAGES.get(pattern.name, 200)
        expected = own if pattern.name in ROLE_PAGES[persona] else 403
        assert status == expected, f"{persona} on {pattern.name}: {status}"


def test_org_admin_sees_only_their_own_colleagues(client, personas):
    sign_in(client, personas.org_admin)
    page = client.get(reverse("staff:organisation")).content.decode()
    assert "caseworker" in page
    assert "other_caseworker" not in page
    assert "police_liaison" not in page
