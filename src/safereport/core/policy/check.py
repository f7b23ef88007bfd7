"""The exhaustive firewall checker.

The decision space is

    recipient kind (7) x purpose (5) x sections asked for (all 128 subsets,
    the empty one included) x consent on record (7 states) x override (5
    states) x actor inside / outside the custodian (2) x actor role (5)

= 1,568,000 disclosures. Each is asked of the policy through the same
translation ``decide`` uses, and each answer is held against the invariants
restated independently in :mod:`safereport.core.policy.invariants`.

The empty section set is included on purpose: a disclosure of nothing must be
refused too (rule ``nothing-requested``).

How the check stays exhaustive and fast (``full=False``, the default)
--------------------------------------------------------------------
Asking Cedar 1.5 million times takes minutes here, so by default the checker
asks once per *symmetry class*, and the argument for why that still covers
every decision is this.

Call a value (a section, a role, a recipient kind) *named* when it occurs
inside any string the policy text contains (string literals, ``like``
patterns, entity ids, set and record literals, attribute names; annotations
excluded, they decide nothing) or when an invariant singles it out
(immigration; caseworker and org admin; immigration authority, legal adviser,
police force, specialist service). Each unnamed value occurs in a request in
exactly one place: a section only as an element of the sets ``sections``,
``requested_grants`` and ``consent_grants``, a role only as ``actor_role``, a
kind only as ``recipient_kind``; no id, reason or other value contains it
(``_assert_unnamed_values_appear_nowhere_else`` checks this each run).

Cedar can only observe a set through membership of some value,
``containsAll``/``containsAny``, equality and emptiness: it cannot iterate,
index or order one. It can only observe a scalar string by comparing it whole
(``==``, ``!=``, membership) unless it reads its characters with ``like`` or an
extension function; a policy that does that has every role and kind counted as
named. So renaming one unnamed value to another of the same sort, everywhere
in a request (for a section: in ``sections`` and in the section part of every
grant string), maps every value injectively, fixes every literal and cannot
change the answer of any policy; the invariant predicates, which only single
out named values, give the same verdict too. Hence every section set is
equivalent to the one made of the same named sections plus the *first* k
unnamed ones (the "consent missing a section" state is tried both with a named
and with an unnamed section missing), every unnamed role to the first unnamed
role, and every unnamed kind to the first unnamed kind. Purposes are all
enumerated (the "consent for another purpose" state picks a particular other
purpose, which would complicate the argument for little gain).

For the published policy only ``immigration`` among the sections, caseworker
and org admin among the roles, and the four singled-out kinds are named: 14
representatives stand for the 128 section sets, 3 roles for 5, 5 kinds for 7.

The argument depends on the policy text, so the named values are recomputed
for every policy checked (a weakened or local copy that names more values
simply gets more representatives), and everything counts as named if the text
cannot be read as nodes. Every evaluated case carries a weight, the number of
decisions of the full space it stands for; the weights must add up to
1,568,000 or the check fails, and the weighted count of allowed decisions is
printed, so it can be compared with a ``full=True`` run, which skips the
argument and asks Cedar about all 1,568,000 decisions one by one (minutes;
``--workers`` helps). On the published policy both report 13,360 allowed. The
property tests check that renaming unnamed values never changes a decision of
the published policy, and that both modes agree on weakened copies.

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
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TextIO

import cedarpy
from cedarpy import pst

from safereport.core.policy.firewall import (
    Actor,
    CompiledPolicy,
    Consent,
    Decision,
    DisclosureRequest,
    Override,
    PolicyInvalid,
    Recipient,
    cedar_request,
    decide_cedar_requests,
    load_policy,
)
from safereport.core.policy.invariants import INVARIANTS, expected_allowed, violated
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section

CUSTODIAN = "org-custodian"
ACTOR_ELSEWHERE = "org-actor-elsewhere"
RECIPIENT = "org-recipient"
OTHER_RECIPIENT = "org-other-recipient"
APPROVER_ELSEWHERE = "org-approver-elsewhere"
ACTOR_ID = "staff-actor"
SECOND_APPROVER_ID = "staff-second"
FOREIGN_APPROVER_ID = "staff-foreign"
# No fixed string below may contain a section, role or kind name (see
# _assert_unnamed_values_appear_nowhere_else).
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
SECTION_SUBSETS: tuple[frozenset[Section], ...] = tuple(
    frozenset(combo)
    for size in range(len(ALL_SECTIONS) + 1)
    for combo in itertools.combinations(ALL_SECTIONS, size)
)
# Values the invariants themselves single out: always treated as named.
SECTIONS_NAMED_BY_INVARIANTS = frozenset({Section.IMMIGRATION})
ROLES_NAMED_BY_INVARIANTS = frozenset({Role.CASEWORKER, Role.ORG_ADMIN})
KINDS_NAMED_BY_INVARIANTS = frozenset(
    {
        OrgKind.IMMIGRATION_AUTHORITY,
        OrgKind.LEGAL_ADVISER,
        OrgKind.POLICE_FORCE,
        OrgKind.SPECIALIST_SERVICE,
    }
)


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


def _other_purpose(purpose: Purpose) -> Purpose:
    if purpose == Purpose.SUPPORT_REFERRAL:
        return Purpose.CRIME_INVESTIGATION
    return Purpose.SUPPORT_REFERRAL


@functools.cache
def _consents(
    consent: ConsentState, purpose: Purpose, s: frozenset[Section], missing: Section | None
) -> tuple[Consent, ...]:
    match consent:
        case ConsentState.NONE:
            return ()
        case ConsentState.COVERS_EXACTLY:
            return (Consent(RECIPIENT, purpose, s),)
        case ConsentState.COVERS_MORE:
            return (Consent(RECIPIENT, purpose, frozenset(ALL_SECTIONS)),)
        case ConsentState.WITHDRAWN:
            return (Consent(RECIPIENT, purpose, s, withdrawn=True),)
        case ConsentState.OTHER_RECIPIENT:
            return (Consent(OTHER_RECIPIENT, purpose, s),)
        case ConsentState.OTHER_PURPOSE:
            return (Consent(RECIPIENT, _other_purpose(purpose), s),)
        case ConsentState.SOME_SECTIONS:
            # Every section except one that was asked for (so it also names
            # sections that were not asked for).
            left_out = {missing} if missing is not None else set()
            return (Consent(RECIPIENT, purpose, frozenset(ALL_SECTIONS) - left_out),)


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


def build_request(case: Case) -> DisclosureRequest:
    """The plain disclosure request a case stands for."""
    return DisclosureRequest(
        actor=_actor(case.actor_in_custodian, case.role),
        custodian_organisation_id=CUSTODIAN,
        recipient=_recipient(case.recipient_kind),
        purpose=case.purpose,
        sections=case.sections,
        consents=_consents(case.consent, case.purpose, case.sections, case.missing),
        override=_override(case.override),
    )


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


def full_section_choices() -> tuple[SectionChoice, ...]:
    """All 128 section sets, each with the full space's one partial consent."""
    return tuple(SectionChoice(s, (_last(s),)) for s in SECTION_SUBSETS)


