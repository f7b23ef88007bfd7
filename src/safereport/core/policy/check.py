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
asks once per *symmetry class* of section sets, and the argument for why that
covers every decision is this. Call a section *named* when its name occurs
inside any string the policy text contains (string literals, ``like``
patterns, entity ids, set and record literals, attribute names) or when an
invariant mentions it (``immigration``). In our encoding a section name only
ever appears as an element of the set attributes ``sections``,
``requested_grants`` and ``consent_grants``; no scalar string of any request
contains one (``_assert_scalars_free_of`` checks this). Cedar can only observe
a set through membership of some value, ``containsAll``/``containsAny``,
equality and emptiness; it cannot iterate, index or order a set. So renaming
two unnamed sections everywhere in a request (in ``sections`` and in the
section part of every grant string) maps every set injectively, fixes every
literal and every scalar, and therefore cannot change any policy's answer; the
invariant predicates are unchanged by it too. Each section set is thus
equivalent to the one made of the same named sections plus the *first* k
unnamed ones, and checking those representatives (with the "consent missing a
section" state tried both for a named and for an unnamed missing section)
checks the whole space. For the published policy only ``immigration`` is
named: 14 representatives stand for the 128 section sets.

The argument depends on the policy text, so the named sections are recomputed
for every policy checked (a weakened or local copy that names more sections
simply gets more representatives), and if the text cannot be read as nodes
every section counts as named. ``full=True`` skips the argument and asks Cedar
about all 1,568,000 decisions one by one; the test-suite and the benchmark run
it to confirm the two agree.

``run_check`` prints what was checked and any counterexample in plain words,
and returns 0 when every invariant holds, 1 on a violation, 2 when the policy
text does not even load. The management command ``safereport firewall check``
calls it.
"""

from __future__ import annotations

import argparse
import dataclasses
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
# No fixed string below may contain a section name (see _named_sections).
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
# Sections the invariants themselves single out: always treated as named.
SECTIONS_NAMED_BY_INVARIANTS = frozenset({Section.IMMIGRATION})


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


def _other_purpose(purpose: Purpose) -> Purpose:
    if purpose == Purpose.SUPPORT_REFERRAL:
        return Purpose.CRIME_INVESTIGATION
    return Purpose.SUPPORT_REFERRAL


def _consents(case: Case) -> tuple[Consent, ...]:
    s, p = case.sections, case.purpose
    match case.consent:
        case ConsentState.NONE:
            return ()
        case ConsentState.COVERS_EXACTLY:
            return (Consent(RECIPIENT, p, s),)
        case ConsentState.COVERS_MORE:
            return (Consent(RECIPIENT, p, frozenset(ALL_SECTIONS)),)
        case ConsentState.WITHDRAWN:
            return (Consent(RECIPIENT, p, s, withdrawn=True),)
        case ConsentState.OTHER_RECIPIENT:
            return (Consent(OTHER_RECIPIENT, p, s),)
        case ConsentState.OTHER_PURPOSE:
            return (Consent(RECIPIENT, _other_purpose(p), s),)
        case ConsentState.SOME_SECTIONS:
            # Every section except one that was asked for (so it also names
            # sections that were not asked for).
            missing = {case.missing} if case.missing is not None else set()
            return (Consent(RECIPIENT, p, frozenset(ALL_SECTIONS) - missing),)


def _override(case: Case) -> Override | None:
    match case.override:
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


def build_request(case: Case) -> DisclosureRequest:
    """The plain disclosure request a case stands for."""
    actor_org = CUSTODIAN if case.actor_in_custodian else ACTOR_ELSEWHERE
    return DisclosureRequest(
        actor=Actor(ACTOR_ID, actor_org, case.role),
        custodian_organisation_id=CUSTODIAN,
        recipient=Recipient(RECIPIENT, case.recipient_kind),
        purpose=case.purpose,
        sections=case.sections,
        consents=_consents(case),
        override=_override(case),
    )


# ------------------------------------------------------------- the space --


@dataclass(frozen=True, slots=True)
class SectionChoice:
    """A section set to ask for, and the sections a partial consent may leave out."""

    sections: frozenset[Section]
    missing_options: tuple[Section | None, ...]


def _last(sections: Iterable[Section]) -> Section | None:
    ordered = [s for s in ALL_SECTIONS if s in sections]
    return ordered[-1] if ordered else None


def full_section_choices() -> tuple[SectionChoice, ...]:
    """All 128 section sets, each with the full space's one partial consent."""
    return tuple(SectionChoice(s, (_last(s),)) for s in SECTION_SUBSETS)


def _strings_in(node: object, found: set[str]) -> None:
    if isinstance(node, str):
        found.add(node)
    elif isinstance(node, pst.Like):
        _strings_in(node.base, found)
        found.add("".join(e.value if isinstance(e, pst.Char) else "\0" for e in node.pattern))
    elif isinstance(node, pst.Template):
        # Annotations (@id and the like) have no effect on a decision.
        for f in dataclasses.fields(node):
            if f.name != "annotations":
                _strings_in(getattr(node, f.name), found)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            _strings_in(getattr(node, f.name), found)
    elif isinstance(node, Mapping):
        for key, value in node.items():
            _strings_in(key, found)
            _strings_in(value, found)
    elif isinstance(node, (tuple, list, frozenset, set)):
        for item in node:
            _strings_in(item, found)


def named_sections(policy_text: str) -> frozenset[Section]:
    """Sections whose name occurs in any string of the policy, plus immigration.

    Every section counts as named when the text cannot be read as nodes.
    """
    try:
        nodes = cedarpy.policies_to_pst(policy_text)
    except ValueError:
        return frozenset(ALL_SECTIONS)
    found: set[str] = set()
    _strings_in(nodes, found)
    named = {s for s in ALL_SECTIONS if any(s.value in text for text in found)}
    return frozenset(named) | SECTIONS_NAMED_BY_INVARIANTS


def symmetric_section_choices(named: frozenset[Section]) -> tuple[SectionChoice, ...]:
    """One representative per symmetry class of section sets (see module docs)."""
    unnamed = [s for s in ALL_SECTIONS if s not in named]
    named_order = [s for s in ALL_SECTIONS if s in named]
    choices = []
    for size in range(len(named_order) + 1):
        for base in itertools.combinations(named_order, size):
            for k in range(len(unnamed) + 1):
                sections = frozenset(base) | frozenset(unnamed[:k])
                options: list[Section | None] = []
                if base:
                    options.append(_last(base))
                if k:
                    options.append(unnamed[k - 1])
                choices.append(SectionChoice(sections, tuple(options) or (None,)))
    return tuple(choices)


def _fixed_scalars() -> list[str]:
    values = [CUSTODIAN, ACTOR_ELSEWHERE, RECIPIENT, OTHER_RECIPIENT, APPROVER_ELSEWHERE]
    values += [ACTOR_ID, SECOND_APPROVER_ID, FOREIGN_APPROVER_ID, REASON]
    return values + [v.value for v in (*OrgKind, *Purpose, *Role)]


def _assert_scalars_free_of(unnamed: Iterable[Section]) -> None:
    """The symmetry argument needs every scalar string free of unnamed section names."""
    for section in unnamed:
        for value in _fixed_scalars():
            if section.value in value:
                raise AssertionError(f"{value!r} contains the section name {section.value!r}")


def cases_for(
    recipient_kind: OrgKind, purpose: Purpose, choices: Sequence[SectionChoice]
) -> Iterator[Case]:
    """Every case with this recipient kind and purpose over the given section choices."""
    for choice in choices:
        for consent, override, inside, role in itertools.product(
            ConsentState, OverrideState, (True, False), Role
        ):
            missing = choice.missing_options if consent == ConsentState.SOME_SECTIONS else (None,)
            for left_out in missing:
                yield Case(
                    recipient_kind,
                    purpose,
                    choice.sections,
                    consent,
                    override,
                    inside,
                    role,
                    left_out,
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
    who = f"a {case.role.value.replace('_', ' ')} " + (
        "of the organisation holding the report"
        if case.actor_in_custodian
        else "of another organisation (not the one holding the report)"
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
    """How often something went wrong, and the first example of it."""

    count: int = 0
    example: str = ""

    def add(self, text: str) -> None:
        if self.count == 0:
            self.example = text
        self.count += 1

    def merge(self, other: Finding) -> None:
        if other.count and not self.count:
            self.example = other.example
        self.count += other.count


@dataclass
class CheckReport:
    """The outcome of a check over (part of) the decision space."""

    evaluated: int = 0
    allowed: int = 0
    # How many decisions of the full space the evaluated ones stand for.
    covered: int = 0
    named: tuple[str, ...] = ()
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
            allowed = decision.allowed
            report.allowed += allowed
            if decision.errors:
                report.errors.add(f"{describe(case, decision)} Errors: {decision.errors}")
            for inv in violated(request, allowed):
                report.violations.setdefault(inv.key, Finding()).add(describe(case, decision))
            expected = expected_allowed(request)
            if allowed and not expected:
                report.unexpected_allow.add(describe(case, decision))
            elif expected and not allowed:
                report.unexpected_refusal.add(describe(case, decision))
    return report


def _check_slice(args: tuple[str, OrgKind, Purpose, tuple[SectionChoice, ...]]) -> CheckReport:
    text, kind, purpose, choices = args
    return check_cases(cases_for(kind, purpose, choices), load_policy(text))


def check_policy(
    policy_text: str | None = None, *, full: bool = False, workers: int = 1
) -> CheckReport:
    """Check every decision of the space under a policy (the published one by default).

    ``full=False`` evaluates one representative per symmetry class of section
    sets (see the module docs); ``full=True`` evaluates all 1,568,000
    decisions. ``workers`` > 1 spreads the 35 (recipient kind, purpose) slices
    over that many processes. Raises PolicyInvalid if the text does not load.
    """
    policy = load_policy(policy_text)
    if full:
        choices = full_section_choices()
        named = tuple(s.value for s in ALL_SECTIONS)
    else:
        named_set = named_sections(policy.text)
        _assert_scalars_free_of(s for s in ALL_SECTIONS if s not in named_set)
        choices = symmetric_section_choices(named_set)
        named = tuple(s.value for s in ALL_SECTIONS if s in named_set)
    slices = [(policy.text, k, p, choices) for k, p in itertools.product(OrgKind, Purpose)]
    report = CheckReport()
    if workers <= 1:
        for item in slices:
            report.merge(_check_slice(item))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_check_slice, slices):
                report.merge(part)
    report.covered = space_size()
    report.named = named
    return report


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
    started = time.perf_counter()
    try:
        policy = load_policy(policy_text)
    except PolicyInvalid as exc:
        print(f"FAIL: {exc}", file=out)
        return 2
    print(f"Firewall policy sha256 {policy.sha256}", file=out)
    print(
        f"Decision space: {space_size():,} disclosures ({len(OrgKind)} recipient kinds x "
        f"{len(Purpose)} purposes x {len(SECTION_SUBSETS)} section sets x "
        f"{len(ConsentState)} consent states x {len(OverrideState)} override states x "
        f"2 custodian relations x {len(Role)} roles).",
        file=out,
    )
    report = check_policy(policy.text, full=full, workers=workers)
    elapsed = time.perf_counter() - started
    if full:
        how = "every one evaluated by Cedar"
    else:
        how = (
            f"{report.evaluated:,} evaluated by Cedar; the others differ from one of them "
            "only by renaming sections the policy never names, which cannot change a "
            f"decision (sections named: {', '.join(report.named)})"
        )
    print(
        f"Checked all {report.covered:,} decisions in {elapsed:.1f} s: {how}. "
        f"Of those evaluated, {report.allowed:,} allowed and "
        f"{report.evaluated - report.allowed:,} refused.",
        file=out,
    )
    for inv in INVARIANTS:
        finding = report.violations.get(inv.key, Finding())
        if finding.count:
            print(f"VIOLATED {inv.key} in {finding.count:,} decisions. {inv.statement}.", file=out)
            print(f"  Counterexample: {finding.example}", file=out)
        else:
            print(f"holds    {inv.key}: {inv.statement}.", file=out)
    if report.unexpected_allow.count:
        print(
            f"VIOLATED design-only-two-paths in {report.unexpected_allow.count:,} decisions: "
            "the policy allows what neither consent nor a valid override allows.",
            file=out,
        )
        print(f"  Counterexample: {report.unexpected_allow.example}", file=out)
    if report.errors.count:
        print(f"ERRORS in {report.errors.count:,} decisions (each refused).", file=out)
        print(f"  Example: {report.errors.example}", file=out)
    if report.unexpected_refusal.count:
        print(
            f"note: {report.unexpected_refusal.count:,} decisions the design allows are "
            "refused (expected only with stricter local rules).",
            file=out,
        )
        print(f"  Example: {report.unexpected_refusal.example}", file=out)
    print("OK: every invariant holds." if report.ok else "FAIL: the firewall is broken.", file=out)
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
