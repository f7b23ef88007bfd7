"""The exhaustive checker: it passes the published policy, and every deliberately
weakened copy makes it fail with a counterexample naming the right invariant."""

from __future__ import annotations

import io
import re

import pytest

from safereport.core.policy import load_policy, policy_text
from safereport.core.policy.check import (
    FULL_SPACE,
    SECTION_SUBSETS,
    Case,
    CheckReport,
    ConsentState,
    OverrideState,
    SectionChoice,
    cases_for,
    check_cases,
    named_values,
    reduced_space,
    run_check,
    space_size,
    symmetric_section_choices,
)
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
    "a blanket permit added": (
        PUBLISHED + "\npermit (principal, action, resource);\n",
        OrgKind.LABOUR_RIGHTS,
        Purpose.CRIME_INVESTIGATION,
        "inv5-consent-or-override",
    ),
}


def _slice_report(
    text: str, kind: OrgKind, purpose: Purpose, roles: tuple[Role, ...] = (Role.CASEWORKER,)
) -> CheckReport:
    """Check one (kind, purpose) slice of the reduced space, for some roles only."""
    space = reduced_space(text)
    return check_cases(cases_for(kind, purpose, space.choices, roles), load_policy(text))


def test_the_space_is_the_one_the_issue_describes() -> None:
    assert len(SECTION_SUBSETS) == 128 and frozenset() in SECTION_SUBSETS
    assert len(ConsentState) == 7 and len(OverrideState) == 5
    assert space_size() == 7 * 5 * 128 * 7 * 5 * 2 * 5 == 1_568_000
    full = list(cases_for(OrgKind.POLICE_FORCE, Purpose.SAFEGUARDING))
    assert len(full) == space_size() // (7 * 5)
    assert len(set(full)) == len(full)


def test_the_published_policy_names_only_what_the_invariants_name() -> None:
    named = named_values(PUBLISHED)
    assert named.sections == {Section.IMMIGRATION}
    assert named.roles == {Role.CASEWORKER, Role.ORG_ADMIN}
    assert named.kinds == {
        OrgKind.IMMIGRATION_AUTHORITY,
        OrgKind.LEGAL_ADVISER,
        OrgKind.POLICE_FORCE,
        OrgKind.SPECIALIST_SERVICE,
    }
    space = reduced_space(PUBLISHED)
    assert len(space.choices) == 14
    assert space.roles == {Role.CASEWORKER: 1, Role.ORG_ADMIN: 1, Role.POLICE_LIAISON: 3}
    assert space.kinds[OrgKind.SUPPORT_ORG] == 3 and len(space.kinds) == 5
    assert sum(c.weight for c in space.choices) == 128
    assert all(sum(c.missing_weights) == c.weight for c in space.choices)


def test_a_policy_that_names_more_gets_more_representatives() -> None:
    stricter = PUBLISHED + (
        '\nforbid (principal, action, resource) when { context.sections.contains("identity") '
        '&& context.actor_role == "analyst" && context.recipient_kind == "oversight" };\n'
    )
    named = named_values(stricter)
    assert Section.IDENTITY in named.sections and Role.ANALYST in named.roles
    assert OrgKind.OVERSIGHT in named.kinds
    # An escaped literal still counts: Cedar decodes it before comparing.
    escaped = PUBLISHED + (
        "\nforbid (principal, action, resource) when "
        '{ context.sections.contains("\\u{63}ontact") };\n'
    )
    assert Section.CONTACT in named_values(escaped).sections


def test_reading_characters_makes_every_role_and_kind_named() -> None:
    sneaky = PUBLISHED + (
        '\nforbid (principal, action, resource) when { context.actor_role like "*lys*" };\n'
    )
    named = named_values(sneaky)
    assert named.roles == frozenset(Role) and named.kinds == frozenset(OrgKind)
    assert reduced_space(sneaky).roles == dict.fromkeys(Role, 1)


def test_every_section_set_has_a_representative_with_the_same_shape() -> None:
    named = frozenset({Section.IMMIGRATION, Section.IDENTITY})
    choices = symmetric_section_choices(named)
    shapes = {(c.sections & named, len(c.sections - named)) for c in choices}
    assert len(shapes) == len(choices) == 4 * 6
    for sections in SECTION_SUBSETS:
        assert (sections & named, len(sections - named)) in shapes


def test_the_full_space_is_every_section_set() -> None:
    assert {c.sections for c in FULL_SPACE.choices} == set(SECTION_SUBSETS)
    assert FULL_SPACE.roles == dict.fromkeys(Role, 1)
    assert FULL_SPACE.kinds == dict.fromkeys(OrgKind, 1)


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
    assert "Checked 1,568,000 decisions" in text
    # The weighted count agrees with a run that evaluates every decision.
    assert "In the whole space 13,360 are allowed and 1,554,640 refused." in text
    assert "OK: every invariant holds." in text
    assert "VIOLATED" not in text and "note:" not in text
    assert text.count("holds    inv") == 7


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("immigration-authority forbid removed", ["immigration_authority"]),
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
