"""Who may do what: the one rulebook of the staff side.

Every selector, action and staff page asks a predicate here; nothing else
compares roles (tests/accounts/test_permissions.py scans the source for
it). Each predicate is a plain function of a staff user and, where the
question is about one thing, that thing; each has a truth-table test over
every role, organisation relation and account state.

Whether report data may *leave* its custodian is not decided here: that is
the firewall's question (``core.policy``), and a predicate that touches it
asks the policy instead of restating it (``override_recipient_kinds``).
Which side of a referral someone is on is the referral lifecycle's rule
(``core.referrals.lifecycle.side_of``); ``referral_side`` asks it.

Objects of other apps are described by the fields the rules read
(``HeldByCustodian``, ...), so this module imports no other app.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Protocol

from safereport.core import policy
from safereport.core.referrals.lifecycle import (
    RECEIVING_ROLES,
    SENDING_ROLES,
    ActorSide,
    side_of,
)
from safereport.core.vocabulary import ROLES_BY_ORG_KIND, OrgKind, Purpose, Role, Section

if TYPE_CHECKING:
    from safereport.accounts.models import Organisation, StaffUser

_ROLE_VALUES = frozenset(role.value for role in Role)
# The roles that work on their organisation's reports.
CASE_ROLES = frozenset({Role.CASEWORKER, Role.ORG_ADMIN})
# The roles that open packages addressed to their organisation.
RECIPIENT_ROLES = frozenset({Role.POLICE_LIAISON, Role.SERVICE_STAFF, Role.ORG_ADMIN})


class HeldByCustodian(Protocol):
    """A report, or anything kept for one: it names its custodian organisation."""

    @property
    def custodian_id(self) -> int | None: ...


class AskedReset(Protocol):
    """A sign-in reset: whose, in which organisation, asked for by whom."""

    @property
    def organisation_id(self) -> int | None: ...

    @property
    def staff_id(self) -> int | None: ...

    @property
    def requested_by_id(self) -> int | None: ...


class AddressedToForce(Protocol):
    """A police handover: it names the force it was sent to."""

    @property
    def force_id(self) -> int | None: ...


class BetweenOrganisations(Protocol):
    """A referral: the organisation that sent it and the service that received it."""

    @property
    def sender_id(self) -> int | None: ...

    @property
    def service_id(self) -> int | None: ...


def _in_role(user: StaffUser, roles: frozenset[Role]) -> bool:
    return is_staff(user) and user.staff_role in roles


def _of(user: StaffUser, organisation_id: int | None) -> bool:
    return organisation_id is not None and user.organisation_id == organisation_id


# -- what kind of staff member (pages ask these) ----------------------------------


def role_exists_in(role: Role, organisation: Organisation) -> bool:
    """Whether ``organisation``'s kind has staff in ``role`` (an immigration
    authority has none)."""
    return role in ROLES_BY_ORG_KIND[organisation.org_kind]


def is_staff(user: StaffUser) -> bool:
    """An active account of an organisation whose kind has staff in its role."""
    organisation = user.organisation
    if not user.is_active or organisation is None or user.role not in _ROLE_VALUES:
        return False
    return role_exists_in(user.staff_role, organisation)


def is_platform_operator(user: StaffUser) -> bool:
    """Whoever runs this installation: an active superuser account that belongs to
    no organisation. Lists organisations (never case data) and creates them."""
    return user.is_active and user.is_superuser and user.organisation_id is None


def may_sign_in(user: StaffUser) -> bool:
    """Staff of an organisation, or the platform operator."""
    return is_staff(user) or is_platform_operator(user)


def is_case_worker(user: StaffUser) -> bool:
    """A caseworker or admin: works on their own organisation's reports."""
    return _in_role(user, CASE_ROLES)


def case_role_values() -> list[str]:
    """The stored role values of the staff who read their organisation's reports
    (``is_case_worker``), for a query that looks for such staff."""
    return sorted(role.value for role in CASE_ROLES)


def is_org_admin(user: StaffUser) -> bool:
    return _in_role(user, frozenset({Role.ORG_ADMIN}))


def is_police_liaison(user: StaffUser) -> bool:
    """A police force's liaison officer (only a police force holds that role)."""
    return _in_role(user, frozenset({Role.POLICE_LIAISON}))


