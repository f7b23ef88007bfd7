"""Truth tables: for every rule of the firewall, the cases it allows or refuses.

Each row is one disclosure built from the personas, the expected outcome, and
the exact rule ids that must decide it.
"""

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
    IMMIGRATION,
    INCIDENT,
    INCIDENT_CONTACT,
    LAW_CENTRE,
    LAWRS,
    MARAC,
    MET,
    PC_EVANS,
    REFUGE,
    consent,
    immigration_to_law_centre,
    override_by,
    to_police_under_override,
    to_police_with_consent,
)

from safereport.core.policy import DisclosureRequest, Override, decide
from safereport.core.policy.explanations import EXPLANATIONS
from safereport.core.vocabulary import Purpose, Role, Section

INV = Purpose.CRIME_INVESTIGATION

Row = tuple[str, DisclosureRequest, bool, tuple[str, ...]]


def _check(request: DisclosureRequest, allowed: bool, rule_ids: tuple[str, ...]) -> None:
    decision = decide(request)
    assert decision.allowed is allowed, decision
    assert decision.rule_ids == tuple(sorted(rule_ids)), decision
    if allowed:
        assert decision.refusals == ()
    else:
        assert [r.rule_id for r in decision.refusals] == list(decision.rule_ids)
        assert all(r.explanation for r in decision.refusals)


# ------------------------------------------------------------- permit-consent --

CONSENT_ROWS: list[Row] = [
    ("live consent naming more sections", to_police_with_consent(), True, ("permit-consent",)),
    (
        "consent naming exactly the sections",
        replace(to_police_with_consent(), sections=INCIDENT_CONTACT),
        True,
        ("permit-consent",),
    ),
    (
        "org admin with consent",
        replace(to_police_with_consent(), actor=BEA),
        True,
        ("permit-consent",),
    ),
    (
        "two consents that between them name every section",
        replace(
            to_police_with_consent(),
            sections=INCIDENT_CONTACT,
            consents=(
                consent(MET, INV, INCIDENT),
                consent(MET, INV, frozenset({Section.CONTACT})),
            ),
        ),
        True,
        ("permit-consent",),
    ),
    (
        "a withdrawn consent beside a live one for the same thing",
        replace(
            to_police_with_consent(),
            consents=(
                consent(MET, INV, INCIDENT, withdrawn=True),
                consent(MET, INV, INCIDENT),
            ),
        ),
        True,
        ("permit-consent",),
    ),
    ("no consent at all", replace(to_police_with_consent(), consents=()), False, ("default-deny",)),
    (
        "consent withdrawn",
        replace(to_police_with_consent(), consents=(consent(MET, INV, INCIDENT, withdrawn=True),)),
        False,
        ("default-deny",),
    ),
    (
        "consent for another recipient",
        replace(to_police_with_consent(), consents=(consent(REFUGE, INV, INCIDENT),)),
        False,
        ("default-deny",),
    ),
    (
        "consent for another purpose",
        replace(
            to_police_with_consent(),
            consents=(consent(MET, Purpose.SUPPORT_REFERRAL, INCIDENT),),
        ),
        False,
        ("default-deny",),
    ),
    (
        "consent missing one section asked for",
        replace(
            to_police_with_consent(),
            sections=frozenset({Section.INCIDENT, Section.IDENTITY}),
        ),
        False,
        ("default-deny",),
    ),
    (
        "second section covered only by a withdrawn consent",
        replace(
            to_police_with_consent(),
            sections=INCIDENT_CONTACT,
            consents=(
                consent(MET, INV, INCIDENT),
                consent(MET, INV, frozenset({Section.CONTACT}), withdrawn=True),
            ),
        ),
        False,
        ("default-deny",),
    ),
]


@pytest.mark.parametrize(
    ("request_", "allowed", "rule_ids"),
    [row[1:] for row in CONSENT_ROWS],
    ids=[row[0] for row in CONSENT_ROWS],
)
def test_permit_consent(
    request_: DisclosureRequest, allowed: bool, rule_ids: tuple[str, ...]
) -> None:
    _check(request_, allowed, rule_ids)


