"""The exhaustive checker: it passes the published policy, and every deliberately
weakened copy makes it fail with a counterexample naming the right invariant."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest

from safereport.core.policy import load_policy, policy_text
from safereport.core.policy.check import (
    FULL_SPACE,
    SECTION_SUBSETS,
    Case,
    CheckReport,
    Classes,
    ConsentState,
    OverrideState,
    SectionChoice,
    Translator,
    Value,
    Vocabulary,
    build_request,
    cases_for,
    check_cases,
    check_policy,
    reduced_space,
    refused_outright,
    run_check,
    space_size,
    symmetric_section_choices,
    symmetry_classes,
)
from safereport.core.policy.firewall import cedar_request
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section


def without_rule(text: str, rule_id: str) -> str:
    """The policy text with the rule annotated @id(rule_id) cut out."""
    pattern = re.compile(r'@id\("' + re.escape(rule_id) + r'"\).*?;\n', re.DOTALL)
    cut, count = pattern.subn("", text)
    assert count == 1, rule_id
    return cut


def replaced(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new)


PUBLISHED = policy_text()
# The coordinated-support block's own list of kinds and its permit's purpose test.
COORDINATION_KINDS = (
    'when { context.purpose == "coordinated_support" }\nunless {\n'
    '  ["support_org", "labour_rights", "specialist_service"]'
)
COORDINATION_PERMIT_PURPOSE = 'context.purpose == "coordinated_support"'
IMMIGRATION_GUARD = '  !context.sections.contains("immigration")\n'


def _without_override_immigration_guards(text: str) -> str:
    text = without_rule(text, "inv5-override-no-immigration")
    return replaced(text, "  ) &&\n" + IMMIGRATION_GUARD, "  )\n")


WEAKENED: dict[str, tuple[str, OrgKind, Purpose, str]] = {
    # name: (policy text, recipient kind, purpose of a slice that shows it, invariant broken)
    "immigration-authority forbid removed": (
        without_rule(PUBLISHED, "inv1-no-immigration-authority"),
        OrgKind.IMMIGRATION_AUTHORITY,
        Purpose.SUPPORT_REFERRAL,
        "inv1-no-immigration-authority",
    ),
    "immigration-enforcement forbid removed": (
        without_rule(PUBLISHED, "inv2-no-immigration-enforcement"),
        OrgKind.POLICE_FORCE,
        Purpose.IMMIGRATION_ENFORCEMENT,
        "inv2-no-immigration-enforcement",
    ),
    "immigration-section forbid removed": (
        without_rule(PUBLISHED, "inv3-immigration-section-sealed"),
        OrgKind.POLICE_FORCE,
        Purpose.CRIME_INVESTIGATION,
        "inv3-immigration-section-sealed",
    ),
    "override-immigration forbid and guards removed, and the section seal": (
        without_rule(
            _without_override_immigration_guards(PUBLISHED), "inv3-immigration-section-sealed"
        ),
        OrgKind.SPECIALIST_SERVICE,
        Purpose.SAFEGUARDING,
        "inv5-override-no-immigration",
    ),
    "second-approver forbid removed": (
        without_rule(PUBLISHED, "inv5-override-second-approver"),
        OrgKind.POLICE_FORCE,
        Purpose.SAFEGUARDING,
        "inv5-override-second-approver",
    ),
    "custodian forbid and the permits' custodian test removed": (
        replaced(
            without_rule(PUBLISHED, "inv4-custodian-only"),
            "  context.actor_org == context.custodian_org &&\n",
            "",
        ),
        OrgKind.SUPPORT_ORG,
        Purpose.SUPPORT_REFERRAL,
        "inv4-custodian-only",
    ),
    "consent permit no longer checks the sections": (
        replaced(
            PUBLISHED,
            "  context.consent_grants.containsAll(context.requested_grants)\n};",
            "  !context.consent_grants.isEmpty()\n};",
        ),
        OrgKind.SUPPORT_ORG,
        Purpose.SUPPORT_REFERRAL,
        "inv5-consent-or-override",
    ),
    # -- transfer of custody (issue 13, item 3) --
    "transfer-kind forbid removed": (
        without_rule(PUBLISHED, "inv8-transfer-to-support-only"),
        OrgKind.POLICE_FORCE,
        Purpose.TRANSFER,
        "inv8-transfer-to-support-only",
    ),
    "transfer forbid loosened to let the police in": (
        replaced(
            PUBLISHED,
            '["support_org", "labour_rights", "specialist_service"]',
            '["support_org", "labour_rights", "specialist_service", "police_force"]',
        ),
        OrgKind.POLICE_FORCE,
        Purpose.TRANSFER,
        "inv8-transfer-to-support-only",
    ),
    # -- end transfer --
    # -- coordinated support (issue 16) --
    "a match let through to an immigration authority": (
        # invariant 1's forbid excepts coordinated support, whose list of kinds
        # lets the immigration authority in: only a match leaks
        replaced(
            replaced(
                PUBLISHED,
                'when { context.recipient_kind == "immigration_authority" };',
                'when { context.recipient_kind == "immigration_authority" }\n'
                'unless { context.purpose == "coordinated_support" };',
            ),
            COORDINATION_KINDS,
            COORDINATION_KINDS.replace("]", ', "immigration_authority"]'),
        ),
        OrgKind.IMMIGRATION_AUTHORITY,
        Purpose.COORDINATED_SUPPORT,
        "inv1-no-immigration-authority",
    ),
    "a match let through for immigration enforcement": (
        # every test of the purpose, the permit's and the exemption from
        # "nothing-requested" among them, lets immigration enforcement in too
        replaced(
            without_rule(PUBLISHED, "inv2-no-immigration-enforcement"),
            COORDINATION_PERMIT_PURPOSE,
            '["coordinated_support", "immigration_enforcement"].contains(context.purpose)',
        ),
        OrgKind.SUPPORT_ORG,
        Purpose.IMMIGRATION_ENFORCEMENT,
        "inv2-no-immigration-enforcement",
    ),
    "a match let through to the police": (
        replaced(
            PUBLISHED, COORDINATION_KINDS, COORDINATION_KINDS.replace("]", ', "police_force"]')
        ),
        OrgKind.POLICE_FORCE,
        Purpose.COORDINATED_SUPPORT,
        "inv9-coordination",
    ),
    "a match carries sections": (
        replaced(
            without_rule(PUBLISHED, "inv9-coordination-no-section"),
            COORDINATION_PERMIT_PURPOSE + " &&\n  context.sections.isEmpty() &&",
            COORDINATION_PERMIT_PURPOSE + " &&",
        ),
        OrgKind.LABOUR_RIGHTS,
        Purpose.COORDINATED_SUPPORT,
        "inv9-coordination",
    ),
    # -- end coordinated support --
    "a blanket permit added": (
        PUBLISHED + "\npermit (principal, action, resource);\n",
        OrgKind.LABOUR_RIGHTS,
        Purpose.CRIME_INVESTIGATION,
        "inv5-consent-or-override",
    ),
}


PERMIT_WITHOUT_CONSENT = (
    "\npermit (principal, action, resource) when {{ context.actor_org == context.custodian_org"
    " && !context.sections.isEmpty() && {condition} }};\n"
)

# Leaks that only a value the published policy's classes would not evaluate can
# show: org_admin stands behind caseworker, labour_rights behind
# support_org, safeguarding behind crime_investigation, attachments behind
# incident. Each weakened copy names the value, so its class splits and the
# value is evaluated: (policy text, vocabulary that holds the pair, the value).
TINY = Vocabulary(
    sections=(Section.INCIDENT, Section.CONTACT),
    roles=(Role.CASEWORKER,),
    kinds=(OrgKind.SUPPORT_ORG,),
    purposes=(Purpose.SUPPORT_REFERRAL,),
)


def _with_pair(representative: Value, hidden: Value) -> Vocabulary:
    """TINY with the sort of the pair replaced by the pair."""
    field = {Section: "sections", Role: "roles", OrgKind: "kinds", Purpose: "purposes"}
    return dataclasses.replace(TINY, **{field[type(hidden)]: (representative, hidden)})


# name: (condition of a permit without consent, representative, hidden value,
# words the counterexample must hold)
HIDDEN_BEHIND_A_REPRESENTATIVE: dict[str, tuple[str, Value, Value, str]] = {
    "org admins disclose without consent": (
        'context.actor_role == "org_admin"',
        Role.CASEWORKER,
        Role.ORG_ADMIN,
        "an org admin of the organisation holding the report",
    ),
    # (police_force and specialist_service stood together until the transfer
    # rule named specialist_service without the police; labour_rights still
    # stands behind support_org.)
    "labour-rights organisations get anything asked for": (
        'context.recipient_kind == "labour_rights"',
        OrgKind.SUPPORT_ORG,
        OrgKind.LABOUR_RIGHTS,
        "labour_rights",
    ),
    "safeguarding needs no consent": (
        'context.purpose == "safeguarding"',
        Purpose.CRIME_INVESTIGATION,
        Purpose.SAFEGUARDING,
        "for the purpose safeguarding",
    ),
    "attachments need no consent": (
        'context.sections.contains("attachments")',
        Section.INCIDENT,
        Section.ATTACHMENTS,
        "attachments",
    ),
}


def _leaky(name: str) -> str:
    condition = HIDDEN_BEHIND_A_REPRESENTATIVE[name][0]
    return PUBLISHED + PERMIT_WITHOUT_CONSENT.format(condition=condition)


def _same_class(classes: Classes, a: Value, b: Value) -> bool:
    groups = [*classes.sections, *classes.roles, *classes.kinds, *classes.purposes]
    return any(a in group and b in group for group in groups)


@pytest.mark.parametrize("name", list(HIDDEN_BEHIND_A_REPRESENTATIVE))
def test_a_leak_behind_a_representative_is_caught(name: str) -> None:
    _, representative, hidden, words = HIDDEN_BEHIND_A_REPRESENTATIVE[name]
    text, vocabulary = _leaky(name), _with_pair(representative, hidden)
    # Under the published policy only the representative of the pair is asked;
    # the weakened copy names the other value, so the pair splits.
    assert _same_class(symmetry_classes(PUBLISHED, vocabulary), hidden, representative)
    assert not _same_class(symmetry_classes(text, vocabulary), hidden, representative)
    report = check_policy(text, vocabulary=vocabulary)
    assert not report.ok
    finding = report.violations["inv5-consent-or-override"]
    assert finding.count > 0 and words in finding.example, finding.example
    assert report.covered == vocabulary.size()


# A vocabulary whose whole space is small enough to evaluate one by one, yet
# holds a class of each sort with more than one value.
SMALL = Vocabulary(
    sections=(Section.IDENTITY, Section.CONTACT, Section.IMMIGRATION),
    roles=(Role.CASEWORKER, Role.ORG_ADMIN, Role.ANALYST),
    kinds=(OrgKind.SUPPORT_ORG, OrgKind.LABOUR_RIGHTS, OrgKind.POLICE_FORCE),
    purposes=(Purpose.CRIME_INVESTIGATION, Purpose.SAFEGUARDING),
    consents=(
        ConsentState.NONE,
        ConsentState.COVERS_EXACTLY,
        ConsentState.OTHER_PURPOSE,
        ConsentState.SOME_SECTIONS,
    ),
    overrides=(OverrideState.NONE, OverrideState.VALID, OverrideState.SELF_APPROVED),
)


def _counts(report: CheckReport) -> dict[str, int]:
    found = {key: f.count for key, f in report.violations.items() if f.count}
    return found | {
        "covered": report.covered,
        "allowed": report.covered_allowed,
        "unexpected allow": report.unexpected_allow.count,
        "unexpected refusal": report.unexpected_refusal.count,
        "errors": report.errors.count,
    }


@pytest.mark.parametrize(
    "name",
    [
        "published",
        "immigration-section forbid removed",
        "a blanket permit added",
        *list(HIDDEN_BEHIND_A_REPRESENTATIVE)[:2],
    ],
)
def test_full_and_reduced_checks_count_the_same_over_a_small_vocabulary(name: str) -> None:
    text = (
        PUBLISHED
        if name == "published"
        else WEAKENED[name][0]
        if name in WEAKENED
        else _leaky(name)
    )
    full = check_policy(text, full=True, vocabulary=SMALL)
    reduced = check_policy(text, vocabulary=SMALL)
    assert full.evaluated == full.covered == SMALL.size() == 3 * 2 * 8 * 4 * 3 * 2 * 3
    assert reduced.evaluated < full.evaluated / 3
    assert _counts(reduced) == _counts(full)
    assert full.covered_allowed > 0
    assert full.ok == (name == "published")


def _slice_report(
    text: str, kind: OrgKind, purpose: Purpose, roles: tuple[Role, ...] = (Role.CASEWORKER,)
) -> CheckReport:
    """Check one (kind, purpose) slice of the reduced space, for some roles only."""
    space = reduced_space(text)
    return check_cases(cases_for(kind, purpose, space.choices, roles), load_policy(text))


def test_the_space_is_the_one_the_issue_describes() -> None:
    assert len(SECTION_SUBSETS) == 128 and frozenset() in SECTION_SUBSETS
    assert len(ConsentState) == 7 and len(OverrideState) == 5
    # 7 purposes since the transfer of custody (issue 13) and coordinated support (16).
    assert space_size() == 7 * 7 * 128 * 7 * 5 * 2 * 5 == 2_195_200
    full = list(cases_for(OrgKind.POLICE_FORCE, Purpose.SAFEGUARDING))
    assert len(full) == space_size() // (7 * 7)
    assert len(set(full)) == len(full)


def test_the_published_policy_classes() -> None:
    classes = symmetry_classes(PUBLISHED)
    others = tuple(s for s in Section if s != Section.IMMIGRATION)
    assert classes.sections == (others, (Section.IMMIGRATION,))
    # caseworker and org_admin only ever appear side by side in one set literal.
    assert classes.roles == (
        (Role.CASEWORKER, Role.ORG_ADMIN),
        (Role.POLICE_LIAISON, Role.SERVICE_STAFF, Role.ANALYST),
    )
    # The transfer rule names support_org and labour_rights side by side, and
    # specialist_service without the police, so those two part.
    assert classes.kinds == (
        (OrgKind.SUPPORT_ORG, OrgKind.LABOUR_RIGHTS),
        (OrgKind.POLICE_FORCE,),
        (OrgKind.SPECIALIST_SERVICE,),
        (OrgKind.LEGAL_ADVISER,),
        (OrgKind.OVERSIGHT,),
        (OrgKind.IMMIGRATION_AUTHORITY,),
    )
    # support_referral is the "other purpose" of the pair, so it stays alone.
    assert classes.purposes == (
        (Purpose.SUPPORT_REFERRAL,),
        (Purpose.CRIME_INVESTIGATION, Purpose.SAFEGUARDING),
        (Purpose.LEGAL_ADVICE,),
        (Purpose.TRANSFER,),
        (Purpose.COORDINATED_SUPPORT,),
        (Purpose.IMMIGRATION_ENFORCEMENT,),
    )
    space = reduced_space(PUBLISHED)
    assert len(space.choices) == 14
    assert space.roles == {Role.CASEWORKER: 2, Role.POLICE_LIAISON: 3}
    assert space.kinds == {
        OrgKind.SUPPORT_ORG: 2,
        OrgKind.POLICE_FORCE: 1,
        OrgKind.SPECIALIST_SERVICE: 1,
        OrgKind.LEGAL_ADVISER: 1,
        OrgKind.OVERSIGHT: 1,
        OrgKind.IMMIGRATION_AUTHORITY: 1,
    }
    assert space.purposes[Purpose.CRIME_INVESTIGATION] == 2 and len(space.purposes) == 6
    assert sum(c.weight for c in space.choices) == 128
    assert all(sum(c.missing_weights) == c.weight for c in space.choices)


def test_a_policy_that_tells_more_apart_gets_smaller_classes() -> None:
    stricter = PUBLISHED + (
        '\nforbid (principal, action, resource) when { context.sections.contains("identity") '
        '&& context.actor_role == "analyst" && context.recipient_kind == "oversight" '
        '&& context.purpose == "safeguarding" };\n'
    )
    classes = symmetry_classes(stricter)
    assert (Section.IDENTITY,) in classes.sections and (Role.ANALYST,) in classes.roles
    assert (OrgKind.OVERSIGHT,) in classes.kinds
    assert (Purpose.SAFEGUARDING,) in classes.purposes
    # One of a pair named alone splits the pair.
    admins = PUBLISHED + (
        '\nforbid (principal, action, resource) when { context.actor_role == "org_admin" };\n'
    )
    assert (Role.ORG_ADMIN,) in symmetry_classes(admins).roles
    # An escaped literal still counts: Cedar decodes it before comparing.
    escaped = PUBLISHED + (
        "\nforbid (principal, action, resource) when "
        '{ context.sections.contains("\\u{63}ontact") };\n'
    )
    assert (Section.CONTACT,) in symmetry_classes(escaped).sections
    # A section inside a longer literal (a grant string) cannot be swapped.
    grant = PUBLISHED + (
        "\nforbid (principal, action, resource) when { context.consent_grants.contains("
        '"active|org-recipient|support_referral|attachments") };\n'
    )
    grant_classes = symmetry_classes(grant)
    assert (Section.ATTACHMENTS,) in grant_classes.sections
    assert (Purpose.SUPPORT_REFERRAL,) in grant_classes.purposes


def test_reading_characters_makes_every_role_kind_and_purpose_its_own_class() -> None:
    sneaky = PUBLISHED + (
        '\nforbid (principal, action, resource) when { context.actor_role like "*lys*" };\n'
    )
    classes = symmetry_classes(sneaky)
    assert classes.roles == tuple((r,) for r in Role)
    assert classes.kinds == tuple((k,) for k in OrgKind)
    assert classes.purposes == tuple((p,) for p in Purpose)
    assert reduced_space(sneaky).roles == dict.fromkeys(Role, 1)


def test_every_section_set_has_a_representative_with_the_same_shape() -> None:
    classes = (
        (Section.INCIDENT, Section.PERPETRATOR, Section.CONTACT),
        (Section.IDENTITY, Section.IMMIGRATION),
        (Section.SUPPORT_NEEDS,),
        (Section.ATTACHMENTS,),
    )
    choices = symmetric_section_choices(classes)

    def shape(sections: frozenset[Section]) -> tuple[int, ...]:
        return tuple(len(sections & frozenset(group)) for group in classes)

    shapes = {shape(c.sections) for c in choices}
    assert len(shapes) == len(choices) == 4 * 3 * 2 * 2
    assert {shape(s) for s in SECTION_SUBSETS} == shapes
    for choice in choices:
        members = [s for s in SECTION_SUBSETS if shape(s) == shape(choice.sections)]
        assert choice.weight == len(members)
        assert sum(choice.missing_weights) == choice.weight


def test_the_translator_asks_cedar_exactly_what_decide_would() -> None:
    translator = Translator()
    cases = [
        case
        for case in cases_for(OrgKind.POLICE_FORCE, Purpose.SAFEGUARDING, roles=(Role.CASEWORKER,))
        if len(case.sections) <= 2
    ]
    assert len(cases) == (1 + 7 + 21) * 7 * 5 * 2
    for case in cases:
        assert translator.cedar(case) == cedar_request(build_request(case))


def test_the_full_space_is_every_section_set() -> None:
    assert {c.sections for c in FULL_SPACE.choices} == set(SECTION_SUBSETS)
    assert FULL_SPACE.roles == dict.fromkeys(Role, 1)
    assert FULL_SPACE.kinds == dict.fromkeys(OrgKind, 1)
    assert FULL_SPACE.purposes == dict.fromkeys(Purpose, 1)


def test_the_published_policy_keeps_every_invariant_on_a_slice() -> None:
    report = _slice_report(PUBLISHED, OrgKind.LEGAL_ADVISER, Purpose.LEGAL_ADVICE)
    assert report.ok
    assert report.evaluated > 0 and report.allowed > 0
    assert report.unexpected_refusal.count == 0


@pytest.mark.parametrize("name", list(WEAKENED))
def test_each_weakened_copy_is_caught_on_its_slice(name: str) -> None:
    text, kind, purpose, invariant = WEAKENED[name]
    report = _slice_report(text, kind, purpose)
    assert not report.ok
    assert report.violations[invariant].count > 0, report.violations.keys()
    assert kind.value in report.violations[invariant].example


def test_redundant_guards_keep_the_firewall_whole_when_one_forbid_goes() -> None:
    # Defence in depth: the permits restate who may disclose and what an
    # override may carry, so dropping only the forbid still breaks nothing.
    roles = (Role.CASEWORKER, Role.POLICE_LIAISON)
    for text in (
        without_rule(PUBLISHED, "inv4-custodian-only"),
        _without_override_immigration_guards(PUBLISHED),
    ):
        assert _slice_report(text, OrgKind.POLICE_FORCE, Purpose.SAFEGUARDING, roles).ok


@pytest.mark.parametrize(
    "name",
    ["immigration-section forbid removed", "second-approver forbid removed"],
)
def test_full_and_reduced_spaces_reach_the_same_verdict(name: str) -> None:
    text, kind, purpose, _ = WEAKENED[name]
    policy = load_policy(text)
    space = reduced_space(text)
    roles = (Role.CASEWORKER,)
    overrides = {OverrideState.NONE, OverrideState.SELF_APPROVED}

    def cases(choices: tuple[SectionChoice, ...]) -> list[Case]:
        return [c for c in cases_for(kind, purpose, choices, roles) if c.override in overrides]

    full = check_cases(cases(FULL_SPACE.choices), policy)
    reduced = check_cases(cases(space.choices), policy)
    assert full.evaluated == 128 * 7 * 2 * 2  # section sets x consents x overrides x relations
    assert reduced.evaluated < full.evaluated
    assert reduced.covered == full.covered == full.evaluated
    assert reduced.covered_allowed == full.covered_allowed
    assert (
        {k for k, f in full.violations.items() if f.count}
        == {k for k, f in reduced.violations.items() if f.count}
        != set()
    )
    assert full.allowed > 0 and reduced.allowed > 0


def test_a_policy_that_does_not_load_exits_2() -> None:
    out = io.StringIO()
    assert run_check("permit (principal, action, resource) when { nope };", out) == 2
    assert "FAIL" in out.getvalue()


class EndsEveryWrite(io.StringIO):
    """Writes like Django's OutputWrapper: a newline is added unless present."""

    def write(self, s: str) -> int:
        return super().write(s if s.endswith("\n") else s + "\n")


