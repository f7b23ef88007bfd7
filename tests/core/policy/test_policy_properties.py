"""The invariants as property tests over arbitrary disclosure requests.

Hypothesis draws ids from small pools so that the coincidences that matter
(approver is the actor, recipient is the consented one, actor works for the
custodian) happen often, and several consents (some withdrawn) at once, which
the exhaustive checker's space does not combine.
"""

from __future__ import annotations

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
)
from safereport.core.policy.invariants import INVARIANTS, expected_allowed, violated
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


UNNAMED_ROLES = [Role.POLICE_LIAISON, Role.SERVICE_STAFF, Role.ANALYST]
UNNAMED_KINDS = [OrgKind.SUPPORT_ORG, OrgKind.LABOUR_RIGHTS, OrgKind.OVERSIGHT]


@settings(max_examples=150, deadline=None)
@given(request_st, st.permutations(UNNAMED_ROLES), st.permutations(UNNAMED_KINDS))
def test_renaming_roles_and_kinds_the_policy_never_names_changes_nothing(
    request: DisclosureRequest, roles: list[Role], kinds: list[OrgKind]
) -> None:
    """The role and kind symmetry the exhaustive checker relies on."""
    role_map = dict(zip(UNNAMED_ROLES, roles, strict=True))
    kind_map = dict(zip(UNNAMED_KINDS, kinds, strict=True))
    renamed = replace(
        request,
        actor=replace(request.actor, role=role_map.get(request.actor.role, request.actor.role)),
        recipient=replace(
            request.recipient, kind=kind_map.get(request.recipient.kind, request.recipient.kind)
        ),
    )
    assert decide(renamed) == decide(request)


def test_the_invariants_are_the_seven_statements_of_the_design() -> None:
    keys = [inv.key for inv in INVARIANTS]
    assert len(keys) == len(set(keys)) == 7
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
    assert [inv.key for inv in violated(worst, allowed=True)] == keys
    assert violated(worst, allowed=False) == []


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
