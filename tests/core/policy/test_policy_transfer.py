"""Transfer of custody (purpose "transfer", issue 13, item 3): a truth table of
the firewall's answers. Amina (LAWRS) moves a report; the reporter agreed, or
a colleague approved a safeguarding override."""

from __future__ import annotations

from dataclasses import replace

import pytest
from firewall_personas import (
    AMINA,
    BEA,
    CHIDI,
    DARIA,
    EVERY_SECTION,
    FLEX,
    HOME_OFFICE,
    INCIDENT_CONTACT,
    LAW_CENTRE,
    LAWRS,
    MARAC,
    MET,
    REFUGE,
    by_lawrs,
)

from safereport.core.policy import DisclosureRequest, Recipient, decide
from safereport.core.policy.invariants import INVARIANTS, expected_allowed
from safereport.core.vocabulary import OrgKind, Purpose, Section

KALAYAAN = Recipient("org-kalayaan", OrgKind.SUPPORT_ORG)
OVERSIGHT = Recipient("org-inspectorate", OrgKind.OVERSIGHT)
WITHOUT_IMMIGRATION = EVERY_SECTION - {Section.IMMIGRATION}
T = Purpose.TRANSFER


def transfer(
    recipient: Recipient, *, sections: frozenset[Section] = INCIDENT_CONTACT, **changes
) -> DisclosureRequest:  # type: ignore[no-untyped-def]
    return by_lawrs(T, recipient, sections=sections, **changes)


def agreed(recipient: Recipient, **changes) -> DisclosureRequest:  # type: ignore[no-untyped-def]
    """A transfer to ``recipient`` with the reporter's consent to move it there."""
    return transfer(recipient, agreed=recipient, **changes)


TO_SUPPORT_ONLY = "inv8-transfer-to-support-only"
HERE = Recipient(LAWRS, OrgKind.SUPPORT_ORG)

# (request, allowed, a rule that refuses it)
TABLE: dict[str, tuple[DisclosureRequest, bool, str | None]] = {
    "consent, to another support organisation": (agreed(KALAYAAN), True, None),
    "consent, to a labour-rights organisation": (agreed(FLEX), True, None),
    "consent, to a specialist service": (agreed(REFUGE), True, None),
    "consent, every section but immigration": (
        agreed(KALAYAAN, sections=WITHOUT_IMMIGRATION),
        True,
        None,
    ),
    "an org admin, with consent": (agreed(KALAYAAN, actor=BEA), True, None),
    "consent to the police is no use": (agreed(MET), False, TO_SUPPORT_ONLY),
    "never to an immigration authority": (
        agreed(HOME_OFFICE),
        False,
        "inv1-no-immigration-authority",
    ),
    "never to a legal adviser (advice goes in a package)": (
        agreed(LAW_CENTRE),
        False,
        TO_SUPPORT_ONLY,
    ),
    "never to an oversight body": (agreed(OVERSIGHT), False, TO_SUPPORT_ONLY),
    "no consent": (transfer(KALAYAAN), False, "default-deny"),
    "consent withdrawn": (agreed(KALAYAAN, withdrawn=True), False, None),
    "consent names another organisation": (transfer(KALAYAAN, agreed=FLEX), False, None),
    "consent for a referral is not consent to move": (
        agreed(KALAYAAN, agreed_purpose=Purpose.SUPPORT_REFERRAL),
        False,
        None,
    ),
    "immigration section cannot move, even with consent": (
        agreed(KALAYAAN, sections=EVERY_SECTION),
        False,
        "inv3-immigration-section-sealed",
    ),
    "another organisation's caseworker": (
        agreed(KALAYAAN, actor=DARIA),
        False,
        "inv4-custodian-only",
    ),
    "an analyst": (agreed(KALAYAAN, actor=CHIDI), False, "inv4-disclosing-roles"),
    "override, to a specialist service": (transfer(MARAC, override=True), True, None),
    "override, never to the police": (transfer(MET, override=True), False, TO_SUPPORT_ONLY),
    "override, not to a support organisation": (
        transfer(KALAYAAN, override=True),
        False,
        "inv5-override-recipient-kind",
    ),
    "override approved by the requester herself": (
        transfer(MARAC, override=True, approver=AMINA),
        False,
        "inv5-override-second-approver",
    ),
    "to the custodian itself": (agreed(HERE), False, "inv8-transfer-elsewhere"),
}


@pytest.mark.parametrize("name", list(TABLE))
def test_transfer_truth_table(name: str) -> None:
    request, allowed, rule = TABLE[name]
    decision = decide(request)
    assert decision.allowed is allowed, decision.rule_ids
    assert expected_allowed(request) is allowed  # the invariants module agrees
    if rule is not None:
        assert rule in decision.rule_ids
    for invariant in INVARIANTS:
        assert invariant.holds(request, decision.allowed), invariant.key


def test_transfer_explanations_are_in_plain_words() -> None:
    refused = decide(agreed(MET))
    assert any("never to the police" in r.explanation for r in refused.refusals)


def test_the_transfer_invariant_holds_for_every_kind_and_basis() -> None:
    for kind in OrgKind:
        recipient = Recipient(f"org-{kind.value}", kind)
        for request in (
            agreed(recipient),
            transfer(recipient, override=True),
            replace(agreed(recipient), sections=frozenset({Section.INCIDENT})),
        ):
            decision = decide(request)
            if kind in (OrgKind.POLICE_FORCE, OrgKind.IMMIGRATION_AUTHORITY):
                assert not decision.allowed, (kind, decision.rule_ids)