def is_service_staff(user: StaffUser) -> bool:
    """Staff of a specialist service, legal adviser or labour-rights organisation."""
    return _in_role(user, frozenset({Role.SERVICE_STAFF}))


def may_analyse(user: StaffUser) -> bool:
    """An analyst: the barriers survey's aggregates and the simulator."""
    return _in_role(user, frozenset({Role.ANALYST}))


def may_receive_packages(user: StaffUser) -> bool:
    """Opens the disclosure packages addressed to their own organisation (an
    immigration authority holds no staff, so never one of its accounts)."""
    return _in_role(user, RECIPIENT_ROLES)


def may_send_referrals(user: StaffUser) -> bool:
    return _in_role(user, SENDING_ROLES)


def may_receive_referrals(user: StaffUser) -> bool:
    return _in_role(user, RECEIVING_ROLES)


def may_use_referrals(user: StaffUser) -> bool:
    """Either side of a referral: the list and the referral pages."""
    return may_send_referrals(user) or may_receive_referrals(user)


def may_follow_handovers(user: StaffUser) -> bool:
    """A handover's link: the force's officers, or the custodian's caseworkers."""
    return is_police_liaison(user) or is_case_worker(user)


# -- about one organisation or thing --------------------------------------------------


def may_work_cases(user: StaffUser, organisation: Organisation) -> bool:
    """A caseworker or admin of ``organisation``: its inbox, filing for a reporter."""
    return is_case_worker(user) and _of(user, organisation.pk)


def may_read_case(user: StaffUser, report: HeldByCustodian) -> bool:
    """A caseworker or admin of the report's custodian organisation."""
    return is_case_worker(user) and _of(user, report.custodian_id)


def may_be_assigned(user: StaffUser, report: HeldByCustodian) -> bool:
    """Whether ``user`` can be the named caseworker of ``report``: a working
    caseworker or admin of its custodian organisation."""
    return may_read_case(user, report)


def may_assign(user: StaffUser, report: HeldByCustodian, assignee: StaffUser | None) -> bool:
    """Who may set the report's named caseworker: an admin of its organisation
    (to any colleague who may be assigned, or to nobody), or a caseworker of it
    taking a report nobody has (or has already) or giving up their own."""
    if not may_read_case(user, report):
        return False
    if assignee is not None and not may_be_assigned(assignee, report):
        return False
    if is_org_admin(user):
        return True
    current = getattr(report, "assigned_to_id", None)
    if assignee is None:
        return current == user.pk
    return assignee.pk == user.pk and current in (None, user.pk)


def may_approve_override(user: StaffUser, report: HeldByCustodian, requested_by_id: int) -> bool:
    """Who can be the second approver of a safeguarding override on ``report``
    asked for by ``requested_by_id``: someone who may read the case (approving
    is a casework action) whom the published policy accepts as the approver
    (``override_approver_accepted``: never the requester)."""
    return may_read_case(user, report) and override_approver_accepted(
        same_as_requester=user.pk == requested_by_id
    )


def may_administer(user: StaffUser, organisation: Organisation) -> bool:
    """An admin of ``organisation``: its staff, its directory entry."""
    return is_org_admin(user) and _of(user, organisation.pk)


def may_grant_key_to(user: StaffUser, colleague: StaffUser) -> bool:
    """Any working colleague of the same organisation may seal its key to another."""
    return is_staff(user) and _of(user, colleague.organisation_id)


def may_manage_colleague(user: StaffUser, colleague: StaffUser) -> bool:
    """An admin of the colleague's organisation, about someone else: deactivate
    them, or ask for their sign-in to be reset. Nobody does this to themselves
    (an admin cannot lock out the last admin by accident, and a reset of one's
    own sign-in is always a colleague's decision)."""
    return is_org_admin(user) and _of(user, colleague.organisation_id) and user.pk != colleague.pk


def may_approve_reset(user: StaffUser, reset: AskedReset) -> bool:
    """The second admin of a sign-in reset: an admin of its organisation who
    neither asked for it nor is the person being reset."""
    return (
        is_org_admin(user)
        and _of(user, reset.organisation_id)
        and user.pk != reset.requested_by_id
        and user.pk != reset.staff_id
    )