@pytest.mark.slow
def test_run_check_passes_the_published_policy() -> None:
    out = EndsEveryWrite()
    assert run_check(out=out) == 0, out.getvalue()
    text = out.getvalue()
    assert "\n\n" not in text  # one line per line, also through a management command
    assert "Checked 2,195,200 decisions" in text
    # The weighted count agrees with a run that evaluates every decision.
    assert "In the whole space 15,016 are allowed and 2,180,184 refused." in text
    assert "OK: every invariant holds." in text
    assert "VIOLATED" not in text and "note:" not in text
    assert text.count("holds    inv") == 9


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("immigration-authority forbid removed", ["immigration_authority"]),
        (
            "a match let through to an immigration authority",
            ["immigration_authority", "coordinated_support"],
        ),
        (
            "override-immigration forbid and guards removed, and the section seal",
            ["immigration", "a safeguarding override with a written reason"],
        ),
    ],
)
def test_run_check_fails_a_weakened_copy_with_a_counterexample(name: str, words: list[str]) -> None:
    text, _, _, invariant = WEAKENED[name]
    out = io.StringIO()
    assert run_check(text, out) == 1
    lines = out.getvalue().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"VIOLATED {invariant} "))
    counterexample = lines[at + 1]
    assert counterexample.startswith("  Counterexample: ")
    assert "the policy ALLOWED it" in counterexample
    assert all(word in counterexample for word in words), counterexample
    assert lines[-1] == "FAIL: the firewall is broken."