# ---------------------------------------------- permit-safeguarding-override --

OVERRIDE_ROWS: list[Row] = [
    (
        "valid override to police",
        to_police_under_override(),
        True,
        ("permit-safeguarding-override",),
    ),
    (
        "valid override to a specialist service",
        replace(to_police_under_override(), recipient=REFUGE),
        True,
        ("permit-safeguarding-override",),
    ),
    (
        "valid override to a MARAC",
        replace(to_police_under_override(), recipient=MARAC),
        True,
        ("permit-safeguarding-override",),
    ),
    (
        "valid override by an org admin, approved by a caseworker",
        replace(to_police_under_override(), actor=BEA, override=override_by(AMINA)),
        True,
        ("permit-safeguarding-override",),
    ),
    (
        "valid override and a consent covering it too",
        replace(
            to_police_under_override(), consents=(consent(MET, Purpose.SAFEGUARDING, INCIDENT),)
        ),
        True,
        ("permit-consent", "permit-safeguarding-override"),
    ),
    (
        "override to a legal adviser",
        replace(to_police_under_override(), recipient=LAW_CENTRE),
        False,
        ("inv5-override-recipient-kind",),
    ),
    (
        "override to a labour-rights organisation, even with consent",
        replace(
            to_police_under_override(),
            recipient=FLEX,
            consents=(consent(FLEX, Purpose.SAFEGUARDING, INCIDENT),),
        ),
        False,
        ("inv5-override-recipient-kind",),
    ),
    (
        "override approved by the person disclosing",
        replace(to_police_under_override(), override=override_by(AMINA)),
        False,
        ("inv5-override-second-approver",),
    ),
    (
        "self-approved override even with a covering consent",
        replace(
            to_police_under_override(),
            override=override_by(AMINA),
            consents=(consent(MET, Purpose.SAFEGUARDING, INCIDENT),),
        ),
        False,
        ("inv5-override-second-approver",),
    ),
    (
        "override with no reason",
        replace(to_police_under_override(), override=override_by(BEA, reason="")),
        False,
        ("inv5-override-needs-reason",),
    ),
    (
        "override whose reason is only spaces",
        replace(to_police_under_override(), override=override_by(BEA, reason=" \n\t ")),
        False,
        ("inv5-override-needs-reason",),
    ),
    (
        "override approved by staff of another organisation",
        replace(to_police_under_override(), override=override_by(DARIA)),
        False,
        ("inv5-override-approver-of-custodian",),
    ),
    (
        "override carrying the immigration section",
        replace(to_police_under_override(), sections=INCIDENT | IMMIGRATION),
        False,
        ("inv3-immigration-section-sealed", "inv5-override-no-immigration"),
    ),
    (
        "override to a legal adviser for legal advice with immigration and consent",
        replace(
            immigration_to_law_centre(),
            override=override_by(BEA),
        ),
        False,
        (
            "inv3-immigration-section-sealed",
            "inv5-override-no-immigration",
            "inv5-override-recipient-kind",
        ),
    ),
    (
        "everything wrong with an override at once",
        replace(
            to_police_under_override(),
            override=Override("", AMINA.staff_id, "org-elsewhere"),
        ),
        False,
        (
            "inv5-override-approver-of-custodian",
            "inv5-override-needs-reason",
            "inv5-override-second-approver",
        ),
    ),
]


@pytest.mark.parametrize(
    ("request_", "allowed", "rule_ids"),
    [row[1:] for row in OVERRIDE_ROWS],
    ids=[row[0] for row in OVERRIDE_ROWS],
)
def test_safeguarding_override(
    request_: DisclosureRequest, allowed: bool, rule_ids: tuple[str, ...]
) -> None:
    _check(request_, allowed, rule_ids)


# ------------------------------------------------------ invariant 1 and 2 --


