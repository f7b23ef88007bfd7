"""The exhaustive firewall checker.

The decision space is

    recipient kind (7) x purpose (7) x sections asked for (all 128 subsets,
    the empty one included) x consent on record (7 states) x override (5
    states) x actor inside / outside the custodian (2) x actor role (5)

= 2,195,200 disclosures. Each is asked of the policy through the same
translation ``decide`` uses, and each answer is held against the invariants
restated independently in :mod:`safereport.core.policy.invariants`.

The empty section set is included on purpose: a disclosure of nothing must be
refused too (rule ``nothing-requested``).

How the check stays exhaustive and fast (``full=False``, the default)
--------------------------------------------------------------------
Asking Cedar 1.5 million times takes minutes, so by default the checker asks
once per *symmetry class*, and the argument for why that still covers every
decision is this.

Let sigma swap two values of one sort (two sections, two roles, two recipient
kinds or two purposes) everywhere in a request: in ``sections``, in every
grant string, in ``actor_role``, ``recipient_kind`` or ``purpose``. Call the
swap *verified* for a policy when

1. both values occur in the policy only as whole string literals (not inside
   a longer string, a ``like`` pattern, an attribute name or an entity id;
   annotations excluded, they decide nothing), and, for roles, kinds and
   purposes, the policy does not read strings character by character
   (``like``, extension functions; sections need no such condition, since
   they only ever occur inside sets, whose elements Cedar cannot take out);
2. swapping them in every string literal of the policy gives back the same
   policy, once the elements of each set literal are put in one order (set
   literals have no order);
3. the invariants single out both through exactly the same sets
   (``invariants.SINGLED_OUT``), so they give both the same verdicts;
4. neither value occurs in any fixed id or reason of the space, nor inside a
   value of another sort (``_assert_collapsed_values_appear_nowhere_else``), so
   sigma renames nothing else; and for purposes, both have the same "other
   purpose" (the one a consent for another purpose names), outside the pair.

Cedar can only observe a string by comparing it whole (``==``, ``!=``,
membership, ``containsAll``/``containsAny``) unless it reads its characters
with ``like`` or an extension function; it cannot iterate, index or order a
set. So for every request R, the answer of policy P to sigma(R) equals the
answer of sigma(P) (P with its literals swapped) to R; by (2) sigma(P) is P, so
P answers sigma(R) as it answers R, and by (3) the invariants judge both alike.
By (4) sigma maps the cases of the space onto cases of the space. Swaps compose,
so values joined by a chain of verified swaps form a *class*, and any
permutation within classes preserves every answer and verdict. Values the
policy never mentions pass (1) and (2) trivially; two values it mentions only
side by side in a set literal, such as ``["caseworker", "org_admin"]``, pass
them too.

Hence every case is equivalent to one whose role, kind and purpose are the
first of their class, and whose sections are, for each class of sections, the
first k members of that class (k: how many of that class it asks for); the
"consent missing a section" state leaves out the last section asked for, so it
is tried with the last member of each class taken as the one missing. For the
published policy the classes are: sections {immigration} and the six others;
roles {caseworker, org_admin} and the three others; kinds
{support_org, labour_rights} and each other kind alone (the transfer rule
names specialist_service without police_force, which used to stand together);
purposes {crime_investigation, safeguarding} and each other purpose alone.
14 section sets stand for 128, 2 roles for 5, 6 kinds for 7 and 6 purposes
for 7: 74,880 cases for 2,195,200 decisions.

Refused outright. Two forbids of the policy refuse whole actors, whatever else a
request says: ``forbid (principal, action, resource) when { context.actor_org
!= context.custodian_org }`` every actor of another organisation, and ``...
unless { ["caseworker", "org_admin"].contains(context.actor_role) }`` every
other role. Cedar denies a request when any forbid is satisfied, and neither
condition can fail to evaluate (the schema requires both strings), so the
cases with such an actor are refused without asking; ``refused_outright``
reads exactly this shape off the policy's nodes (any scope, a second clause
or another operator proves nothing, and the cases are evaluated), and a case
is skipped only when the design refuses its actor too
(``invariants.is_custodian_discloser``), so a stricter policy is still
evaluated and noted. For the published policy this leaves inside actors of
the disclosing roles: 18,720 evaluations; 56,160 cases are refused outright.

The argument depends on the policy text, so the classes are recomputed for
every policy checked (a weakened or local copy that tells more values apart
simply gets smaller classes), and every value is its own class if the text
cannot be read as nodes. Every evaluated case carries a weight, the number of
decisions of the full space it stands for; the weights must add up to
2,195,200 or the check fails, and the weighted count of allowed decisions is
printed, so it can be compared with a ``full=True`` run, which skips the
argument and asks Cedar about all 2,195,200 decisions one by one (minutes;
``--workers`` helps). On the published policy both report 15,016 allowed. The
tests run both modes over a smaller vocabulary (a sub-space small enough to
evaluate whole) on the published policy and on weakened copies and compare
every count, and check by property tests that each verified swap changes no
decision of Cedar and no verdict of the invariants.

Speed: Cedar is asked in batches (``is_authorized_batch``), and each request's
context is joined from four JSON parts made by ``firewall``'s own translation
functions, each computed once per distinct input rather than once per request.
The invariants are consulted only for the allowed decisions (a refusal keeps
every invariant); ``expected_allowed`` for every one.

``run_check`` prints what was checked and any counterexample in plain words,
and returns 0 when every invariant holds, 1 on a violation, 2 when the policy
text does not even load. The management command ``safereport firewall check``
calls it.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import itertools
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TextIO

import cedarpy
from cedarpy import pst

from safereport.core.policy.firewall import (
    ACTION,
    Actor,
    CompiledPolicy,
    Consent,
    Decision,
    DisclosureRequest,
    Override,
    PolicyInvalid,
    Recipient,
    actor_context,
    ask_cedar,
    cedar_principal,
    cedar_resource,
    consents_context,
    is_allowed,
    join_context,
    load_policy,
    override_context,
    recipient_context,
    to_decision,
)
from safereport.core.policy.invariants import (
    INVARIANTS,
    SINGLED_OUT,
    expected_allowed,
    is_custodian_discloser,
)
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section

CUSTODIAN = "org-custodian"
ACTOR_ELSEWHERE = "org-actor-elsewhere"
RECIPIENT = "org-recipient"
OTHER_RECIPIENT = "org-other-recipient"
APPROVER_ELSEWHERE = "org-approver-elsewhere"
ACTOR_ID = "staff-actor"
SECOND_APPROVER_ID = "staff-second"
FOREIGN_APPROVER_ID = "staff-foreign"
REPORT_ID = "report"
# No fixed string below may contain a section, role, kind or purpose that the
# check lets another value stand for (see _assert_collapsed_values_appear_nowhere_else).
REASON = "Risk to life: threats to kill tonight."


class ConsentState(StrEnum):
    NONE = "no consent on record"
    COVERS_EXACTLY = "a live consent naming this recipient, purpose and exactly these sections"
    COVERS_MORE = "a live consent naming this recipient and purpose and every section"
    WITHDRAWN = "a consent that covered it but was withdrawn"
    OTHER_RECIPIENT = "a live consent for these sections and purpose, but another recipient"
    OTHER_PURPOSE = "a live consent for this recipient and sections, but another purpose"
    SOME_SECTIONS = "a live consent for this recipient and purpose missing one section asked for"


class OverrideState(StrEnum):
    NONE = "no safeguarding override"
    VALID = "a safeguarding override with a written reason, approved by a second staff member"
    SELF_APPROVED = "a safeguarding override approved by the person disclosing"
    NO_REASON = "a safeguarding override with no written reason"
    APPROVER_ELSEWHERE = "a safeguarding override approved by staff of another organisation"


ALL_SECTIONS: tuple[Section, ...] = tuple(Section)


def section_subsets(sections: Sequence[Section]) -> tuple[frozenset[Section], ...]:
    """Every subset of ``sections``, the empty one included, smallest first."""
    return tuple(
        frozenset(combo)
        for size in range(len(sections) + 1)
        for combo in itertools.combinations(sections, size)
    )


SECTION_SUBSETS: tuple[frozenset[Section], ...] = section_subsets(ALL_SECTIONS)


@dataclass(frozen=True)
class Vocabulary:
    """The values the space is made of: everything by default; tests use fewer
    so that a whole space is small enough to evaluate one decision at a time."""

    sections: tuple[Section, ...] = ALL_SECTIONS
    roles: tuple[Role, ...] = tuple(Role)
    kinds: tuple[OrgKind, ...] = tuple(OrgKind)
    purposes: tuple[Purpose, ...] = tuple(Purpose)
    consents: tuple[ConsentState, ...] = tuple(ConsentState)
    overrides: tuple[OverrideState, ...] = tuple(OverrideState)

    def size(self) -> int:
        """How many decisions the space over this vocabulary holds."""
        return (
            len(self.kinds)
            * len(self.purposes)
            * (1 << len(self.sections))
            * len(self.consents)
            * len(self.overrides)
            * 2
            * len(self.roles)
        )


EVERYTHING = Vocabulary()


@dataclass(frozen=True, slots=True)
class Case:
    """One point of the decision space.

    ``missing`` is the section a SOME_SECTIONS consent leaves out (in the full
    space, the last requested section in ``Section`` order); ``None`` otherwise.
    """

    recipient_kind: OrgKind
    purpose: Purpose
    sections: frozenset[Section]
    consent: ConsentState
    override: OverrideState
    actor_in_custodian: bool
    role: Role
    missing: Section | None = None
    # How many decisions of the full space this case stands for.
    weight: int = 1


def other_purpose(purpose: Purpose) -> Purpose:
    """The purpose an OTHER_PURPOSE consent names instead of the one asked for."""
    if purpose == Purpose.SUPPORT_REFERRAL:
        return Purpose.CRIME_INVESTIGATION
    return Purpose.SUPPORT_REFERRAL


@functools.cache
def _consents(
    consent: ConsentState,
    purpose: Purpose,
    s: frozenset[Section],
    missing: Section | None,
    every: frozenset[Section] = frozenset(ALL_SECTIONS),
) -> tuple[Consent, ...]:
    match consent:
        case ConsentState.NONE:
            return ()
        case ConsentState.COVERS_EXACTLY:
            return (Consent(RECIPIENT, purpose, s),)
        case ConsentState.COVERS_MORE:
            return (Consent(RECIPIENT, purpose, every),)
        case ConsentState.WITHDRAWN:
            return (Consent(RECIPIENT, purpose, s, withdrawn=True),)
        case ConsentState.OTHER_RECIPIENT:
            return (Consent(OTHER_RECIPIENT, purpose, s),)
        case ConsentState.OTHER_PURPOSE:
            return (Consent(RECIPIENT, other_purpose(purpose), s),)
        case ConsentState.SOME_SECTIONS:
            # Every section except one that was asked for (so it also names
            # sections that were not asked for).
            left_out = {missing} if missing is not None else set()
            return (Consent(RECIPIENT, purpose, every - left_out),)


@functools.cache
def _override(override: OverrideState) -> Override | None:
    match override:
        case OverrideState.NONE:
            return None
        case OverrideState.VALID:
            return Override(REASON, SECOND_APPROVER_ID, CUSTODIAN)
        case OverrideState.SELF_APPROVED:
            return Override(REASON, ACTOR_ID, CUSTODIAN)
        case OverrideState.NO_REASON:
            return Override("   ", SECOND_APPROVER_ID, CUSTODIAN)
        case OverrideState.APPROVER_ELSEWHERE:
            return Override(REASON, FOREIGN_APPROVER_ID, APPROVER_ELSEWHERE)


@functools.cache
def _actor(inside: bool, role: Role) -> Actor:
    return Actor(ACTOR_ID, CUSTODIAN if inside else ACTOR_ELSEWHERE, role)


@functools.cache
def _recipient(kind: OrgKind) -> Recipient:
    return Recipient(RECIPIENT, kind)


def build_request(
    case: Case, every: frozenset[Section] = frozenset(ALL_SECTIONS)
) -> DisclosureRequest:
    """The plain disclosure request a case stands for (``every``: the space's sections)."""
    return DisclosureRequest(
        actor=_actor(case.actor_in_custodian, case.role),
        custodian_organisation_id=CUSTODIAN,
        recipient=_recipient(case.recipient_kind),
        purpose=case.purpose,
        sections=case.sections,
        consents=_consents(case.consent, case.purpose, case.sections, case.missing, every),
        override=_override(case.override),
        report_id=REPORT_ID,
    )


class Translator:
    """Cedar requests for cases, as ``cedar_request(build_request(case))`` makes
    them, from context parts computed once per distinct input."""

    def __init__(self, every: frozenset[Section] = frozenset(ALL_SECTIONS)) -> None:
        self.every = every
        self.principal = cedar_principal(ACTOR_ID)
        self.resource = cedar_resource(REPORT_ID)
        self._actor = functools.cache(
            lambda inside, role: actor_context(_actor(inside, role), CUSTODIAN)
        )
        self._recipient = functools.cache(
            lambda kind, purpose, sections: recipient_context(_recipient(kind), purpose, sections)
        )
        self._consents = functools.cache(
            lambda consent, purpose, sections, missing: consents_context(
                _consents(consent, purpose, sections, missing, every)
            )
        )
        self._override = functools.cache(lambda override: override_context(_override(override)))

    def cedar(self, case: Case) -> dict[str, Any]:
        context = join_context(
            (
                self._actor(case.actor_in_custodian, case.role),
                self._recipient(case.recipient_kind, case.purpose, case.sections),
                self._consents(case.consent, case.purpose, case.sections, case.missing),
                self._override(case.override),
            )
        )
        return {
            "principal": self.principal,
            "action": ACTION,
            "resource": self.resource,
            "context": context,
        }


# ------------------------------------------------------------- the space --


@dataclass(frozen=True, slots=True)
class SectionChoice:
    """A section set to ask for, and the sections a partial consent may leave out.

    ``weight`` is how many section sets of the full space this one stands for;
    ``missing_weights[i]`` how many of those leave out ``missing_options[i]``
    under the "consent missing a section" state.
    """

    sections: frozenset[Section]
    missing_options: tuple[Section | None, ...]
    weight: int = 1
    missing_weights: tuple[int, ...] = (1,)


def _last(sections: Iterable[Section]) -> Section | None:
    ordered = [s for s in ALL_SECTIONS if s in sections]
    return ordered[-1] if ordered else None


def full_section_choices(sections: Sequence[Section] = ALL_SECTIONS) -> tuple[SectionChoice, ...]:
    """Every section set, each with the full space's one partial consent."""
    return tuple(SectionChoice(s, (_last(s),)) for s in section_subsets(sections))


# Operators that read a scalar string's characters (rather than compare it
# whole): with any of them in a policy, roles, kinds and purposes could be told
# apart by their spelling, so none of them stands for another.
_CHARACTER_READING_OPS = frozenset(
    {"datetime", "decimal", "duration", "ip", "is_ipv4", "is_ipv6", "is_loopback"}
    | {"is_multicast", "is_in_range", "offset", "duration_since", "to_date", "to_time"}
)


@dataclass
class _PolicyStrings:
    literals: set[str] = field(default_factory=set)  # string literal values
    others: set[str] = field(default_factory=set)  # attribute names, ids, patterns, ...
    reads_characters: bool = False


def _strings_in(node: object, found: _PolicyStrings) -> None:
    if isinstance(node, pst.StringLit):
        found.literals.add(node.value)
    elif isinstance(node, str):
        found.others.add(node)
    elif isinstance(node, pst.Like):
        found.reads_characters = True
        _strings_in(node.base, found)
        found.others.add(
            "".join(e.value if isinstance(e, pst.Char) else "\0" for e in node.pattern)
        )
    elif isinstance(node, pst.Template):
        # Annotations (@id and the like) have no effect on a decision.
        for f in dataclasses.fields(node):
            if f.name != "annotations":
                _strings_in(getattr(node, f.name), found)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        if isinstance(node, (pst.UnaryOp, pst.BinaryOp)) and node.op in _CHARACTER_READING_OPS:
            found.reads_characters = True
        for f in dataclasses.fields(node):
            _strings_in(getattr(node, f.name), found)
    elif isinstance(node, Mapping):
        for key, value in node.items():
            _strings_in(key, found)
            _strings_in(value, found)
    elif isinstance(node, (tuple, list, frozenset, set)):
        for item in node:
            _strings_in(item, found)


def _renamed(node: Any, swap: Mapping[str, str]) -> Any:
    """The node with every string literal renamed by ``swap``, every set literal's
    elements in one order and annotations dropped (a canonical form to compare)."""
    if isinstance(node, pst.StringLit):
        return pst.StringLit(swap.get(node.value, node.value))
    if isinstance(node, pst.Set):
        return pst.Set(tuple(sorted((_renamed(e, swap) for e in node.elements), key=repr)))
    if isinstance(node, pst.Template):
        fields = {f.name: _renamed(getattr(node, f.name), swap) for f in dataclasses.fields(node)}
        return dataclasses.replace(node, **(fields | {"annotations": {}}))
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        fields = {f.name: _renamed(getattr(node, f.name), swap) for f in dataclasses.fields(node)}
        return dataclasses.replace(node, **fields)
    if isinstance(node, Mapping):
        return {key: _renamed(value, swap) for key, value in node.items()}
    if isinstance(node, tuple):
        return tuple(_renamed(item, swap) for item in node)
    return node


type Value = Section | Role | OrgKind | Purpose


@dataclass(frozen=True)
class Classes:
    """Values the check lets one stand for the others, by sort: each tuple is a
    class, in the enums' order; its first value is the one evaluated."""

    sections: tuple[tuple[Section, ...], ...]
    roles: tuple[tuple[Role, ...], ...]
    kinds: tuple[tuple[OrgKind, ...], ...]
    purposes: tuple[tuple[Purpose, ...], ...]

    def collapsed(self) -> list[Value]:
        """Every value that shares its class with another."""
        groups: list[tuple[Value, ...]] = [*self.sections, *self.roles, *self.kinds, *self.purposes]
        return [v for group in groups if len(group) > 1 for v in group]


def _singleton_classes(vocabulary: Vocabulary) -> Classes:
    return Classes(
        tuple((s,) for s in vocabulary.sections),
        tuple((r,) for r in vocabulary.roles),
        tuple((k,) for k in vocabulary.kinds),
        tuple((p,) for p in vocabulary.purposes),
    )


def _join[V: (Section, Role, OrgKind, Purpose)](
    values: Sequence[V], may_swap: Callable[[V, V], bool]
) -> tuple[tuple[V, ...], ...]:
    """The classes of values joined by chains of verified swaps."""
    classes: list[list[V]] = []
    for value in values:
        joined = [c for c in classes if any(may_swap(value, other) for other in c)]
        merged = [v for c in joined for v in c] + [value]
        classes = [c for c in classes if c not in joined] + [merged]
    order = {v: i for i, v in enumerate(values)}
    return tuple(
        sorted(
            (tuple(sorted(c, key=order.__getitem__)) for c in classes), key=lambda c: order[c[0]]
        )
    )


def symmetry_classes(policy_text: str, vocabulary: Vocabulary = EVERYTHING) -> Classes:
    """The classes of interchangeable values for a policy (see the module docs)."""
    try:
        nodes = cedarpy.policies_to_pst(policy_text)
    except ValueError:
        return _singleton_classes(vocabulary)
    found = _PolicyStrings()
    _strings_in(nodes, found)
    canonical = _renamed(nodes, {})

    def only_whole(value: str) -> bool:
        return not any(value in text for text in found.others) and not any(
            value in text and value != text for text in found.literals
        )

    def may_swap(a: Value, b: Value) -> bool:
        if not (only_whole(a.value) and only_whole(b.value)):
            return False
        if {g for g in SINGLED_OUT if a in g} != {g for g in SINGLED_OUT if b in g}:
            return False
        mentioned = a.value in found.literals or b.value in found.literals
        swap = {a.value: b.value, b.value: a.value}
        return not mentioned or _renamed(nodes, swap) == canonical

    def may_swap_scalar(a: Value, b: Value) -> bool:
        return not found.reads_characters and may_swap(a, b)

    def may_swap_purposes(a: Purpose, b: Purpose) -> bool:
        other = other_purpose(a)
        return other == other_purpose(b) and other not in (a, b) and may_swap_scalar(a, b)

    return Classes(
        _join(vocabulary.sections, may_swap),
        _join(vocabulary.roles, may_swap_scalar),
        _join(vocabulary.kinds, may_swap_scalar),
        _join(vocabulary.purposes, may_swap_purposes),
    )


def representatives[V: (Role, OrgKind, Purpose)](classes: Iterable[tuple[V, ...]]) -> dict[V, int]:
    """The first value of each class, standing for the whole class (its weight)."""
    return {group[0]: len(group) for group in classes}


def symmetric_section_choices(classes: Sequence[tuple[Section, ...]]) -> tuple[SectionChoice, ...]:
    """One representative per symmetry class of section sets (see module docs):
    for each class, its first k members; the partial consent leaves out the
    last member taken from the class that holds the last section asked for."""
    every = [s for group in classes for s in group]
    subsets = section_subsets(every)
    choices = []
    for counts in itertools.product(*(range(len(group) + 1) for group in classes)):
        sections = frozenset(s for group, k in zip(classes, counts, strict=True) for s in group[:k])
        members = [
            s
            for s in subsets
            if all(len(s & frozenset(g)) == k for g, k in zip(classes, counts, strict=True))
        ]
        options: list[Section | None] = []
        weights: list[int] = []
        for group, k in zip(classes, counts, strict=True):
            if k:
                options.append(group[k - 1])
                weights.append(sum(1 for s in members if _last(s) in group))
        choices.append(
            SectionChoice(sections, tuple(options) or (None,), len(members), tuple(weights) or (1,))
        )
    return tuple(choices)


def _fixed_ids() -> list[str]:
    values = [CUSTODIAN, ACTOR_ELSEWHERE, RECIPIENT, OTHER_RECIPIENT, APPROVER_ELSEWHERE]
    return [
        *values,
        ACTOR_ID,
        SECOND_APPROVER_ID,
        FOREIGN_APPROVER_ID,
        REPORT_ID,
        REASON,
        "active",
        "withdrawn",
    ]


def _assert_collapsed_values_appear_nowhere_else(classes: Classes) -> None:
    """The symmetry argument needs each value that stands for others, or is stood
    for, to occur only in its own place.

    No id, reason or value of another sort may contain it, or renaming it could
    be observed through that other string.
    """
    domains: list[list[str]] = [
        [v.value for v in Section],
        [v.value for v in Role],
        [v.value for v in OrgKind],
        [v.value for v in Purpose],
    ]
    for value in classes.collapsed():
        own = next(d for d in domains if value.value in d)
        others = _fixed_ids() + [v for d in domains if d is not own for v in d]
        others += [v for v in own if v != value.value]
        clash = [o for o in others if value.value in o]
        if clash:
            raise AssertionError(f"{value.value!r} also occurs in {clash!r}")


@dataclass(frozen=True)
class Outright:
    """Actors the policy refuses whatever else a request says, read off two
    forbids of a fixed shape (see ``refused_outright``): ``outsiders`` when no
    one outside the custodian discloses; ``roles``, when not None, the only
    roles that may disclose at all."""

    outsiders: bool = False
    roles: frozenset[str] | None = None

    def refuses(self, inside: bool, role_class: Iterable[Role]) -> bool:
        if self.outsiders and not inside:
            return True
        return self.roles is not None and all(r.value not in self.roles for r in role_class)


NOTHING_OUTRIGHT = Outright()


def _context_attr(node: object, name: str) -> bool:
    return (
        isinstance(node, pst.GetAttr)
        and node.attr == name
        and isinstance(node.base, pst.Var)
        and node.base.name == "context"
    )


def refused_outright(policy_text: str) -> Outright:
    """What the policy refuses outright, proven from its text.

    A forbid whose scope is unconstrained (``forbid (principal, action,
    resource)``) and whose only clause is

    * ``when { context.actor_org != context.custodian_org }`` is satisfied by
      every request whose actor works elsewhere: Cedar denies each of them
      whatever any permit says (a forbid overrides), and the condition cannot
      fail to evaluate, since the schema requires both strings;
    * ``unless { [<role>, ...].contains(context.actor_role) }`` likewise denies
      every request by a role outside that set literal.

    Any other shape (a scope, a second clause, another operator) proves
    nothing here, and the cases stay evaluated by Cedar. The design refuses
    those actors too (``invariants.is_custodian_discloser``), which the checker
    confirms for each group it does not evaluate.
    """
    try:
        nodes = cedarpy.policies_to_pst(policy_text)
    except ValueError:  # unreadable as nodes: nothing is proven
        return NOTHING_OUTRIGHT
    if nodes.templates or nodes.template_links:
        return NOTHING_OUTRIGHT
    outsiders = False
    roles: frozenset[str] | None = None
    for node in nodes.static_policies.values():
        if node.effect != "forbid" or len(node.clauses) != 1:
            continue
        if not all(
            isinstance(s, pst.ScopeAny) for s in (node.principal, node.action, node.resource)
        ):
            continue
        clause, expr = node.clauses[0], node.clauses[0].expr
        if (
            isinstance(clause, pst.When)
            and isinstance(expr, pst.BinaryOp)
            and expr.op == "not_eq"
            and {_context_attr(expr.left, "actor_org"), _context_attr(expr.right, "actor_org")}
            == {True, False}
            and (
                _context_attr(expr.left, "custodian_org")
                or _context_attr(expr.right, "custodian_org")
            )
        ):
            outsiders = True
        elif (
            isinstance(clause, pst.Unless)
            and isinstance(expr, pst.BinaryOp)
            and expr.op == "contains"
            and isinstance(expr.left, pst.Set)
            and _context_attr(expr.right, "actor_role")
        ):
            literals = [e for e in expr.left.elements if isinstance(e, pst.StringLit)]
            if len(literals) != len(expr.left.elements):
                continue  # a set that is not only strings: nothing proven
            named = frozenset(e.value for e in literals)
            roles = named if roles is None else roles & named
    return Outright(outsiders, roles)


@dataclass(frozen=True)
class Space:
    """The part of the decision space the checker asks Cedar about."""

    vocabulary: Vocabulary
    # Each value asked about, with how many values of the full space it stands for.
    kinds: Mapping[OrgKind, int]
    purposes: Mapping[Purpose, int]
    roles: Mapping[Role, int]
    choices: tuple[SectionChoice, ...]
    classes: Classes
    # Cases the policy refuses outright (counted, not evaluated); nothing in
    # the full space.
    outright: Outright = NOTHING_OUTRIGHT


def full_space(vocabulary: Vocabulary = EVERYTHING) -> Space:
    """Every decision over the vocabulary, each evaluated on its own."""
    return Space(
        vocabulary,
        dict.fromkeys(vocabulary.kinds, 1),
        dict.fromkeys(vocabulary.purposes, 1),
        dict.fromkeys(vocabulary.roles, 1),
        full_section_choices(vocabulary.sections),
        _singleton_classes(vocabulary),
    )


FULL_SPACE = full_space()


def reduced_space(policy_text: str, vocabulary: Vocabulary = EVERYTHING) -> Space:
    """One representative per symmetry class (see the module docs)."""
    classes = symmetry_classes(policy_text, vocabulary)
    _assert_collapsed_values_appear_nowhere_else(classes)
    return Space(
        vocabulary,
        representatives(classes.kinds),
        representatives(classes.purposes),
        representatives(classes.roles),
        symmetric_section_choices(classes.sections),
        classes,
        refused_outright(policy_text),
    )


def cases_for(
    recipient_kind: OrgKind,
    purpose: Purpose,
    choices: Sequence[SectionChoice] | None = None,
    roles: Sequence[Role] | Mapping[Role, int] = tuple(Role),
    weight: int = 1,
    vocabulary: Vocabulary = EVERYTHING,
) -> Iterator[Case]:
    """Every case with this recipient kind and purpose (the full space by default).

    ``roles`` may map each role to its weight; a case's weight is how many
    decisions of the full space it stands for (``weight``: what the kind and
    purpose stand for). The consent and override states are the vocabulary's.
    """
    role_weights = roles if isinstance(roles, Mapping) else dict.fromkeys(roles, 1)
    for choice in choices if choices is not None else full_section_choices():
        for consent, override, inside, (role, role_weight) in itertools.product(
            vocabulary.consents, vocabulary.overrides, (True, False), role_weights.items()
        ):
            if consent == ConsentState.SOME_SECTIONS:
                missing = zip(choice.missing_options, choice.missing_weights, strict=True)
            else:
                missing = zip((None,), (choice.weight,), strict=True)
            for left_out, section_weight in missing:
                yield Case(
                    recipient_kind,
                    purpose,
                    choice.sections,
                    consent,
                    override,
                    inside,
                    role,
                    left_out,
                    section_weight * role_weight * weight,
                )


def space_size() -> int:
    """How many decisions the full space holds."""
    return EVERYTHING.size()


def describe(case: Case, decision: Decision) -> str:
    """A counterexample in plain words."""
    role = case.role.value.replace("_", " ")
    who = (
        ("an " if role[0] in "aeiou" else "a ")
        + role
        + " "
        + (
            "of the organisation holding the report"
            if case.actor_in_custodian
            else "of another organisation (not the one holding the report)"
        )
    )
    sections = ", ".join(s.value for s in ALL_SECTIONS if s in case.sections) or "no sections"
    consent = case.consent.value
    if case.consent == ConsentState.SOME_SECTIONS and case.missing is not None:
        consent += f" ({case.missing.value})"
    verdict = "ALLOWED" if decision.allowed else "REFUSED"
    return (
        f"{who} discloses [{sections}] to an organisation of kind "
        f"{case.recipient_kind.value}, for the purpose {case.purpose.value}, with "
        f"{consent} and {case.override.value}: the policy {verdict} it "
        f"(rules: {', '.join(decision.rule_ids)})."
    )


# ------------------------------------------------------------- checking --


@dataclass
class Finding:
    """In how many decisions of the space something went wrong, and the first example."""

    count: int = 0
    example: str = ""

    def add(self, text: str, weight: int) -> None:
        if self.count == 0:
            self.example = text
        self.count += weight

    def merge(self, other: Finding) -> None:
        if other.count and not self.count:
            self.example = other.example
        self.count += other.count


@dataclass
class CheckReport:
    """The outcome of a check over (part of) the decision space."""

    evaluated: int = 0
    # Cases not evaluated because the policy refuses them outright (``Outright``).
    outright: int = 0
    allowed: int = 0
    # How many decisions of the full space the evaluated ones stand for, and
    # how many of those are allowed.
    covered: int = 0
    covered_allowed: int = 0
    classes: Classes | None = None
    errors: Finding = field(default_factory=Finding)
    violations: dict[str, Finding] = field(default_factory=dict)
    # Allowed although the design refuses it (a weakened policy).
    unexpected_allow: Finding = field(default_factory=Finding)
    # Refused although the design allows it (a stricter policy; not a violation).
    unexpected_refusal: Finding = field(default_factory=Finding)

    @property
    def ok(self) -> bool:
        return (
            not any(f.count for f in self.violations.values())
            and not self.unexpected_allow.count
            and not self.errors.count
        )

    def merge(self, other: CheckReport) -> None:
        self.evaluated += other.evaluated
        self.outright += other.outright
        self.allowed += other.allowed
        self.covered += other.covered
        self.covered_allowed += other.covered_allowed
        self.errors.merge(other.errors)
        self.unexpected_allow.merge(other.unexpected_allow)
        self.unexpected_refusal.merge(other.unexpected_refusal)
        for key, finding in other.violations.items():
            self.violations.setdefault(key, Finding()).merge(finding)


_BATCH = 2000


@functools.cache
def _refused_by_design(inside: bool, roles: tuple[Role, ...]) -> bool:
    """The design refuses every disclosure by this actor (any of ``roles``)."""
    return not any(
        is_custodian_discloser(
            DisclosureRequest(
                actor=_actor(inside, role),
                custodian_organisation_id=CUSTODIAN,
                recipient=_recipient(OrgKind.SUPPORT_ORG),
                purpose=Purpose.SUPPORT_REFERRAL,
                sections=frozenset({Section.INCIDENT}),
            )
        )
        for role in roles
    )


def check_cases(
    cases: Iterable[Case],
    policy: CompiledPolicy,
    every: frozenset[Section] = frozenset(ALL_SECTIONS),
    outright: Outright = NOTHING_OUTRIGHT,
    role_classes: Mapping[Role, tuple[Role, ...]] | None = None,
) -> CheckReport:
    """Decide every case under ``policy`` and check each decision.

    ``every`` is the set of sections of the space (what "every section" means
    for a consent); all of them unless the space is over a smaller vocabulary.
    Cases whose actor ``outright`` refuses (with the roles each stands for,
    ``role_classes``) are counted as refused without asking Cedar, once the
    design refuses that actor too.
    """
    report = CheckReport()
    translator = Translator(every)
    pending = []
    for case in cases:
        stands_for = (role_classes or {}).get(case.role, (case.role,))
        # Skipped only when the design refuses the actor too; an actor the design
        # lets disclose is evaluated (a stricter policy's refusals are noted).
        if outright.refuses(case.actor_in_custodian, stands_for) and _refused_by_design(
            case.actor_in_custodian, stands_for
        ):
            report.outright += 1
            report.covered += case.weight
        else:
            pending.append(case)
    for start in range(0, len(pending), _BATCH):
        chunk = pending[start : start + _BATCH]
        results = ask_cedar([translator.cedar(c) for c in chunk], policy)
        for case, result in zip(chunk, results, strict=True):
            allowed = is_allowed(result)
            request = build_request(case, every)
            expected = expected_allowed(request)
            report.evaluated += 1
            report.covered += case.weight
            if allowed:
                report.allowed += 1
                report.covered_allowed += case.weight
                for inv in INVARIANTS:
                    if not inv.may_allow(request):
                        finding = report.violations.setdefault(inv.key, Finding())
                        finding.add(describe(case, to_decision(result, policy)), case.weight)
                if not expected:
                    report.unexpected_allow.add(
                        describe(case, to_decision(result, policy)), case.weight
                    )
            elif expected:
                report.unexpected_refusal.add(
                    describe(case, to_decision(result, policy)), case.weight
                )
            if result.diagnostics.errors:
                decision = to_decision(result, policy)
                report.errors.add(
                    f"{describe(case, decision)} Errors: {decision.errors}", case.weight
                )
    return report


def _check_slice(
    args: tuple[str, OrgKind, Purpose, int, Space],
) -> CheckReport:
    text, kind, purpose, weight, space = args
    cases = cases_for(kind, purpose, space.choices, space.roles, weight, space.vocabulary)
    role_classes = {group[0]: group for group in space.classes.roles}
    return check_cases(
        cases,
        load_policy(text),
        frozenset(space.vocabulary.sections),
        space.outright,
        role_classes,
    )


def check_policy(
    policy_text: str | None = None,
    *,
    full: bool = False,
    workers: int = 1,
    vocabulary: Vocabulary = EVERYTHING,
) -> CheckReport:
    """Check every decision of the space under a policy (the published one by default).

    ``full=False`` evaluates one representative per symmetry class (see the
    module docs); ``full=True`` evaluates all 2,195,200 decisions (or every
    decision over a smaller ``vocabulary``, as the tests do).
    ``workers`` > 1 spreads the (recipient kind, purpose) slices over that many
    processes. Raises PolicyInvalid if the text does not load.
    """
    policy = load_policy(policy_text)
    space = full_space(vocabulary) if full else reduced_space(policy.text, vocabulary)
    slices = [
        (policy.text, kind, purpose, kind_weight * purpose_weight, space)
        for (kind, kind_weight), (purpose, purpose_weight) in itertools.product(
            space.kinds.items(), space.purposes.items()
        )
    ]
    report = CheckReport()
    if workers <= 1:
        for item in slices:
            report.merge(_check_slice(item))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_check_slice, slices):
                report.merge(part)
    report.classes = space.classes
    return report


