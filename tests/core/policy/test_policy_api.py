"""The firewall's public surface: hashing, loading, local rules, failing closed,
refusing malformed input, and the absence of any way to switch it off."""

from __future__ import annotations

import hashlib
import inspect
import re
from dataclasses import replace

import cedarpy
import pytest
from firewall_personas import AMINA, MET, to_police_under_override, to_police_with_consent

import safereport.core.policy as policy_pkg
from safereport.core.policy import (
    Actor,
    CompiledPolicy,
    Consent,
    DisclosureRequest,
    InvalidDisclosureRequest,
    LocalRuleRefused,
    Override,
    PolicyInvalid,
    Recipient,
    decide,
    load_policy,
    policy_hash,
    policy_text,
    schema_text,
    with_local_rules,
)
from safereport.core.policy import firewall as firewall_module
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section


def test_policy_hash_is_the_sha256_of_the_exact_file_bytes() -> None:
    raw = firewall_module.POLICY_PATH.read_bytes()
    assert policy_hash() == hashlib.sha256(raw).hexdigest()
    assert load_policy().sha256 == policy_hash()
    assert decide(to_police_with_consent()).policy_hash == policy_hash()
    assert policy_text().encode("utf-8") == raw


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t + "\n",
        lambda t: t.replace("// Invariant 1", "//  Invariant 1"),
        lambda t: t.replace('"immigration_authority"', '"immigration_authorit"'),
    ],
    ids=["trailing newline", "comment", "one letter"],
)
def test_any_change_to_the_text_changes_the_hash(edit: object) -> None:
    assert callable(edit)
    changed = edit(policy_text())
    assert changed != policy_text()
    assert load_policy(changed).sha256 != policy_hash()
    assert load_policy(changed).sha256 == hashlib.sha256(changed.encode()).hexdigest()


def test_decide_reports_the_hash_of_the_policy_it_used() -> None:
    stricter = with_local_rules(
        '@id("local-no-police") forbid (principal, action, resource)\n'
        'when { context.recipient_kind == "police_force" };\n'
    )
    decision = decide(to_police_with_consent(), stricter)
    assert not decision.allowed
    assert decision.rule_ids == ("local-no-police",)
    assert decision.refusals[0].explanation  # a generic "stricter local rule" text
    assert decision.policy_hash == stricter.sha256 != policy_hash()
    assert stricter.text.startswith(policy_text().rstrip("\n"))


def test_local_rules_can_only_forbid() -> None:
    with pytest.raises(LocalRuleRefused):
        with_local_rules("permit (principal, action, resource);")
    with pytest.raises(LocalRuleRefused):
        with_local_rules(
            'forbid (principal, action, resource) when { context.purpose == "x" };\n'
            "permit (principal, action, resource);"
        )
    with pytest.raises(PolicyInvalid):
        with_local_rules("forbid (principal, action, resource) when { oops };")


def test_a_policy_that_does_not_validate_is_refused() -> None:
    with pytest.raises(PolicyInvalid):
        load_policy("permit (principal, action, resource) when { context.no_such_thing };")
    with pytest.raises(PolicyInvalid):
        load_policy("this is not cedar")
    with pytest.raises(PolicyInvalid):
        # Reading an optional attribute without `has` would fail at run time.
        load_policy('permit (principal, action, resource) when { context.override.reason == "x" };')


def test_an_empty_policy_refuses_everything() -> None:
    empty = load_policy("")
    for request in (to_police_with_consent(), to_police_under_override()):
        decision = decide(request, empty)
        assert not decision.allowed
        assert decision.rule_ids == ("default-deny",)


def test_an_evaluation_error_refuses_instead_of_skipping_a_forbid() -> None:
    # Cedar skips a policy whose evaluation errors. A forbid that errors must
    # not let the permit through: the decision fails closed.
    text = (
        "permit (principal, action, resource);\n"
        'forbid (principal, action, resource) when { context.override.reason == "" };\n'
    )
    broken = CompiledPolicy(
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        policy_set=cedarpy.PolicySet.from_str(text),
        schema=load_policy().schema,
    )
    decision = decide(to_police_with_consent(), broken)
    assert not decision.allowed
    assert decision.rule_ids == ("policy-error",)
    assert decision.errors