@pytest.mark.parametrize("purpose", list(Purpose))
@pytest.mark.parametrize("actor", [AMINA, BEA], ids=["caseworker", "admin"])
def test_nothing_goes_to_an_immigration_authority(purpose: Purpose, actor: object) -> None:
    with_consent = DisclosureRequest(
        actor=AMINA if actor is AMINA else BEA,
        custodian_organisation_id=LAWRS,
        recipient=HOME_OFFICE,
        purpose=purpose,
        sections=EVERY_SECTION - IMMIGRATION,
        consents=(consent(HOME_OFFICE, purpose, EVERY_SECTION),),
    )
    expected = {"inv1-no-immigration-authority"}
    if purpose == Purpose.IMMIGRATION_ENFORCEMENT:
        expected.add("inv2-no-immigration-enforcement")
    if purpose == Purpose.TRANSFER:  # transfer of custody: support kinds only
        expected.add("inv8-transfer-to-support-only")
    if purpose == Purpose.COORDINATED_SUPPORT:  # no section, support kinds only
        expected |= {"inv9-coordination-between-support", "inv9-coordination-no-section"}
    _check(with_consent, False, tuple(expected))
    under_override = replace(
        with_consent, consents=(), override=override_by(AMINA if actor is BEA else BEA)
    )
    decision = decide(under_override)
    assert not decision.allowed
    assert "inv1-no-immigration-authority" in decision.rule_ids


@pytest.mark.parametrize(
    "recipient", [MET, REFUGE, LAW_CENTRE, FLEX], ids=["police", "service", "legal", "labour"]
)
def test_nothing_goes_for_immigration_enforcement(recipient: object) -> None:
    from safereport.core.policy import Recipient

    assert isinstance(recipient, Recipient)
    request = DisclosureRequest(
        actor=AMINA,
        custodian_organisation_id=LAWRS,
        recipient=recipient,
        purpose=Purpose.IMMIGRATION_ENFORCEMENT,
        sections=INCIDENT,
        consents=(consent(recipient, Purpose.IMMIGRATION_ENFORCEMENT, EVERY_SECTION),),
    )
    _check(request, False, ("inv2-no-immigration-enforcement",))


def test_the_one_allowed_immigration_route_is_open() -> None:
    _check(immigration_to_law_centre(), True, ("permit-consent",))


# ---------------------------------------------------------------- invariant 3 --

SEALED = ("inv3-immigration-section-sealed",)
IMMIGRATION_ROWS: list[Row] = [
    (
        "to police with consent naming it",
        replace(
            to_police_with_consent(),
            sections=INCIDENT | IMMIGRATION,
            consents=(consent(MET, INV, EVERY_SECTION),),
        ),
        False,
        SEALED,
    ),
    (
        "to a specialist service with consent",
        replace(
            immigration_to_law_centre(),
            recipient=REFUGE,
            purpose=Purpose.SUPPORT_REFERRAL,
            consents=(consent(REFUGE, Purpose.SUPPORT_REFERRAL, IMMIGRATION),),
        ),
        False,
        SEALED,
    ),
    (
        "to a legal adviser for support, with consent for support",
        replace(
            immigration_to_law_centre(),
            purpose=Purpose.SUPPORT_REFERRAL,
            consents=(consent(LAW_CENTRE, Purpose.SUPPORT_REFERRAL, IMMIGRATION),),
        ),
        False,
        SEALED,
    ),
    (
        "to a legal adviser without consent",
        replace(immigration_to_law_centre(), consents=()),
        False,
        SEALED,
    ),
    (
        "to a legal adviser with consent for other sections only",
        replace(
            immigration_to_law_centre(),
            consents=(consent(LAW_CENTRE, Purpose.LEGAL_ADVICE, EVERY_SECTION - IMMIGRATION),),
        ),
        False,
        SEALED,
    ),
    (
        "to a legal adviser with a withdrawn consent",
        replace(
            immigration_to_law_centre(),
            consents=(consent(LAW_CENTRE, Purpose.LEGAL_ADVICE, IMMIGRATION, withdrawn=True),),
        ),
        False,
        SEALED,
    ),
    (
        "with other sections, all consented",
        replace(
            immigration_to_law_centre(),
            sections=EVERY_SECTION,
            consents=(consent(LAW_CENTRE, Purpose.LEGAL_ADVICE, EVERY_SECTION),),
        ),
        True,
        ("permit-consent",),
    ),
]