def _classes(groups: Iterable[tuple[StrEnum, ...]]) -> str:
    """The classes that hold more than one value, as ``{a, b}``; "none" otherwise."""
    shown = ["{" + ", ".join(v.value for v in g) + "}" for g in groups if len(g) > 1]
    return " ".join(shown) or "none"


def run_check(
    policy_text: str | None = None,
    out: TextIO = sys.stdout,
    *,
    full: bool = False,
    workers: int = 1,
) -> int:
    """Prove the invariants over the whole decision space and say so.

    Returns 0 when they all hold, 1 on any violation, 2 when the policy does
    not load.
    """

    def say(line: str) -> None:
        # One write per whole line: Django's OutputWrapper ends every write
        # with a newline, so print()'s separate "\n" would double them.
        out.write(line + "\n")

    started = time.perf_counter()
    try:
        policy = load_policy(policy_text)
    except PolicyInvalid as exc:
        say(f"FAIL: {exc}")
        return 2
    say(f"Firewall policy sha256 {policy.sha256}")
    say(
        f"Decision space: {space_size():,} disclosures ({len(OrgKind)} recipient kinds x "
        f"{len(Purpose)} purposes x {len(SECTION_SUBSETS)} section sets x "
        f"{len(ConsentState)} consent states x {len(OverrideState)} override states x "
        f"2 custodian relations x {len(Role)} roles)."
    )
    report = check_policy(policy.text, full=full, workers=workers)
    elapsed = time.perf_counter() - started
    if full:
        how = "every one evaluated by Cedar"
    else:
        classes = report.classes or _singleton_classes(EVERYTHING)
        outright = (
            f"{report.outright:,} refused outright by the policy's own forbids of people "
            "outside the organisation holding the report and of roles that never disclose "
            "(as the design refuses them); "
            if report.outright
            else ""
        )
        how = (
            f"{report.evaluated:,} evaluated by Cedar; {outright}each of the others differs "
            "from one of them only by swapping values that the policy and the invariants treat "
            "alike, which cannot change a decision (interchangeable: sections "
            f"{_classes(classes.sections)}; roles {_classes(classes.roles)}; recipient "
            f"kinds {_classes(classes.kinds)}; purposes {_classes(classes.purposes)})"
        )
    say(
        f"Checked {report.covered:,} decisions in {elapsed:.1f} s: {how}. "
        f"In the whole space {report.covered_allowed:,} are allowed and "
        f"{report.covered - report.covered_allowed:,} refused."
    )
    if report.covered != space_size():
        say(f"FAIL: the check covered {report.covered:,} of {space_size():,}.")
        return 1
    for inv in INVARIANTS:
        finding = report.violations.get(inv.key, Finding())
        if finding.count:
            say(f"VIOLATED {inv.key} in {finding.count:,} decisions. {inv.statement}.")
            say(f"  Counterexample: {finding.example}")
        else:
            say(f"holds    {inv.key}: {inv.statement}.")
    if report.unexpected_allow.count:
        say(
            f"VIOLATED design-only-two-paths in {report.unexpected_allow.count:,} decisions: "
            "the policy allows disclosures the design does not allow."
        )
        say(f"  Counterexample: {report.unexpected_allow.example}")
    if report.errors.count:
        say(f"ERRORS in {report.errors.count:,} decisions (each refused).")
        say(f"  Example: {report.errors.example}")
    if report.unexpected_refusal.count:
        say(
            f"note: {report.unexpected_refusal.count:,} decisions the design allows are "
            "refused (expected only with stricter local rules)."
        )
        say(f"  Example: {report.unexpected_refusal.example}")
    say("OK: every invariant holds." if report.ok else "FAIL: the firewall is broken.")
    return 0 if report.ok else 1


def default_workers() -> int:
    """The command line's default ``--workers``: the cores this process may use
    (the slices are independent, so the check spreads over all of them)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m safereport.core.policy.check [POLICY.cedar] [--full] [--workers N]``."""
    parser = argparse.ArgumentParser(prog="safereport.core.policy.check")
    parser.add_argument("policy", nargs="?", help="a policy file (default: the published one)")
    parser.add_argument("--full", action="store_true", help="evaluate every decision one by one")
    parser.add_argument(
        "--workers", type=int, default=default_workers(), help="processes (default: the cores)"
    )
    args = parser.parse_args(argv)
    text = None
    if args.policy:
        with open(args.policy, encoding="utf-8") as fh:
            text = fh.read()
    return run_check(text, full=args.full, workers=args.workers)


if __name__ == "__main__":
    raise SystemExit(main())
