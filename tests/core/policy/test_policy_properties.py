"""The invariants as property tests over arbitrary disclosure requests.

Hypothesis draws ids from small pools so that the coincidences that matter
(approver is the actor, recipient is the consented one, actor works for the
custodian) happen often, and several consents (some withdrawn) at once, which
the exhaustive checker's space does not combine.
"""

from __future__ import annotations

import ast
import inspect
import itertools
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from safereport.core.policy import (
    Actor,
    Consent,
    DisclosureRequest,
    Override,
    Recipient,
    decide,
    decide_many,
    invariants,
    policy_text,
)
from safereport.core.policy.check import Value, symmetry_classes
from safereport.core.policy.invariants import INVARIANTS, SINGLED_OUT, expected_allowed, violated
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section

STAFF = ["staff-1", "staff-2", "staff-3"]
ORGS = ["org-a", "org-b", "org-c"]

sections_st = st.frozensets(st.sampled_from(list(Section)))

consent_st = st.builds(
    Consent,
    recipient_organisation_id=st.sampled_from(ORGS),
    purpose=st.sampled_from(list(Purpose)),
    sections=sections_st,
    withdrawn=st.booleans(),
)

override_st = st.none() | st.builds(
    Override,
    reason=st.sampled_from(["", "  ", "Risk to life", "\tRisk\n"]),
    approver_staff_id=st.sampled_from(STAFF),
    approver_organisation_id=st.sampled_from(ORGS),
)

request_st = st.builds(
    DisclosureRequest,
    actor=st.builds(
        Actor,
        staff_id=st.sampled_from(STAFF),
        organisation_id=st.sampled_from(ORGS),
        role=st.sampled_from(list(Role)),
    ),
    custodian_organisation_id=st.sampled_from(ORGS),
    recipient=st.builds(
        Recipient,
        organisation_id=st.sampled_from(ORGS),
        kind=st.sampled_from(list(OrgKind)),
    ),
    purpose=st.sampled_from(list(Purpose)),
    sections=sections_st,
    consents=st.lists(consent_st, max_size=4).map(tuple),
    override=override_st,
)


@settings(max_examples=250, deadline=None)
@given(request_st)
def test_every_decision_keeps_every_invariant(request: DisclosureRequest) -> None:
    decision = decide(request)
    broken = [inv.key for inv in violated(request, decision.allowed)]
    assert broken == [], (broken, decision)


@settings(max_examples=250, deadline=None)
@given(request_st)
def test_the_policy_allows_exactly_what_the_design_allows(request: DisclosureRequest) -> None:
    decision = decide(request)
    assert decision.allowed == expected_allowed(request), decision


@settings(max_examples=200, deadline=None)
@given(request_st)
def test_every_refusal_names_its_rules_and_explains_them(request: DisclosureRequest) -> None:
    decision = decide(request)
    assert decision.rule_ids
    assert decision.errors == ()
    if decision.allowed:
        assert all(r.startswith("permit-") for r in decision.rule_ids)
        assert decision.refusals == ()
    else:
        assert [r.rule_id for r in decision.refusals] == list(decision.rule_ids)
        assert all(len(r.explanation) > 20 for r in decision.refusals)


@settings(max_examples=100, deadline=None)
@given(st.lists(request_st, min_size=1, max_size=20))
def test_batch_and_single_decisions_agree(requests: list[DisclosureRequest]) -> None:
    assert decide_many(requests) == [decide(r) for r in requests]


@settings(max_examples=150, deadline=None)
@given(request_st, st.permutations([s for s in Section if s != Section.IMMIGRATION]))
def test_renaming_sections_the_policy_never_names_changes_nothing(
    request: DisclosureRequest, order: list[Section]
) -> None:
    """The symmetry the exhaustive checker relies on, observed on the real policy."""
    unnamed = [s for s in Section if s != Section.IMMIGRATION]
    rename = dict(zip(unnamed, order, strict=True))

    def moved(sections: frozenset[Section]) -> frozenset[Section]:
        return frozenset(rename.get(s, s) for s in sections)

    renamed = replace(
        request,
        sections=moved(request.sections),
        consents=tuple(replace(c, sections=moved(c.sections)) for c in request.consents),
    )
    assert decide(renamed) == decide(request)


def swapped(request: DisclosureRequest, a: Value, b: Value) -> DisclosureRequest:
    """The request with two values of one sort swapped everywhere they occur."""

    def sw[V: (Section, Role, OrgKind, Purpose)](value: V) -> V:
        if value is a:
            return b  # type: ignore[return-value]
        if value is b:
            return a  # type: ignore[return-value]
        return value

    def sections(values: frozenset[Section]) -> frozenset[Section]:
        return frozenset(sw(v) for v in values)

    return replace(
        request,
        actor=replace(request.actor, role=sw(request.actor.role)),
        recipient=replace(request.recipient, kind=sw(request.recipient.kind)),
        purpose=sw(request.purpose),
        sections=sections(request.sections),
        consents=tuple(
            replace(c, purpose=sw(c.purpose), sections=sections(c.sections))
            for c in request.consents
        ),
    )


def pairs_within(groups: list[tuple[Value, ...]]) -> list[tuple[Value, Value]]:
    return [pair for group in groups for pair in itertools.combinations(group, 2)]