# Operators that read a scalar string's characters (rather than compare it
# whole): with any of them in a policy, unnamed roles and kinds could be told
# apart, so they are not treated as interchangeable.
_CHARACTER_READING_OPS = frozenset(
    {"datetime", "decimal", "duration", "ip", "is_ipv4", "is_ipv6", "is_loopback"}
    | {"is_multicast", "is_in_range", "offset", "duration_since", "to_date", "to_time"}
)


def _strings_in(node: object, found: set[str], reads_characters: list[bool]) -> None:
    if isinstance(node, str):
        found.add(node)
    elif isinstance(node, pst.Like):
        reads_characters.append(True)
        _strings_in(node.base, found, reads_characters)
        found.add("".join(e.value if isinstance(e, pst.Char) else "\0" for e in node.pattern))
    elif isinstance(node, pst.Template):
        # Annotations (@id and the like) have no effect on a decision.
        for f in dataclasses.fields(node):
            if f.name != "annotations":
                _strings_in(getattr(node, f.name), found, reads_characters)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        if isinstance(node, (pst.UnaryOp, pst.BinaryOp)) and node.op in _CHARACTER_READING_OPS:
            reads_characters.append(True)
        for f in dataclasses.fields(node):
            _strings_in(getattr(node, f.name), found, reads_characters)
    elif isinstance(node, Mapping):
        for key, value in node.items():
            _strings_in(key, found, reads_characters)
            _strings_in(value, found, reads_characters)
    elif isinstance(node, (tuple, list, frozenset, set)):
        for item in node:
            _strings_in(item, found, reads_characters)


@dataclass(frozen=True)
class Named:
    """The values a policy (or an invariant) singles out; the rest are interchangeable."""

    sections: frozenset[Section]
    roles: frozenset[Role]
    kinds: frozenset[OrgKind]


EVERYTHING_NAMED = Named(frozenset(Section), frozenset(Role), frozenset(OrgKind))


