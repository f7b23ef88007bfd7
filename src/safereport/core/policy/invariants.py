"""The firewall's invariants, restated in plain Python.

These predicates do not call Cedar and do not share code with the policy: they
say again, from DESIGN.md, what must be true of any decision. The exhaustive
checker and the property tests hold the policy's answers against them.

Each invariant's predicate takes the plain request and says whether the
invariant lets it be allowed; a refusal keeps every invariant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from safereport.core.policy.firewall import DisclosureRequest
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section

DISCLOSING_ROLES = frozenset({Role.CASEWORKER, Role.ORG_ADMIN})
OVERRIDE_RECIPIENT_KINDS = frozenset({OrgKind.POLICE_FORCE, OrgKind.SPECIALIST_SERVICE})
# -- transfer of custody (issue 13, item 3) --
# Where a report may be transferred (purpose TRANSFER): organisations that
# support victims themselves. Never police, an immigration authority, a legal
# adviser or an oversight body.
TRANSFER_RECIPIENT_KINDS = frozenset(
    {OrgKind.SUPPORT_ORG, OrgKind.LABOUR_RIGHTS, OrgKind.SPECIALIST_SERVICE}
)
# -- end transfer --
# -- coordinated support (issue 16) --
# Between whom two matching reports' organisations may coordinate: the kinds
# that hold reports and support victims themselves.
COORDINATION_RECIPIENT_KINDS = frozenset(
    {OrgKind.SUPPORT_ORG, OrgKind.LABOUR_RIGHTS, OrgKind.SPECIALIST_SERVICE}
)
# -- end coordinated support --

# How the predicates in this module tell values apart: only by membership of
# these sets (every section, role, kind or purpose a predicate names is in one
# of them). Two values of one sort that belong to the same sets are treated
# alike by every invariant and by ``expected_allowed``. The exhaustive checker
# relies on that to let one value stand for the others; tests check that no
# predicate names a value outside these sets and that swapping two such values
# in any request changes no verdict.
SINGLED_OUT: tuple[frozenset[Section | Role | OrgKind | Purpose], ...] = (
    frozenset({Section.IMMIGRATION}),
    DISCLOSING_ROLES,
    frozenset({OrgKind.IMMIGRATION_AUTHORITY}),
    frozenset({OrgKind.LEGAL_ADVISER}),
    OVERRIDE_RECIPIENT_KINDS,
    frozenset({Purpose.IMMIGRATION_ENFORCEMENT}),
    frozenset({Purpose.LEGAL_ADVICE}),
    # -- transfer of custody --
    TRANSFER_RECIPIENT_KINDS,
    frozenset({Purpose.TRANSFER}),
    # -- end transfer --
    COORDINATION_RECIPIENT_KINDS,
    frozenset({Purpose.COORDINATED_SUPPORT}),
)


def live_consent_covers(r: DisclosureRequest) -> bool:
    """A consent, not withdrawn, names this recipient and this purpose, and
    every section asked for is named by such a consent (one consent may cover
    some sections and another the rest). With no section asked for (coordinated
    support) the first condition alone decides."""
    live = [
        c
        for c in r.consents
        if not c.withdrawn
        and c.recipient_organisation_id == r.recipient.organisation_id
        and c.purpose == r.purpose
    ]
    return bool(live) and all(any(section in c.sections for c in live) for section in r.sections)


def is_custodian_discloser(r: DisclosureRequest) -> bool:
    return (
        r.actor.organisation_id == r.custodian_organisation_id and r.actor.role in DISCLOSING_ROLES
    )


def override_is_valid(r: DisclosureRequest) -> bool:
    o = r.override
    return (
        o is not None
        and o.reason.strip() != ""
        and o.approver_staff_id != r.actor.staff_id
        and o.approver_organisation_id == r.custodian_organisation_id
    )


# Each invariant says which disclosures may be allowed at all; a refusal keeps
# every invariant. So the checker needs to consult them only for the decisions
# the policy allowed.


def _inv1(r: DisclosureRequest) -> bool:
    return r.recipient.kind != OrgKind.IMMIGRATION_AUTHORITY


def _inv2(r: DisclosureRequest) -> bool:
    return r.purpose != Purpose.IMMIGRATION_ENFORCEMENT


def _inv3(r: DisclosureRequest) -> bool:
    if Section.IMMIGRATION not in r.sections:
        return True
    return (
        r.recipient.kind == OrgKind.LEGAL_ADVISER
        and r.purpose == Purpose.LEGAL_ADVICE
        and r.override is None
        and live_consent_covers(r)
    )


def _inv5_basis(r: DisclosureRequest) -> bool:
    if r.override is None:
        return live_consent_covers(r)
    return override_is_valid(r) and r.recipient.kind in OVERRIDE_RECIPIENT_KINDS


def _inv5_no_immigration(r: DisclosureRequest) -> bool:
    return r.override is None or Section.IMMIGRATION not in r.sections


def _inv5_second_approver(r: DisclosureRequest) -> bool:
    return r.override is None or r.override.approver_staff_id != r.actor.staff_id


# -- transfer of custody (issue 13, item 3) --


def _inv8_transfer(r: DisclosureRequest) -> bool:
    """A transfer goes only to a support, labour-rights or specialist
    organisation, and to another organisation than the custodian."""
    if r.purpose != Purpose.TRANSFER:
        return True
    return (
        r.recipient.kind in TRANSFER_RECIPIENT_KINDS
        and r.recipient.organisation_id != r.custodian_organisation_id
    )


# -- end transfer --


def _inv9_coordination(r: DisclosureRequest) -> bool:
    """Coordinated support carries no section, goes only to another support,
    labour-rights or specialist organisation, and never under an override."""
    if r.purpose != Purpose.COORDINATED_SUPPORT:
        return True
    return (
        not r.sections
        and r.recipient.kind in COORDINATION_RECIPIENT_KINDS
        and r.recipient.organisation_id != r.custodian_organisation_id
        and r.override is None
    )


@dataclass(frozen=True)
class Invariant:
    key: str
    statement: str
    # True when the invariant lets this disclosure be allowed.
    may_allow: Callable[[DisclosureRequest], bool]

    def holds(self, r: DisclosureRequest, allowed: bool) -> bool:
        """Whether a decision keeps the invariant (every refusal does)."""
        return not allowed or self.may_allow(r)


INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "inv1-no-immigration-authority",
        "Invariant 1: nothing ever flows to an immigration authority",
        _inv1,
    ),
    Invariant(
        "inv2-no-immigration-enforcement",
        "Invariant 2: nothing ever flows for immigration control or enforcement",
        _inv2,
    ),
    Invariant(
        "inv3-immigration-section-sealed",
        "Invariant 3: the immigration section goes only to a legal adviser, for legal "
        "advice, with explicit live consent, never under an override",
        _inv3,
    ),
    Invariant(
        "inv4-custodian-only",
        "Invariant 4: only a caseworker or admin of the custodian organisation discloses",
        is_custodian_discloser,
    ),
    Invariant(
        "inv5-consent-or-override",
        "Invariant 5: every disclosure rests on live consent covering recipient, purpose "
        "and sections, or on a valid safeguarding override (written reason, second "
        "approver of the custodian, to police or a specialist service)",
        _inv5_basis,
    ),
    Invariant(
        "inv5-override-no-immigration",
        "Invariant 5: a safeguarding override never carries the immigration section",
        _inv5_no_immigration,
    ),
    Invariant(
        "inv5-override-second-approver",
        "Invariant 5: nobody approves their own safeguarding override",
        _inv5_second_approver,
    ),
    # -- transfer of custody --
    Invariant(
        "inv8-transfer-to-support-only",
        "Invariant 8: a report is transferred only to another support, labour-rights or "
        "specialist organisation, never to police or an immigration authority",
        _inv8_transfer,
    ),
    # -- end transfer --
    Invariant(
        "inv9-coordination",
        "Invariant 9: a match between two reports is shared only as coordinated support "
        "between the organisations that hold them, with the reporter's agreement: no "
        "section, never the police, a legal adviser or an immigration authority, never "
        "under an override",
        _inv9_coordination,
    ),
)


def expected_allowed(r: DisclosureRequest) -> bool:
    """What the design allows: exactly the two paths, and nothing else
    (a transfer of custody is a disclosure on one of them, to a support kind;
    coordinated support is the consent path with no section).

    Used to find refusals the design did not ask for (a stricter policy) and
    allowances it did not grant (a weaker one).
    """
    if r.recipient.kind == OrgKind.IMMIGRATION_AUTHORITY:
        return False
    if r.purpose == Purpose.IMMIGRATION_ENFORCEMENT:
        return False
    if not is_custodian_discloser(r):
        return False
    if r.purpose == Purpose.COORDINATED_SUPPORT:  # coordinated support: consent only
        return _inv9_coordination(r) and live_consent_covers(r)
    if not r.sections:
        return False
    if not _inv8_transfer(r):  # transfer of custody
        return False
    if r.override is None:
        if not live_consent_covers(r):
            return False
        return Section.IMMIGRATION not in r.sections or (
            r.recipient.kind == OrgKind.LEGAL_ADVISER and r.purpose == Purpose.LEGAL_ADVICE
        )
    return (
        override_is_valid(r)
        and r.recipient.kind in OVERRIDE_RECIPIENT_KINDS
        and Section.IMMIGRATION not in r.sections
    )


def violated(r: DisclosureRequest, allowed: bool) -> list[Invariant]:
    """The invariants a decision breaks (empty when it keeps them all)."""
    return [inv for inv in INVARIANTS if not inv.holds(r, allowed)]
