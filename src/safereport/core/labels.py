"""The words people read for organisation kinds and staff roles, and for the
purposes and sections of a disclosure.

Marked for translation without Django (``core.i18n``); the apps translate
them when they show them (``accounts.models`` and ``disclosures.models`` keep
lazily translated copies for forms and pages).
"""

from __future__ import annotations

from safereport.core.i18n import gettext_noop
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section

ORG_KIND_LABELS: dict[OrgKind, str] = {
    OrgKind.SUPPORT_ORG: gettext_noop("Support organisation"),
    OrgKind.POLICE_FORCE: gettext_noop("Police force"),
    OrgKind.SPECIALIST_SERVICE: gettext_noop("Specialist service"),
    OrgKind.LEGAL_ADVISER: gettext_noop("Legal adviser"),
    OrgKind.LABOUR_RIGHTS: gettext_noop("Labour-rights organisation"),
    OrgKind.OVERSIGHT: gettext_noop("Oversight body"),
    OrgKind.IMMIGRATION_AUTHORITY: gettext_noop("Immigration authority (named only to be refused)"),
}
ROLE_LABELS: dict[Role, str] = {
    Role.CASEWORKER: gettext_noop("Caseworker"),
    Role.ORG_ADMIN: gettext_noop("Organisation admin"),
    Role.POLICE_LIAISON: gettext_noop("Police liaison officer"),
    Role.SERVICE_STAFF: gettext_noop("Service staff"),
    Role.ANALYST: gettext_noop("Analyst"),
}
PURPOSE_LABELS: dict[Purpose, str] = {
    Purpose.SUPPORT_REFERRAL: gettext_noop("Support and referral"),
    Purpose.CRIME_INVESTIGATION: gettext_noop("Investigation of a crime"),
    Purpose.SAFEGUARDING: gettext_noop("Safeguarding"),
    Purpose.LEGAL_ADVICE: gettext_noop("Legal advice"),
    Purpose.TRANSFER: gettext_noop("Continuing support at another organisation"),
    Purpose.COORDINATED_SUPPORT: gettext_noop(
        "Coordinated support (two reports name the same person or business)"
    ),
    Purpose.IMMIGRATION_ENFORCEMENT: gettext_noop(
        "Immigration control or enforcement (always refused)"
    ),
}
SECTION_LABELS: dict[Section, str] = {
    Section.INCIDENT: gettext_noop("What happened (when, where, what)"),
    Section.PERPETRATOR: gettext_noop("The person who did it"),
    Section.IDENTITY: gettext_noop("The reporter's identity"),
    Section.CONTACT: gettext_noop("Safe contact plan"),
    Section.SUPPORT_NEEDS: gettext_noop("Support needs"),
    Section.IMMIGRATION: gettext_noop("Immigration information (legal adviser only)"),
    Section.ATTACHMENTS: gettext_noop("Attachments"),
}