def named_values(policy_text: str) -> Named:
    """Which sections, roles and recipient kinds the policy or the invariants name.

    A value counts as named when it occurs inside any string of the policy
    (conservative: a substring is enough). Everything counts as named when the
    text cannot be read as nodes; every role and kind does when the policy
    reads strings character by character (``like``, extension functions).
    """
    try:
        nodes = cedarpy.policies_to_pst(policy_text)
    except ValueError:
        return EVERYTHING_NAMED
    found: set[str] = set()
    reads_characters: list[bool] = []
    _strings_in(nodes, found, reads_characters)

    def named[V: (Section, Role, OrgKind)](
        values: Iterable[V], always: frozenset[V]
    ) -> frozenset[V]:
        return frozenset(v for v in values if any(v.value in text for text in found)) | always

    sections = named(Section, SECTIONS_NAMED_BY_INVARIANTS)
    if reads_characters:
        return Named(sections, frozenset(Role), frozenset(OrgKind))
    return Named(
        sections,
        named(Role, ROLES_NAMED_BY_INVARIANTS),
        named(OrgKind, KINDS_NAMED_BY_INVARIANTS),
    )


def representatives[V: (Role, OrgKind)](values: Iterable[V], named: frozenset[V]) -> dict[V, int]:
    """Every named value (weight 1), and the first unnamed one standing for all the
    unnamed ones (weight: how many there are)."""
    ordered = list(values)
    unnamed = [v for v in ordered if v not in named]
    weights = {v: 1 for v in ordered if v in named}
    if unnamed:
        weights[unnamed[0]] = len(unnamed)
    return {v: weights[v] for v in ordered if v in weights}


def symmetric_section_choices(named: frozenset[Section]) -> tuple[SectionChoice, ...]:
    """One representative per symmetry class of section sets (see module docs)."""
    unnamed = [s for s in ALL_SECTIONS if s not in named]
    named_order = [s for s in ALL_SECTIONS if s in named]
    choices = []
    for size in range(len(named_order) + 1):
        for base in itertools.combinations(named_order, size):
            for k in range(len(unnamed) + 1):
                sections = frozenset(base) | frozenset(unnamed[:k])
                members = [
                    s
                    for s in SECTION_SUBSETS
                    if s & named == frozenset(base) and len(s - named) == k
                ]
                last_named = sum(1 for s in members if _last(s) in named)
                options: list[Section | None] = []
                weights: list[int] = []
                if base:
                    options.append(_last(base))
                    weights.append(last_named)
                if k:
                    options.append(unnamed[k - 1])
                    weights.append(len(members) - last_named)
                choices.append(
                    SectionChoice(
                        sections,
                        tuple(options) or (None,),
                        len(members),
                        tuple(weights) or (1,),
                    )
                )
    return tuple(choices)


def _fixed_ids() -> list[str]:
    values = [CUSTODIAN, ACTOR_ELSEWHERE, RECIPIENT, OTHER_RECIPIENT, APPROVER_ELSEWHERE]
    return [
        *values,
        ACTOR_ID,
        SECOND_APPROVER_ID,
        FOREIGN_APPROVER_ID,
        REASON,
        "active",
        "withdrawn",
    ]


def _assert_unnamed_values_appear_nowhere_else(named: Named) -> None:
    """The symmetry argument needs each unnamed value to occur only in its own place.

    No id, reason or value of another kind may contain it, or renaming it
    could be observed through that other string.
    """
    domains: list[list[str]] = [
        [v.value for v in Section],
        [v.value for v in Role],
        [v.value for v in OrgKind],
        [v.value for v in Purpose],
    ]
    unnamed = [
        [v.value for v in Section if v not in named.sections],
        [v.value for v in Role if v not in named.roles],
        [v.value for v in OrgKind if v not in named.kinds],
        [],
    ]
    for i, values in enumerate(unnamed):
        others = _fixed_ids() + [v for j, d in enumerate(domains) if j != i for v in d]
        for value in values:
            clash = [o for o in others if value in o]
            if clash:
                raise AssertionError(f"{value!r} also occurs in {clash!r}")


@dataclass(frozen=True)
class Space:
    """The part of the decision space the checker asks Cedar about."""

    # Each value asked about, with how many values of the full space it stands for.
    kinds: Mapping[OrgKind, int]
    roles: Mapping[Role, int]
    choices: tuple[SectionChoice, ...]
    named: Named


FULL_SPACE = Space(
    {k: 1 for k in OrgKind}, {r: 1 for r in Role}, full_section_choices(), EVERYTHING_NAMED
)


def reduced_space(policy_text: str) -> Space:
    """One representative per symmetry class (see the module docs)."""
    named = named_values(policy_text)
    _assert_unnamed_values_appear_nowhere_else(named)
    return Space(
        representatives(OrgKind, named.kinds),
        representatives(Role, named.roles),
        symmetric_section_choices(named.sections),
        named,
    )


