"""The demo's services are in the directory, and an older demo database catches up."""

from __future__ import annotations

import pytest

from safereport.accounts.demo import seed_demo
from safereport.accounts.models import Organisation, StaffUser
from safereport.core.referrals import REFERRAL_PURPOSE, ReferralKind
from safereport.core.vocabulary import Role
from safereport.referrals.selectors import kinds_of, search_directory

pytestmark = pytest.mark.django_db

EXPECTED = {
    "harbour-da": ["domestic_abuse_service", "idva_service"],
    "linden-refuge": ["refuge"],
    "northgate-law": ["immigration_legal_adviser"],
    "fair-work": ["labour_rights_organisation", "modern_slavery_first_responder"],
}


def test_demo_services_take_their_kinds_and_have_example_addresses():
    seed_demo()
    for slug, kinds in EXPECTED.items():
        org = Organisation.objects.get(slug=slug)
        assert [k.value for k in kinds_of(org)] == kinds  # every listed kind is allowed
        assert org.contact_email.endswith(".example")
    names = {e.organisation.slug for e in search_directory()}
    assert names == set(EXPECTED)
    assert "immigration-enforcement" not in names
    admin = StaffUser.objects.get(username="ruth")
    assert admin.organisation.slug == "harbour-da" and admin.staff_role is Role.ORG_ADMIN
    assert admin.may_work


def test_the_firewall_allows_a_consented_first_responder_referral_to_fair_work():
    """Fair Work is a labour-rights organisation; the policy decides by consent,
    recipient kind and purpose, and a first-responder referral is for support."""
    from safereport.core import policy
    from safereport.core.vocabulary import OrgKind, Purpose, Section

    purpose = REFERRAL_PURPOSE[ReferralKind.MODERN_SLAVERY_FIRST_RESPONDER]
    assert purpose is Purpose.SUPPORT_REFERRAL
    request = policy.DisclosureRequest(
        actor=policy.Actor(staff_id="staff:1", organisation_id="org:1", role=Role.CASEWORKER),
        custodian_organisation_id="org:1",
        recipient=policy.Recipient("org:2", OrgKind.LABOUR_RIGHTS),
        purpose=purpose,
        sections=frozenset({Section.INCIDENT}),
        consents=(
            policy.Consent(
                recipient_organisation_id="org:2",
                purpose=purpose,
                sections=frozenset({Section.INCIDENT}),
                withdrawn=False,
            ),
        ),
        report_id="r1",
    )
    assert policy.decide(request).allowed


def test_an_older_demo_database_gets_the_missing_facts_and_keeps_an_admins_choice():
    seed_demo()
    Organisation.objects.filter(slug="linden-refuge").update(referral_kinds=[], contact_email="")
    Organisation.objects.filter(slug="harbour-da").update(contact_email="mine@harbour.example")
    StaffUser.objects.filter(username="ruth").delete()
    seed_demo()
    linden = Organisation.objects.get(slug="linden-refuge")
    assert linden.referral_kinds == ["refuge"]
    assert linden.contact_email == "referrals@linden-refuge.example"
    assert Organisation.objects.get(slug="harbour-da").contact_email == "mine@harbour.example"
    ruth = StaffUser.objects.get(username="ruth")
    assert ruth.grant is not None  # can open the organisation's packages
