"""Truth tables for every predicate of ``safereport.accounts.permissions``.

Each row is written out by hand: a role, the account's state, how the thing
asked about relates to the account's organisation, and what each predicate
must answer. Nothing here recomputes the answer with the rules under test.
The accounts are unsaved model instances: the predicates read fields only.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from safereport.accounts import permissions
from safereport.accounts.models import Organisation, StaffUser
from safereport.core.referrals import ActorSide
from safereport.core.vocabulary import OrgKind, Purpose, Role

OWN, OTHER = 1, 2  # organisation ids
T, F = True, False

# The kind of organisation each role works in (a role that fits it).
HOME_KIND = {
    Role.CASEWORKER: OrgKind.SUPPORT_ORG,
    Role.ORG_ADMIN: OrgKind.SUPPORT_ORG,
    Role.POLICE_LIAISON: OrgKind.POLICE_FORCE,
    Role.SERVICE_STAFF: OrgKind.SPECIALIST_SERVICE,
    Role.ANALYST: OrgKind.OVERSIGHT,
}
# A kind of organisation that has no such role (the account cannot work there).
WRONG_KIND = {
    Role.CASEWORKER: OrgKind.POLICE_FORCE,
    Role.ORG_ADMIN: OrgKind.IMMIGRATION_AUTHORITY,
    Role.POLICE_LIAISON: OrgKind.SUPPORT_ORG,
    Role.SERVICE_STAFF: OrgKind.SUPPORT_ORG,
    Role.ANALYST: OrgKind.POLICE_FORCE,
}

WORKING = "working"
DEACTIVATED = "deactivated"
NO_ORGANISATION = "no organisation"
WRONG_ORG_KIND = "organisation kind without this role"
IMMIGRATION_AUTHORITY = "immigration authority account"
NOT_WORKING = (DEACTIVATED, NO_ORGANISATION, WRONG_ORG_KIND, IMMIGRATION_AUTHORITY)


def organisation(pk: int, kind: OrgKind) -> Organisation:
    return Organisation(pk=pk, kind=kind.value, name=f"org {pk}", slug=f"org-{pk}")


def account(role: Role, state: str = WORKING, org_id: int = OWN) -> StaffUser:
    kind = {
        WORKING: HOME_KIND[role],
        DEACTIVATED: HOME_KIND[role],
        WRONG_ORG_KIND: WRONG_KIND[role],
        IMMIGRATION_AUTHORITY: OrgKind.IMMIGRATION_AUTHORITY,
        NO_ORGANISATION: None,
    }[state]
    user = StaffUser(pk=10, username=f"{role}-{state}", role=role.value)
    user.is_active = state != DEACTIVATED
    user.organisation = None if kind is None else organisation(org_id, kind)
    return user


# -- which roles an organisation has ------------------------------------------------

# fmt: off
ROLES_TABLE = {
    #                            caseworker admin police service analyst
    OrgKind.SUPPORT_ORG:           (T,      T,    F,     F,      T),
    OrgKind.POLICE_FORCE:          (F,      T,    T,     F,      F),
    OrgKind.SPECIALIST_SERVICE:    (F,      T,    F,     T,      F),
    OrgKind.LEGAL_ADVISER:         (F,      T,    F,     T,      F),
    OrgKind.LABOUR_RIGHTS:         (T,      T,    F,     T,      F),
    OrgKind.OVERSIGHT:             (F,      T,    F,     F,      T),
    OrgKind.IMMIGRATION_AUTHORITY: (F,      F,    F,     F,      F),
}
# fmt: on
ROLE_COLUMNS = (
    Role.CASEWORKER,
    Role.ORG_ADMIN,
    Role.POLICE_LIAISON,
    Role.SERVICE_STAFF,
    Role.ANALYST,
)


@pytest.mark.parametrize("role", ROLE_COLUMNS)
@pytest.mark.parametrize("kind", list(OrgKind))
def test_which_roles_each_kind_of_organisation_has(kind, role):
    expected = ROLES_TABLE[kind][ROLE_COLUMNS.index(role)]
    assert permissions.role_exists_in(role, organisation(OWN, kind)) is expected


# -- what kind of staff member ------------------------------------------------------

KIND_PREDICATES = (
    "is_staff",
    "is_case_worker",
    "is_org_admin",
    "is_police_liaison",
    "is_service_staff",
    "may_analyse",
    "may_receive_packages",
    "may_send_referrals",
    "may_receive_referrals",
    "may_use_referrals",
    "may_follow_handovers",
)
# fmt: off
KIND_TABLE = {
    #                     staff case admin police service analyst packages send recv use  handover
    Role.CASEWORKER:     (T,    T,   F,    F,     F,      F,      F,       T,   T,      T,   T),
    Role.ORG_ADMIN:      (T,    T,   T,    F,     F,      F,      T,       T,   T,      T,   T),
    Role.POLICE_LIAISON: (T,    F,   F,    T,     F,      F,      T,       F,   F,      F,   T),
    Role.SERVICE_STAFF:  (T,    F,   F,    F,     T,      F,      T,       F,   T,      T,   F),
    Role.ANALYST:        (T,    F,   F,    F,     F,      T,      F,       F,   F,      F,   F),
}
# fmt: on


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("predicate", KIND_PREDICATES)
def test_a_working_account_is_what_its_role_says(role, predicate):
    expected = KIND_TABLE[role][KIND_PREDICATES.index(predicate)]
    assert getattr(permissions, predicate)(account(role)) is expected


@pytest.mark.parametrize("state", NOT_WORKING)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("predicate", KIND_PREDICATES)
def test_an_account_that_cannot_work_is_nothing(role, state, predicate):
    assert getattr(permissions, predicate)(account(role, state)) is False


def test_every_role_has_a_row_and_every_predicate_a_column():
    assert set(ROLE_COLUMNS) == set(Role) and set(ROLES_TABLE) == set(OrgKind)
    assert set(KIND_TABLE) == set(Role)
    assert all(len(row) == len(KIND_PREDICATES) for row in KIND_TABLE.values())


# -- about one organisation or thing ------------------------------------------------


def thing_of(predicate: str, org_id: int) -> object:
    """What the predicate asks about, belonging to organisation ``org_id``."""
    if predicate in ("may_work_cases", "may_administer"):
        return organisation(org_id, OrgKind.SUPPORT_ORG)
    if predicate == "may_read_case":
        return SimpleNamespace(custodian_id=org_id)
    if predicate == "may_handle_handover":
        return SimpleNamespace(force_id=org_id)
    assert predicate == "may_grant_key_to"
    colleague = StaffUser(pk=11, username="colleague", role=Role.CASEWORKER.value)
    colleague.organisation = organisation(org_id, OrgKind.SUPPORT_ORG)
    return colleague


OBJECT_PREDICATES = (
    "may_work_cases",
    "may_read_case",
    "may_administer",
    "may_grant_key_to",
    "may_handle_handover",
)
# fmt: off
OWN_ORGANISATION_TABLE = {
    #                     work_cases read_case administer grant_key handover
    Role.CASEWORKER:     (T,         T,        F,         T,        F),
    Role.ORG_ADMIN:      (T,         T,        T,         T,        F),
    Role.POLICE_LIAISON: (F,         F,        F,         T,        T),
    Role.SERVICE_STAFF:  (F,         F,        F,         T,        F),
    Role.ANALYST:        (F,         F,        F,         T,        F),
}
# fmt: on


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("predicate", OBJECT_PREDICATES)
def test_own_organisation(role, predicate):
    expected = OWN_ORGANISATION_TABLE[role][OBJECT_PREDICATES.index(predicate)]
    assert getattr(permissions, predicate)(account(role), thing_of(predicate, OWN)) is expected


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("predicate", OBJECT_PREDICATES)
def test_another_organisation_is_refused_to_every_role(role, predicate):
    assert getattr(permissions, predicate)(account(role), thing_of(predicate, OTHER)) is False


@pytest.mark.parametrize("state", NOT_WORKING)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("predicate", OBJECT_PREDICATES)
def test_own_organisation_is_refused_to_an_account_that_cannot_work(role, state, predicate):
    user = account(role, state)
    assert getattr(permissions, predicate)(user, thing_of(predicate, OWN)) is False


# -- referrals: the lifecycle says which side ---------------------------------------

SENDER, SERVICE, BYSTANDER = "sender", "service", "bystander"
S, R, N = ActorSide.SENDING_ORGANISATION, ActorSide.RECEIVING_SERVICE, ActorSide.OTHER
# fmt: off
SIDE_TABLE = {
    #                     the user's organisation is the: sender, service, neither
    Role.CASEWORKER:     (S, R, N),
    Role.ORG_ADMIN:      (S, R, N),
    Role.POLICE_LIAISON: (N, N, N),
    Role.SERVICE_STAFF:  (N, R, N),
    Role.ANALYST:        (N, N, N),
}
# fmt: on
POSITIONS = (SENDER, SERVICE, BYSTANDER)


def referral_from(position: str) -> SimpleNamespace:
    sender, service = {SENDER: (OWN, OTHER), SERVICE: (OTHER, OWN), BYSTANDER: (OTHER, 3)}[position]
    return SimpleNamespace(sender_id=sender, service_id=service)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("position", POSITIONS)
def test_referral_side(role, position):
    expected = SIDE_TABLE[role][POSITIONS.index(position)]
    user = account(role)
    assert permissions.referral_side(user, referral_from(position)) is expected
    assert permissions.may_act_on_referral(user, referral_from(position)) is (expected is not N)


@pytest.mark.parametrize("state", NOT_WORKING)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("position", POSITIONS)
def test_an_account_that_cannot_work_is_on_no_side(role, state, position):
    user = account(role, state)
    assert permissions.referral_side(user, referral_from(position)) is N
    assert permissions.may_act_on_referral(user, referral_from(position)) is False


# -- the firewall's answers -----------------------------------------------------------


@pytest.mark.parametrize("purpose", list(Purpose))
@pytest.mark.parametrize("kind", list(OrgKind))
def test_the_immigration_section_may_go_only_to_a_legal_adviser_for_legal_advice(kind, purpose):
    expected = (kind, purpose) == (OrgKind.LEGAL_ADVISER, Purpose.LEGAL_ADVICE)
    assert permissions.immigration_section_may_go_to(kind, purpose) is expected


def test_a_safeguarding_override_reaches_police_forces_and_specialist_services_only():
    assert permissions.override_recipient_kinds() == {
        OrgKind.POLICE_FORCE,
        OrgKind.SPECIALIST_SERVICE,
    }


def test_staff_page_takes_a_predicate_not_a_role():
    from safereport.accounts.access import staff_page

    with pytest.raises(TypeError, match="predicate"):
        staff_page(Role.ORG_ADMIN)  # type: ignore[arg-type]


# -- naming a report's caseworker ---------------------------------------------------

SELF, COLLEAGUE, ADMIN_COLLEAGUE, OUTSIDER, NOBODY = (
    "themselves",
    "a caseworker colleague",
    "an admin colleague",
    "a caseworker of another organisation",
    "nobody",
)
ASSIGNEES = (SELF, COLLEAGUE, ADMIN_COLLEAGUE, OUTSIDER, NOBODY)
UNASSIGNED, HELD_BY_SELF, HELD_BY_COLLEAGUE = "unassigned", "held by the user", "held by another"
CURRENTS = (UNASSIGNED, HELD_BY_SELF, HELD_BY_COLLEAGUE)
# fmt: off
ASSIGN_TABLE = {
    # role, who holds it now:     self  colleague admin outsider nobody
    (Role.CASEWORKER, UNASSIGNED):        (T,    F,        F,    F,       F),
    (Role.CASEWORKER, HELD_BY_SELF):      (T,    F,        F,    F,       T),
    (Role.CASEWORKER, HELD_BY_COLLEAGUE): (F,    F,        F,    F,       F),
    (Role.ORG_ADMIN, UNASSIGNED):         (T,    T,        T,    F,       T),
    (Role.ORG_ADMIN, HELD_BY_SELF):       (T,    T,        T,    F,       T),
    (Role.ORG_ADMIN, HELD_BY_COLLEAGUE):  (T,    T,        T,    F,       T),
}
# fmt: on


def _assignee(who: str, user: StaffUser) -> StaffUser | None:
    if who == SELF:
        return user
    if who == NOBODY:
        return None
    role = Role.ORG_ADMIN if who == ADMIN_COLLEAGUE else Role.CASEWORKER
    other = account(role, org_id=OTHER if who == OUTSIDER else OWN)
    other.pk = 20
    return other


def _report(current: str, org_id: int = OWN) -> SimpleNamespace:
    holder = {UNASSIGNED: None, HELD_BY_SELF: 10, HELD_BY_COLLEAGUE: 30}[current]
    return SimpleNamespace(custodian_id=org_id, assigned_to_id=holder)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("current", CURRENTS)
@pytest.mark.parametrize("who", ASSIGNEES)
def test_may_assign(role, current, who):
    user = account(role)
    expected = ASSIGN_TABLE.get((role, current), (F,) * len(ASSIGNEES))[ASSIGNEES.index(who)]
    assert permissions.may_assign(user, _report(current), _assignee(who, user)) is expected


@pytest.mark.parametrize("state", NOT_WORKING)
@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ORG_ADMIN])
@pytest.mark.parametrize("who", ASSIGNEES)
def test_may_assign_nothing_of_another_organisation_or_when_not_working(role, state, who):
    user = account(role)
    assert permissions.may_assign(user, _report(UNASSIGNED, OTHER), _assignee(who, user)) is False
    idle = account(role, state)
    assert permissions.may_assign(idle, _report(UNASSIGNED), _assignee(who, idle)) is False


def test_a_deactivated_colleague_cannot_be_assigned():
    admin = account(Role.ORG_ADMIN)
    gone = account(Role.CASEWORKER, DEACTIVATED)
    gone.pk = 20
    assert permissions.may_be_assigned(gone, _report(UNASSIGNED)) is False
    assert permissions.may_assign(admin, _report(UNASSIGNED), gone) is False


def test_the_roles_that_read_reports_for_routing():
    assert permissions.case_role_values() == ["caseworker", "org_admin"]


# -- the staff lifecycle: deactivation and two-admin resets -------------------------

ME, SOMEONE, THIRD = 10, 11, 12  # account() gives pk 10


def colleague_in(org_id: int, pk: int) -> StaffUser:
    person = StaffUser(pk=pk, username=f"person-{pk}", role=Role.CASEWORKER.value)
    person.organisation = organisation(org_id, OrgKind.SUPPORT_ORG)
    return person


# fmt: off
MANAGE_COLLEAGUE_TABLE = [
    # role,            colleague's org, colleague, expected
    (Role.ORG_ADMIN,      OWN,   SOMEONE, T),
    (Role.ORG_ADMIN,      OWN,   ME,      F),  # never oneself
    (Role.ORG_ADMIN,      OTHER, SOMEONE, F),
    (Role.CASEWORKER,     OWN,   SOMEONE, F),
    (Role.POLICE_LIAISON, OWN,   SOMEONE, F),
    (Role.SERVICE_STAFF,  OWN,   SOMEONE, F),
    (Role.ANALYST,        OWN,   SOMEONE, F),
]
APPROVE_RESET_TABLE = [
    # role,            reset's org, requested by, person reset, expected
    (Role.ORG_ADMIN,      OWN,   SOMEONE, THIRD,   T),
    (Role.ORG_ADMIN,      OWN,   ME,      THIRD,   F),  # the admin who asked
    (Role.ORG_ADMIN,      OWN,   SOMEONE, ME,      F),  # the person reset
    (Role.ORG_ADMIN,      OTHER, SOMEONE, THIRD,   F),
    (Role.CASEWORKER,     OWN,   SOMEONE, THIRD,   F),
    (Role.ANALYST,        OWN,   SOMEONE, THIRD,   F),
]
# fmt: on


@pytest.mark.parametrize(("role", "org_id", "pk", "expected"), MANAGE_COLLEAGUE_TABLE)
def test_may_manage_colleague(role, org_id, pk, expected):
    assert permissions.may_manage_colleague(account(role), colleague_in(org_id, pk)) is expected


@pytest.mark.parametrize(("role", "org_id", "asker", "person", "expected"), APPROVE_RESET_TABLE)
def test_may_approve_reset(role, org_id, asker, person, expected):
    reset = SimpleNamespace(organisation_id=org_id, requested_by_id=asker, staff_id=person)
    assert permissions.may_approve_reset(account(role), reset) is expected


# fmt: off
APPROVE_OVERRIDE_TABLE = [
    # role,               report's custodian, requested by, expected
    (Role.CASEWORKER,     OWN,   SOMEONE, T),
    (Role.ORG_ADMIN,      OWN,   SOMEONE, T),
    (Role.CASEWORKER,     OWN,   ME,      F),  # never one's own override
    (Role.ORG_ADMIN,      OWN,   ME,      F),
    (Role.CASEWORKER,     OTHER, SOMEONE, F),
    (Role.ORG_ADMIN,      OTHER, SOMEONE, F),
    (Role.POLICE_LIAISON, OWN,   SOMEONE, F),
    (Role.SERVICE_STAFF,  OWN,   SOMEONE, F),
    (Role.ANALYST,        OWN,   SOMEONE, F),
]
# fmt: on


@pytest.mark.parametrize(("role", "custodian", "asker", "expected"), APPROVE_OVERRIDE_TABLE)
def test_may_approve_override(role, custodian, asker, expected):
    report = SimpleNamespace(custodian_id=custodian)
    assert permissions.may_approve_override(account(role), report, asker) is expected


@pytest.mark.parametrize("state", NOT_WORKING)
def test_nobody_who_cannot_work_approves_an_override(state):
    for role in (Role.CASEWORKER, Role.ORG_ADMIN):
        report = SimpleNamespace(custodian_id=OWN)
        assert permissions.may_approve_override(account(role, state), report, SOMEONE) is False


def test_the_policy_decides_who_may_be_the_second_approver():
    assert permissions.override_approver_accepted(same_as_requester=False) is True
    assert permissions.override_approver_accepted(same_as_requester=True) is False


@pytest.mark.parametrize("state", NOT_WORKING)
def test_an_admin_who_cannot_work_manages_and_approves_nothing(state):
    admin = account(Role.ORG_ADMIN, state)
    reset = SimpleNamespace(organisation_id=OWN, requested_by_id=SOMEONE, staff_id=THIRD)
    assert permissions.may_manage_colleague(admin, colleague_in(OWN, SOMEONE)) is False
    assert permissions.may_approve_reset(admin, reset) is False


# -- the platform operator -----------------------------------------------------------


def operator_account(*, superuser: bool, active: bool, org: bool) -> StaffUser:
    user = StaffUser(pk=20, username="operator", role="", is_superuser=superuser)
    user.is_active = active
    user.organisation = organisation(OWN, OrgKind.SUPPORT_ORG) if org else None
    return user


# fmt: off
OPERATOR_TABLE = [
    # superuser, active, organisation -> is_platform_operator, may_sign_in
    (T, T, F,   T, T),
    (T, F, F,   F, F),  # deactivated
    (T, T, T,   F, F),  # a superuser inside an organisation is no operator (role "" is no staff)
    (F, T, F,   F, F),  # an ordinary account without an organisation
]
# fmt: on


@pytest.mark.parametrize(("superuser", "active", "org", "operator", "signs_in"), OPERATOR_TABLE)
def test_platform_operator(superuser, active, org, operator, signs_in):
    user = operator_account(superuser=superuser, active=active, org=org)
    assert permissions.is_platform_operator(user) is operator
    assert permissions.may_sign_in(user) is signs_in


@pytest.mark.parametrize("role", list(Role))
def test_working_staff_sign_in_and_are_no_operator(role):
    assert permissions.may_sign_in(account(role)) is True
    assert permissions.is_platform_operator(account(role)) is False


@pytest.mark.parametrize("state", NOT_WORKING)
@pytest.mark.parametrize("role", list(Role))
def test_staff_who_cannot_work_cannot_sign_in(role, state):
    assert permissions.may_sign_in(account(role, state)) is False
