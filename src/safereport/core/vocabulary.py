"""The words SafeReport shares across the core and the apps.

One place for the closed sets the firewall reasons about. Django models use
these values as their choices; the Cedar schema names the same values.
"""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    """What kind of organisation a recipient or custodian is."""

    SUPPORT_ORG = "support_org"
    POLICE_FORCE = "police_force"
    SPECIALIST_SERVICE = "specialist_service"
    LEGAL_ADVISER = "legal_adviser"
    LABOUR_RIGHTS = "labour_rights"
    OVERSIGHT = "oversight"
    # Exists only so the firewall can name it and refuse it.
    IMMIGRATION_AUTHORITY = "immigration_authority"


class Role(StrEnum):
    """What a staff member does inside their organisation."""

    CASEWORKER = "caseworker"
    ORG_ADMIN = "org_admin"
    POLICE_LIAISON = "police_liaison"
    SERVICE_STAFF = "service_staff"
    ANALYST = "analyst"


class Section(StrEnum):
    """The separately encrypted parts of a report."""

    INCIDENT = "incident"
    PERPETRATOR = "perpetrator"
    IDENTITY = "identity"
    CONTACT = "contact"
    SUPPORT_NEEDS = "support_needs"
    IMMIGRATION = "immigration"
    ATTACHMENTS = "attachments"


class Purpose(StrEnum):
    """Why data would leave its custodian. A closed set."""

    SUPPORT_REFERRAL = "support_referral"
    CRIME_INVESTIGATION = "crime_investigation"
    SAFEGUARDING = "safeguarding"
    LEGAL_ADVICE = "legal_advice"
    # -- transfer of custody (issue 13, item 3) --
    # Continuing support elsewhere: the whole report moves to another support
    # organisation or specialist service, which becomes its custodian.
    TRANSFER = "transfer"
    # -- end transfer --
    # -- coordinated support (issue 16) --
    # Two reports name the same person or business and both reporters agreed
    # that their caseworkers work together: each organisation tells the other
    # that it holds one of the reports, and its reference. No section leaves.
    COORDINATED_SUPPORT = "coordinated_support"
    # -- end coordinated support --
    # Exists only so the firewall can name it and refuse it.
    IMMIGRATION_ENFORCEMENT = "immigration_enforcement"


# Organisation kinds that may hold staff accounts. An immigration authority
# is named so it can be refused; it never gets a login.
STAFFED_ORG_KINDS: frozenset[OrgKind] = frozenset(OrgKind) - {OrgKind.IMMIGRATION_AUTHORITY}

# Which roles make sense in which kind of organisation.
ROLES_BY_ORG_KIND: dict[OrgKind, frozenset[Role]] = {
    OrgKind.SUPPORT_ORG: frozenset({Role.CASEWORKER, Role.ORG_ADMIN, Role.ANALYST}),
    OrgKind.POLICE_FORCE: frozenset({Role.POLICE_LIAISON, Role.ORG_ADMIN}),
    OrgKind.SPECIALIST_SERVICE: frozenset({Role.SERVICE_STAFF, Role.ORG_ADMIN}),
    OrgKind.LEGAL_ADVISER: frozenset({Role.SERVICE_STAFF, Role.ORG_ADMIN}),
    OrgKind.LABOUR_RIGHTS: frozenset({Role.SERVICE_STAFF, Role.CASEWORKER, Role.ORG_ADMIN}),
    OrgKind.OVERSIGHT: frozenset({Role.ANALYST, Role.ORG_ADMIN}),
    OrgKind.IMMIGRATION_AUTHORITY: frozenset(),
}


class CrimeType(StrEnum):
    """What the reporter says happened (the journey's first question)."""

    DOMESTIC_ABUSE = "domestic_abuse"
    SEXUAL_VIOLENCE = "sexual_violence"
    STALKING_HARASSMENT = "stalking_harassment"
    MODERN_SLAVERY = "modern_slavery"
    LABOUR_EXPLOITATION = "labour_exploitation"
    HATE_CRIME = "hate_crime"
    OTHER = "other"