def cases_for(
    recipient_kind: OrgKind,
    purpose: Purpose,
    choices: Sequence[SectionChoice] | None = None,
    roles: Sequence[Role] | Mapping[Role, int] = tuple(Role),
    kind_weight: int = 1,
) -> Iterator[Case]:
    """Every case with this recipient kind and purpose (the full space by default).

    ``roles`` may map each role to its weight; a case's weight is how many
    decisions of the full space it stands for.
    """
    role_weights = roles if isinstance(roles, Mapping) else dict.fromkeys(roles, 1)
    for choice in choices if choices is not None else full_section_choices():
        for consent, override, inside, (role, role_weight) in itertools.product(
            ConsentState, OverrideState, (True, False), role_weights.items()
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
                    section_weight * role_weight * kind_weight,
                )


def space_size() -> int:
    """How many decisions the full space holds."""
    return (
        len(OrgKind)
        * len(Purpose)
        * len(SECTION_SUBSETS)
        * len(ConsentState)
        * len(OverrideState)
        * 2
        * len(Role)
    )


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
    allowed: int = 0
    # How many decisions of the full space the evaluated ones stand for, and
    # how many of those are allowed.
    covered: int = 0
    covered_allowed: int = 0
    named: Named = EVERYTHING_NAMED
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
        self.allowed += other.allowed
        self.covered += other.covered
        self.covered_allowed += other.covered_allowed
        self.errors.merge(other.errors)
        self.unexpected_allow.merge(other.unexpected_allow)
        self.unexpected_refusal.merge(other.unexpected_refusal)
        for key, finding in other.violations.items():
            self.violations.setdefault(key, Finding()).merge(finding)


_BATCH = 2000


def check_cases(cases: Iterable[Case], policy: CompiledPolicy) -> CheckReport:
    """Decide every case under ``policy`` and check each decision."""
    report = CheckReport()
    pending = list(cases)
    for start in range(0, len(pending), _BATCH):
        chunk = pending[start : start + _BATCH]
        requests = [build_request(c) for c in chunk]
        decisions = decide_cedar_requests([cedar_request(r) for r in requests], policy)
        for case, request, decision in zip(chunk, requests, decisions, strict=True):
            report.evaluated += 1
            report.covered += case.weight
            allowed = decision.allowed
            if allowed:
                report.allowed += 1
                report.covered_allowed += case.weight
            if decision.errors:
                report.errors.add(
                    f"{describe(case, decision)} Errors: {decision.errors}", case.weight
                )
            for inv in violated(request, allowed):
                finding = report.violations.setdefault(inv.key, Finding())
                finding.add(describe(case, decision), case.weight)
            expected = expected_allowed(request)
            if allowed and not expected:
                report.unexpected_allow.add(describe(case, decision), case.weight)
            elif expected and not allowed:
                report.unexpected_refusal.add(describe(case, decision), case.weight)
    return report


def _check_slice(
    args: tuple[str, OrgKind, int, Purpose, tuple[SectionChoice, ...], dict[Role, int]],
) -> CheckReport:
    text, kind, kind_weight, purpose, choices, roles = args
    return check_cases(cases_for(kind, purpose, choices, roles, kind_weight), load_policy(text))


def check_policy(
    policy_text: str | None = None, *, full: bool = False, workers: int = 1
) -> CheckReport:
    """Check every decision of the space under a policy (the published one by default).

    ``full=False`` evaluates one representative per symmetry class (see the
    module docs); ``full=True`` evaluates all 1,568,000 decisions.
    ``workers`` > 1 spreads the (recipient kind, purpose) slices over that many
    processes. Raises PolicyInvalid if the text does not load.
    """
    policy = load_policy(policy_text)
    space = FULL_SPACE if full else reduced_space(policy.text)
    slices = [
        (policy.text, kind, weight, purpose, space.choices, dict(space.roles))
        for (kind, weight), purpose in itertools.product(space.kinds.items(), Purpose)
    ]
    report = CheckReport()
    if workers <= 1:
        for item in slices:
            report.merge(_check_slice(item))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_check_slice, slices):
                report.merge(part)
    report.named = space.named
    return report


def _names(values: Iterable[StrEnum]) -> str:
    return ", ".join(sorted(v.value for v in values))


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
        named = report.named
        how = (
            f"{report.evaluated:,} evaluated by Cedar; each of the others differs from one "
            "of them only by renaming values that neither the policy nor the invariants "
            "name, which cannot change a decision (named: sections "
            f"{_names(named.sections)}; roles {_names(named.roles)}; recipient kinds "
            f"{_names(named.kinds)}; every purpose)"
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


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m safereport.core.policy.check [POLICY.cedar] [--full] [--workers N]``."""
    parser = argparse.ArgumentParser(prog="safereport.core.policy.check")
    parser.add_argument("policy", nargs="?", help="a policy file (default: the published one)")
    parser.add_argument("--full", action="store_true", help="evaluate every decision one by one")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    text = None
    if args.policy:
        with open(args.policy, encoding="utf-8") as fh:
            text = fh.read()
    return run_check(text, full=args.full, workers=args.workers)


if __name__ == "__main__":
    raise SystemExit(main())