def test_there_is_no_switch_that_turns_the_firewall_off() -> None:
    assert list(inspect.signature(decide).parameters) == ["request", "policy"]
    assert list(inspect.signature(load_policy).parameters) == ["text"]
    assert list(inspect.signature(with_local_rules).parameters) == ["fragment", "base"]
    forbidden = re.compile(r"enabl|disabl|bypass|skip|off\b|allow_all|debug|dry", re.IGNORECASE)
    for module in (policy_pkg, firewall_module):
        names = [n for n in vars(module) if forbidden.search(n)]
        assert names == [], f"{module.__name__} exposes {names}"
    fields = {
        f
        for cls in (DisclosureRequest, Actor, Recipient, Consent, Override)
        for f in cls.__dataclass_fields__
    }
    assert not [f for f in fields if forbidden.search(f)]


def test_the_policy_and_schema_only_name_values_from_the_vocabulary() -> None:
    vocabulary = {v.value for enum in (OrgKind, Role, Purpose, Section) for v in enum}
    literals: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, cedarpy.pst.StringLit):
            literals.add(node.value)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                if name != "annotations":
                    walk(getattr(node, name))
        elif isinstance(node, (tuple, list)):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    walk(cedarpy.policies_to_pst(policy_text()))
    assert literals - {""} <= vocabulary, literals - vocabulary
    # The policy names the values the invariants are about.
    assert {"immigration_authority", "immigration_enforcement", "immigration"} <= literals
    assert cedarpy.validate_policies(policy_text(), cedarpy.Schema.from_str(schema_text()))


@pytest.mark.parametrize(
    "make",
    [
        lambda: Actor("staff-x", "org-a", "superuser"),  # type: ignore[arg-type]
        lambda: Actor("", "org-a", Role.CASEWORKER),
        lambda: Actor("staff-x", "org|a", Role.CASEWORKER),
        lambda: Recipient("org-b", "ministry"),  # type: ignore[arg-type]
        lambda: Consent("org-b", Purpose.LEGAL_ADVICE, frozenset({"passport"})),  # type: ignore[arg-type]
        lambda: Consent("org-b", "deportation", frozenset()),  # type: ignore[arg-type]
        lambda: Consent("org-b", Purpose.LEGAL_ADVICE, frozenset(), withdrawn="no"),  # type: ignore[arg-type]
        lambda: Override("reason", "", "org-a"),
        lambda: replace(to_police_with_consent(), sections="incident"),
        lambda: replace(to_police_with_consent(), custodian_organisation_id=""),
        lambda: replace(to_police_with_consent(), purpose="whatever"),
    ],
)
def test_malformed_requests_are_refused_before_cedar(make: object) -> None:
    assert callable(make)
    with pytest.raises(InvalidDisclosureRequest):
        make()


def test_plain_strings_are_accepted_for_enum_values() -> None:
    request = DisclosureRequest(
        actor=Actor("staff-amina", "org-lawrs", "caseworker"),  # type: ignore[arg-type]
        custodian_organisation_id="org-lawrs",
        recipient=Recipient("org-met", "police_force"),  # type: ignore[arg-type]
        purpose="crime_investigation",  # type: ignore[arg-type]
        sections=frozenset({"incident"}),  # type: ignore[arg-type]
        consents=(Consent("org-met", "crime_investigation", frozenset({"incident"})),),  # type: ignore[arg-type]
    )
    assert request.actor.role is Role.CASEWORKER
    assert request.sections == frozenset({Section.INCIDENT})
    assert decide(request).allowed


def test_recipient_and_actor_identities_cannot_be_smuggled_through_grant_strings() -> None:
    # A recipient id that tried to forge another grant is refused outright.
    with pytest.raises(InvalidDisclosureRequest):
        Recipient("org-met|crime_investigation", OrgKind.POLICE_FORCE)
    assert decide(replace(to_police_with_consent(), actor=AMINA, recipient=MET)).allowed
