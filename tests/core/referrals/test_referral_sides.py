"""Who is on which side of a referral, from organisation and role."""

from __future__ import annotations

import pytest

from safereport.core.referrals import ActorSide, SameOrganisation, side_of
from safereport.core.vocabulary import Role

SENDER_ORG, RECEIVER_ORG, POLICE_ORG = 1, 2, 3

EXPECTED = {
    (SENDER_ORG, Role.CASEWORKER): ActorSide.SENDING_ORGANISATION,
    (SENDER_ORG, Role.ORG_ADMIN): ActorSide.SENDING_ORGANISATION,
    (SENDER_ORG, Role.ANALYST): ActorSide.OTHER,
    (SENDER_ORG, Role.SERVICE_STAFF): ActorSide.OTHER,
    (SENDER_ORG, Role.POLICE_LIAISON): ActorSide.OTHER,
    (RECEIVER_ORG, Role.SERVICE_STAFF): ActorSide.RECEIVING_SERVICE,
    (RECEIVER_ORG, Role.CASEWORKER): ActorSide.RECEIVING_SERVICE,
    (RECEIVER_ORG, Role.ORG_ADMIN): ActorSide.RECEIVING_SERVICE,
    (RECEIVER_ORG, Role.ANALYST): ActorSide.OTHER,
    (RECEIVER_ORG, Role.POLICE_LIAISON): ActorSide.OTHER,
    **{(POLICE_ORG, role): ActorSide.OTHER for role in Role},
}


@pytest.mark.parametrize(("org", "role"), sorted(EXPECTED))
def test_side_of(org: int, role: Role) -> None:
    side = side_of(org, role, sending_org=SENDER_ORG, receiving_org=RECEIVER_ORG)
    assert side is EXPECTED[(org, role)]


def test_the_table_covers_every_role_in_every_organisation() -> None:
    assert len(EXPECTED) == 3 * len(Role)


def test_a_referral_to_ones_own_organisation_is_refused() -> None:
    with pytest.raises(SameOrganisation):
        side_of(1, Role.CASEWORKER, sending_org=1, receiving_org=1)