# -- refused outright (issue 17): the two forbids that refuse whole actors --


def test_the_published_policy_refuses_outsiders_and_other_roles_outright() -> None:
    outright = refused_outright(PUBLISHED)
    assert outright.outsiders
    assert outright.roles == {"caseworker", "org_admin"}
    assert outright.refuses(False, (Role.CASEWORKER,))
    assert outright.refuses(True, (Role.POLICE_LIAISON, Role.ANALYST))
    assert not outright.refuses(True, (Role.CASEWORKER, Role.ORG_ADMIN))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("forbid removed", without_rule(PUBLISHED, "inv4-custodian-only")),
        (
            "forbid scoped to an action",
            replaced(
                PUBLISHED,
                '@id("inv4-custodian-only")\nforbid (principal, action, resource)',
                '@id("inv4-custodian-only")\nforbid (principal, action == Action::"disclose", '
                "resource)",
            ),
        ),
        (
            "forbid with a second condition",
            replaced(
                PUBLISHED,
                "when { context.actor_org != context.custodian_org };",
                'when { context.actor_org != context.custodian_org && context.purpose == "x" };',
            ),
        ),
    ],
)
def test_only_the_exact_shape_refuses_outsiders_outright(name: str, text: str) -> None:
    assert not refused_outright(text).outsiders, name
    assert refused_outright(text).roles == {"caseworker", "org_admin"}