PUBLISHED_CLASSES = symmetry_classes(policy_text())
POLICY_PAIRS = pairs_within(
    [
        *PUBLISHED_CLASSES.sections,
        *PUBLISHED_CLASSES.roles,
        *PUBLISHED_CLASSES.kinds,
        *PUBLISHED_CLASSES.purposes,
    ]
)


def test_the_published_classes_have_pairs_of_every_sort() -> None:
    sorts = {type(a) for a, _ in POLICY_PAIRS}
    assert sorts == {Section, Role, OrgKind, Purpose}


@settings(max_examples=300, deadline=None)
@given(request_st, st.sampled_from(POLICY_PAIRS))
def test_a_swap_the_checker_relies_on_changes_no_decision(
    request: DisclosureRequest, pair: tuple[Value, Value]
) -> None:
    """Every swap within a class of the published policy, observed on Cedar."""
    assert decide(swapped(request, *pair)) == decide(request)


def _signature(value: Value) -> frozenset[frozenset[Value]]:
    return frozenset(group for group in SINGLED_OUT if value in group)


INVARIANT_PAIRS = [
    (a, b)
    for values in (list(Section), list(Role), list(OrgKind), list(Purpose))
    for a, b in itertools.combinations(values, 2)
    if _signature(a) == _signature(b)
]


@settings(max_examples=300, deadline=None)
@given(request_st, st.sampled_from(INVARIANT_PAIRS))
def test_the_invariants_treat_values_of_one_signature_alike(
    request: DisclosureRequest, pair: tuple[Value, Value]
) -> None:
    """What SINGLED_OUT declares: a swap between values in the same sets changes
    no invariant's verdict and not what the design allows."""
    other = swapped(request, *pair)
    assert [inv.key for inv in violated(other, True)] == [
        inv.key for inv in violated(request, True)
    ]
    assert expected_allowed(other) == expected_allowed(request)


def test_the_invariants_name_no_value_outside_singled_out() -> None:
    tree = ast.parse(inspect.getsource(invariants))
    enums = {"Section": Section, "Role": Role, "OrgKind": OrgKind, "Purpose": Purpose}
    named = {
        enums[node.value.id][node.attr]
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in enums
    }
    assert named and named <= frozenset().union(*SINGLED_OUT)


def test_the_invariants_are_the_statements_of_the_design() -> None:
    keys = [inv.key for inv in INVARIANTS]
    # The seven of the design, the transfer of custody's (issue 13, item 3) and
    # coordinated support's (issue 16).
    assert len(keys) == len(set(keys)) == 9
    # Each predicate is really able to fail: an allowed disclosure to the Home
    # Office by a stranger, of the immigration section, under a self-approved
    # override, breaks every one of them.
    worst = DisclosureRequest(
        actor=Actor("staff-1", "org-b", Role.ANALYST),
        custodian_organisation_id="org-a",
        recipient=Recipient("org-c", OrgKind.IMMIGRATION_AUTHORITY),
        purpose=Purpose.IMMIGRATION_ENFORCEMENT,
        sections=frozenset({Section.IMMIGRATION}),
        override=Override("", "staff-1", "org-b"),
    )
    transfer_key = "inv8-transfer-to-support-only"
    coordination_key = "inv9-coordination"
    assert [inv.key for inv in violated(worst, allowed=True)] == [
        k for k in keys if k not in (transfer_key, coordination_key)
    ]
    assert violated(worst, allowed=False) == []
    # ...and the same, moved to the Home Office as a transfer of custody, breaks
    # the transfer invariant too.
    moved = replace(worst, purpose=Purpose.TRANSFER)
    assert transfer_key in [inv.key for inv in violated(moved, allowed=True)]
    assert violated(moved, allowed=False) == []
    # ...and as coordinated support (a match shared with the Home Office), the
    # coordination invariant.
    matched = replace(worst, purpose=Purpose.COORDINATED_SUPPORT)
    assert coordination_key in [inv.key for inv in violated(matched, allowed=True)]
    assert violated(matched, allowed=False) == []


ids_st = st.text(min_size=1, max_size=12).filter(lambda s: "|" not in s)


@settings(max_examples=150, deadline=None)
@given(request_st, st.lists(ids_st, min_size=6, max_size=6, unique=True))
def test_any_ids_whatever_their_characters_decide_the_same(
    request: DisclosureRequest, names: list[str]
) -> None:
    """Ids with quotes, newlines, braces or any Unicode cannot change a decision:
    renaming every staff and organisation id one-to-one decides the same."""
    rename = dict(zip(STAFF + ORGS, names, strict=True))
    o = request.override
    renamed = replace(
        request,
        actor=replace(
            request.actor,
            staff_id=rename[request.actor.staff_id],
            organisation_id=rename[request.actor.organisation_id],
        ),
        custodian_organisation_id=rename[request.custodian_organisation_id],
        recipient=replace(
            request.recipient, organisation_id=rename[request.recipient.organisation_id]
        ),
        consents=tuple(
            replace(c, recipient_organisation_id=rename[c.recipient_organisation_id])
            for c in request.consents
        ),
        override=None
        if o is None
        else replace(
            o,
            approver_staff_id=rename[o.approver_staff_id],
            approver_organisation_id=rename[o.approver_organisation_id],
        ),
    )
    assert decide(renamed) == decide(request)
