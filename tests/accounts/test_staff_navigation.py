"""The staff navigation shows each role the pages it may open (it asks the
rulebook through ``context_processors.staff``), and nothing else."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sr_testing.personas import sign_in

pytestmark = pytest.mark.django_db

NAV_PAGES = (
    "waiting",
    "inbox",
    "organisation",
    "police",
    "referrals",
    "directory",
    "directory_entry",
    "disclosure_overrides",
    "analysis",
)
SHOWN = {
    "caseworker": {"waiting", "inbox", "referrals", "directory", "disclosure_overrides"},
    "org_admin": {
        "waiting",
        "inbox",
        "organisation",
        "referrals",
        "directory",
        "directory_entry",
        "disclosure_overrides",
    },
    "police_liaison": {"waiting", "police"},
    "service_staff": {"waiting", "referrals"},
    "analyst": {"waiting", "analysis"},
}


@pytest.mark.parametrize("persona", sorted(SHOWN))
def test_each_role_sees_its_own_pages_in_the_navigation(client, personas, persona):
    assert sign_in(client, getattr(personas, persona)).status_code == 302
    page = client.get(reverse("staff:password")).content.decode()
    nav = re.search(r'<nav aria-label="Staff" class="staff-nav">(.*?)</nav>', page, re.S)
    assert nav is not None
    links = set(re.findall(r'href="([^"]+)"', nav.group(1)))
    shown = {name for name in NAV_PAGES if reverse(f"staff:{name}") in links}
    assert shown == SHOWN[persona]
    assert len(links) == len(shown)