def test_a_roles_forbid_that_lets_more_roles_in_refuses_fewer_outright() -> None:
    text = replaced(
        PUBLISHED,
        'unless {\n  ["caseworker", "org_admin"].contains(context.actor_role)\n}',
        'unless {\n  ["caseworker", "org_admin", "analyst"].contains(context.actor_role)\n}',
    )
    outright = refused_outright(text)
    assert outright.roles == {"caseworker", "org_admin", "analyst"}
    assert not outright.refuses(True, (Role.ANALYST,))
    assert refused_outright(without_rule(PUBLISHED, "inv4-disclosing-roles")).roles is None


def test_outright_refusals_count_the_same_as_evaluating_them() -> None:
    """Over the small vocabulary: the reduced check skips outsiders and
    non-disclosing roles, the full one evaluates them, and every count agrees;
    a policy that lets outsiders through is evaluated and caught."""
    full = check_policy(PUBLISHED, full=True, vocabulary=SMALL)
    reduced = check_policy(PUBLISHED, vocabulary=SMALL)
    assert full.outright == 0 and reduced.outright > 0
    assert _counts(reduced) == _counts(full)
    leaky = WEAKENED["custodian forbid and the permits' custodian test removed"][0]
    assert not refused_outright(leaky).outsiders
    assert not check_policy(leaky, vocabulary=SMALL).ok