@pytest.mark.parametrize(
    ("request_", "allowed", "rule_ids"),
    [row[1:] for row in IMMIGRATION_ROWS],
    ids=[row[0] for row in IMMIGRATION_ROWS],
)
def test_immigration_section_is_sealed(
    request_: DisclosureRequest, allowed: bool, rule_ids: tuple[str, ...]
) -> None:
    _check(request_, allowed, rule_ids)


# ---------------------------------------------------------------- invariant 4 --


def test_staff_of_another_organisation_cannot_disclose() -> None:
    _check(
        replace(to_police_with_consent(), actor=DARIA),
        False,
        ("inv4-custodian-only",),
    )


def test_police_cannot_disclose_a_report_even_one_addressed_to_them() -> None:
    _check(
        replace(to_police_with_consent(), actor=PC_EVANS),
        False,
        ("inv4-custodian-only", "inv4-disclosing-roles"),
    )


@pytest.mark.parametrize("role", [Role.ANALYST, Role.POLICE_LIAISON, Role.SERVICE_STAFF])
def test_only_caseworkers_and_admins_of_the_custodian_disclose(role: Role) -> None:
    actor = replace(CHIDI, role=role)
    _check(replace(to_police_with_consent(), actor=actor), False, ("inv4-disclosing-roles",))
    _check(replace(to_police_under_override(), actor=actor), False, ("inv4-disclosing-roles",))


def test_override_does_not_let_another_organisation_disclose() -> None:
    request = replace(to_police_under_override(), actor=DARIA)
    _check(request, False, ("inv4-custodian-only",))


# ----------------------------------------------------------- nothing-requested --


def test_a_disclosure_of_nothing_is_refused() -> None:
    _check(
        replace(to_police_with_consent(), sections=frozenset()),
        False,
        ("nothing-requested",),
    )
    _check(
        replace(to_police_under_override(), sections=frozenset()),
        False,
        ("nothing-requested",),
    )


def test_every_core_rule_has_a_plain_words_explanation() -> None:
    from safereport.core.policy import policy_text

    ids = set(_annotated_ids(policy_text()))
    forbids = {i for i in ids if not i.startswith("permit-")}
    assert forbids <= set(EXPLANATIONS), forbids - set(EXPLANATIONS)
    assert {"default-deny", "policy-error"} <= set(EXPLANATIONS)


def _annotated_ids(text: str) -> list[str]:
    import cedarpy

    nodes = cedarpy.policies_to_pst(text)
    return [str(p.annotations["id"]) for p in nodes.static_policies.values()]


def test_every_rule_in_the_policy_has_a_unique_stable_id() -> None:
    from safereport.core.policy import policy_text

    ids = _annotated_ids(policy_text())
    assert len(ids) == len(set(ids))
    assert {
        "permit-consent",
        "permit-safeguarding-override",
        "inv1-no-immigration-authority",
        "inv2-no-immigration-enforcement",
        "inv3-immigration-section-sealed",
        "inv4-custodian-only",
        "inv4-disclosing-roles",
        "inv5-override-no-immigration",
        "inv5-override-second-approver",
        "inv5-override-needs-reason",
        "inv5-override-approver-of-custodian",
        "inv5-override-recipient-kind",
        "nothing-requested",
        # transfer of custody (issue 13, item 3)
        "inv8-transfer-to-support-only",
        "inv8-transfer-elsewhere",
        # coordinated support (issue 16)
        "permit-coordinated-support",
        "inv9-coordination-no-section",
        "inv9-coordination-between-support",
        "inv9-coordination-consent-only",
        "inv9-coordination-elsewhere",
    } == set(ids)
