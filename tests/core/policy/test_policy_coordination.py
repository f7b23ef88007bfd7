"""Coordinated support (purpose "coordinated_support", issue 16): a truth table
of the firewall's answers. Two reports name the same employer; Amina (LAWRS)
tells the organisation holding the other report that LAWRS holds one, and its
reference, once her reporter agreed. No section of the report leaves."""

from __future__ import annotations

import pytest
from firewall_personas import (
    AMINA,
    BEA,
    CHIDI,
    DARIA,
    FLEX,
    HOME_OFFICE,
    INCIDENT_CONTACT,
    LAW_CENTRE,
    LAWRS,
    MET,
    REFUGE,
    by_lawrs,
    consent,
)

from safereport.core.policy import DisclosureRequest, Recipient, decide
from safereport.core.policy.invariants import INVARIANTS, expected_allowed
from safereport.core.vocabulary import OrgKind, Purpose, Section

KALAYAAN = Recipient("org-kalayaan", OrgKind.SUPPORT_ORG)
OVERSIGHT = Recipient("org-inspectorate", OrgKind.OVERSIGHT)
C = Purpose.COORDINATED_SUPPORT
NOTHING: frozenset[Section] = frozenset()


def coordinate(recipient: Recipient, **changes) -> DisclosureRequest:  # type: ignore[no-untyped-def]
    return by_lawrs(C, recipient, sections=changes.pop("sections", NOTHING), **changes)


# (request, allowed, a rule that refuses it)
TABLE: dict[str, tuple[DisclosureRequest, bool, str | None]] = {
    "agreed, to a support organisation": (coordinate(KALAYAAN, agreed=KALAYAAN), True, None),
    "agreed, to a labour-rights organisation": (coordinate(FLEX, agreed=FLEX), True, None),
    "agreed, to a specialist service": (coordinate(REFUGE, agreed=REFUGE), True, None),
    "an org admin, agreed": (coordinate(KALAYAAN, agreed=KALAYAAN, actor=BEA), True, None),
    "her agreement named sections too (they do not go)": (
        coordinate(KALAYAAN, agreed=KALAYAAN, agreed_sections=INCIDENT_CONTACT),
        True,
        None,
    ),
    "she has not agreed": (coordinate(KALAYAAN), False, "default-deny"),
    "she withdrew her agreement": (
        coordinate(KALAYAAN, agreed=KALAYAAN, withdrawn=True),
        False,
        "default-deny",
    ),
    "her agreement names another organisation": (
        coordinate(KALAYAAN, agreed=FLEX),
        False,
        "default-deny",
    ),
    "a referral consent is not an agreement to coordinate": (
        coordinate(
            KALAYAAN,
            agreed=KALAYAAN,
            agreed_purpose=Purpose.SUPPORT_REFERRAL,
            agreed_sections=INCIDENT_CONTACT,
        ),
        False,
        "default-deny",
    ),
    "no section ever goes with it": (
        coordinate(
            KALAYAAN,
            agreed=KALAYAAN,
            agreed_sections=INCIDENT_CONTACT,
            sections=INCIDENT_CONTACT,
        ),
        False,
        "inv9-coordination-no-section",
    ),
    "never to an immigration authority": (
        coordinate(HOME_OFFICE, agreed=HOME_OFFICE),
        False,
        "inv1-no-immigration-authority",
    ),
    "never to the police": (
        coordinate(MET, agreed=MET),
        False,
        "inv9-coordination-between-support",
    ),
    "never to a legal adviser": (
        coordinate(LAW_CENTRE, agreed=LAW_CENTRE),
        False,
        "inv9-coordination-between-support",
    ),
    "never to an oversight body": (
        coordinate(OVERSIGHT, agreed=OVERSIGHT),
        False,
        "inv9-coordination-between-support",
    ),
    "never under a safeguarding override": (
        coordinate(REFUGE, agreed=REFUGE, override=True),
        False,
        "inv9-coordination-consent-only",
    ),
    "not with the custodian itself": (
        coordinate(
            Recipient(LAWRS, OrgKind.SUPPORT_ORG), agreed=Recipient(LAWRS, OrgKind.SUPPORT_ORG)
        ),
        False,
        "inv9-coordination-elsewhere",
    ),
    "another organisation's caseworker": (
        coordinate(KALAYAAN, agreed=KALAYAAN, actor=DARIA),
        False,
        "inv4-custodian-only",
    ),
    "an analyst": (
        coordinate(KALAYAAN, agreed=KALAYAAN, actor=CHIDI),
        False,
        "inv4-disclosing-roles",
    ),
}


@pytest.mark.parametrize("name", list(TABLE))
def test_coordination_truth_table(name: str) -> None:
    request, allowed, rule = TABLE[name]
    decision = decide(request)
    assert decision.allowed is allowed, decision.rule_ids
    assert expected_allowed(request) is allowed  # the invariants module agrees
    if allowed:
        assert decision.rule_ids == ("permit-coordinated-support",)
    if rule is not None:
        assert rule in decision.rule_ids, decision.rule_ids
    for invariant in INVARIANTS:
        assert invariant.holds(request, decision.allowed), invariant.key


def test_an_agreement_to_coordinate_opens_no_section_for_any_purpose() -> None:
    """Her agreement (no section) never covers a request for a section, whatever
    its purpose: nothing of the report travels on it."""
    agreed = (consent(KALAYAAN, C, NOTHING),)
    for purpose in Purpose:
        for section in Section:
            request = DisclosureRequest(
                actor=AMINA,
                custodian_organisation_id=LAWRS,
                recipient=KALAYAAN,
                purpose=purpose,
                sections=frozenset({section}),
                consents=agreed,
            )
            assert not decide(request).allowed, (purpose, section)


def test_other_purposes_still_need_a_section() -> None:
    for purpose in set(Purpose) - {C}:
        request = DisclosureRequest(
            actor=AMINA,
            custodian_organisation_id=LAWRS,
            recipient=KALAYAAN,
            purpose=purpose,
            sections=NOTHING,
            consents=(consent(KALAYAAN, purpose, INCIDENT_CONTACT),),
        )
        decision = decide(request)
        assert not decision.allowed and "nothing-requested" in decision.rule_ids, purpose


def test_the_refusals_are_explained_in_plain_words() -> None:
    refused = decide(coordinate(MET, agreed=MET))
    assert any("never the police" in r.explanation for r in refused.refusals)