def may_handle_handover(user: StaffUser, handover: AddressedToForce) -> bool:
    """A liaison officer of the force the handover was sent to."""
    return is_police_liaison(user) and _of(user, handover.force_id)


def referral_side(user: StaffUser, referral: BetweenOrganisations) -> ActorSide:
    """Which side of ``referral`` the user acts for (the lifecycle's rule)."""
    if not is_staff(user):
        return ActorSide.OTHER
    return side_of(
        user.organisation_id,
        user.staff_role,
        sending_org=referral.sender_id,
        receiving_org=referral.service_id,
    )


def may_act_on_referral(user: StaffUser, referral: BetweenOrganisations) -> bool:
    return referral_side(user, referral) is not ActorSide.OTHER


# -- questions the firewall answers -------------------------------------------------


_CUSTODIAN_CASEWORKER = policy.Actor("staff:asker", "org:custodian", Role.CASEWORKER)


@cache
def immigration_section_may_go_to(kind: OrgKind, purpose: Purpose) -> bool:
    """Whether the published policy ever lets the immigration section go to
    an organisation of ``kind`` for ``purpose``: asked with the reporter's
    live consent to exactly that."""
    sections = frozenset({Section.IMMIGRATION})
    request = policy.DisclosureRequest(
        actor=_CUSTODIAN_CASEWORKER,
        custodian_organisation_id="org:custodian",
        recipient=policy.Recipient("org:recipient", kind),
        purpose=purpose,
        sections=sections,
        consents=(policy.Consent("org:recipient", purpose, sections),),
    )
    return policy.decide(request).allowed


@cache
def override_recipient_kinds() -> frozenset[OrgKind]:
    """The kinds of organisation a safeguarding override can reach, as the
    published policy decides them: a caseworker of the custodian, with a
    reason and a second approver, sharing the incident for safeguarding."""
    allowed = set()
    for kind in OrgKind:
        request = policy.DisclosureRequest(
            actor=_CUSTODIAN_CASEWORKER,
            custodian_organisation_id="org:custodian",
            recipient=policy.Recipient("org:recipient", kind),
            purpose=Purpose.SAFEGUARDING,
            sections=frozenset({Section.INCIDENT}),
            override=policy.Override(
                reason="Risk to life.",
                approver_staff_id="staff:approver",
                approver_organisation_id="org:custodian",
            ),
        )
        if policy.decide(request).allowed:
            allowed.add(kind)
    return frozenset(allowed)


@cache
def override_approver_accepted(*, same_as_requester: bool) -> bool:
    """Whether the published policy lets an override through with its approver
    being (or not being) the person who asked: the same request as
    ``override_recipient_kinds``, to a kind of recipient it can reach."""
    kinds = sorted(override_recipient_kinds())
    if not kinds:
        return False
    approver = "staff:asker" if same_as_requester else "staff:approver"
    request = policy.DisclosureRequest(
        actor=_CUSTODIAN_CASEWORKER,
        custodian_organisation_id="org:custodian",
        recipient=policy.Recipient("org:recipient", kinds[0]),
        purpose=Purpose.SAFEGUARDING,
        sections=frozenset({Section.INCIDENT}),
        override=policy.Override(
            reason="Risk to life.",
            approver_staff_id=approver,
            approver_organisation_id="org:custodian",
        ),
    )
    return policy.decide(request).allowed


# -- transfer of custody (issue 13, item 3) --


@cache
def transfer_recipient_kinds() -> frozenset[OrgKind]:
    """The kinds of organisation a report can be transferred to, as the
    published policy decides them: a caseworker of the custodian, with the
    reporter's live consent to move the incident there for continuing support."""
    allowed = set()
    sections = frozenset({Section.INCIDENT})
    for kind in OrgKind:
        request = policy.DisclosureRequest(
            actor=_CUSTODIAN_CASEWORKER,
            custodian_organisation_id="org:custodian",
            recipient=policy.Recipient("org:recipient", kind),
            purpose=Purpose.TRANSFER,
            sections=sections,
            consents=(policy.Consent("org:recipient", Purpose.TRANSFER, sections),),
        )
        if policy.decide(request).allowed:
            allowed.add(kind)
    return frozenset(allowed)


# -- end transfer --
