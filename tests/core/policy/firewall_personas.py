"""Named people and organisations for the firewall tests.

LAWRS holds the report; Amina is its caseworker, Bea its admin, Chidi an
analyst there. The Met is a police force, Refuge a specialist service, the
law centre a legal adviser, the Home Office an immigration authority.
"""

from __future__ import annotations

from dataclasses import replace

from safereport.core.policy import Actor, Consent, DisclosureRequest, Override, Recipient
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section

LAWRS = "org-lawrs"
KALAYAAN = "org-kalayaan"

AMINA = Actor("staff-amina", LAWRS, Role.CASEWORKER)
BEA = Actor("staff-bea", LAWRS, Role.ORG_ADMIN)
CHIDI = Actor("staff-chidi", LAWRS, Role.ANALYST)
DARIA = Actor("staff-daria", KALAYAAN, Role.CASEWORKER)
PC_EVANS = Actor("staff-evans", "org-met", Role.POLICE_LIAISON)

MET = Recipient("org-met", OrgKind.POLICE_FORCE)
REFUGE = Recipient("org-refuge", OrgKind.SPECIALIST_SERVICE)
MARAC = Recipient("org-marac", OrgKind.SPECIALIST_SERVICE)
LAW_CENTRE = Recipient("org-law-centre", OrgKind.LEGAL_ADVISER)
FLEX = Recipient("org-flex", OrgKind.LABOUR_RIGHTS)
HOME_OFFICE = Recipient("org-home-office", OrgKind.IMMIGRATION_AUTHORITY)

INCIDENT = frozenset({Section.INCIDENT})
INCIDENT_CONTACT = frozenset({Section.INCIDENT, Section.CONTACT})
IMMIGRATION = frozenset({Section.IMMIGRATION})
EVERY_SECTION = frozenset(Section)

RISK = "He has threatened to kill her tonight and knows where she is staying."


def consent(
    recipient: Recipient,
    purpose: Purpose,
    sections: frozenset[Section],
    *,
    withdrawn: bool = False,
) -> Consent:
    return Consent(recipient.organisation_id, purpose, sections, withdrawn)


def override_by(approver: Actor, reason: str = RISK) -> Override:
    return Override(reason, approver.staff_id, approver.organisation_id)


def to_police_with_consent() -> DisclosureRequest:
    """Amina sends the incident to the Met for investigation; the reporter agreed."""
    return DisclosureRequest(
        actor=AMINA,
        custodian_organisation_id=LAWRS,
        recipient=MET,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=INCIDENT,
        consents=(consent(MET, Purpose.CRIME_INVESTIGATION, INCIDENT_CONTACT),),
    )


def to_police_under_override() -> DisclosureRequest:
    """Amina sends the incident to the Met under an override Bea approved; no consent."""
    return replace(
        to_police_with_consent(),
        purpose=Purpose.SAFEGUARDING,
        consents=(),
        override=override_by(BEA),
    )


def immigration_to_law_centre() -> DisclosureRequest:
    """Amina sends the immigration section to the law centre for legal advice, with consent."""
    return DisclosureRequest(
        actor=AMINA,
        custodian_organisation_id=LAWRS,
        recipient=LAW_CENTRE,
        purpose=Purpose.LEGAL_ADVICE,
        sections=IMMIGRATION,
        consents=(consent(LAW_CENTRE, Purpose.LEGAL_ADVICE, IMMIGRATION),),
    )


def by_lawrs(
    purpose: Purpose,
    recipient: Recipient,
    *,
    sections: frozenset[Section],
    agreed: Recipient | None = None,
    agreed_purpose: Purpose | None = None,
    agreed_sections: frozenset[Section] | None = None,
    withdrawn: bool = False,
    override: bool = False,
    approver: Actor = BEA,
    actor: Actor = AMINA,
) -> DisclosureRequest:
    """A disclosure by LAWRS (Amina unless ``actor``) for ``purpose``: with the
    reporter's consent to ``agreed`` (for ``agreed_purpose`` and
    ``agreed_sections``, by default the request's own), or under an override
    approved by ``approver``. The truth tables of the transfer and
    coordinated-support purposes are built with it."""
    consents: tuple[Consent, ...] = ()
    if agreed is not None:
        consents = (
            consent(
                agreed,
                agreed_purpose or purpose,
                sections if agreed_sections is None else agreed_sections,
                withdrawn=withdrawn,
            ),
        )
    return DisclosureRequest(
        actor=actor,
        custodian_organisation_id=LAWRS,
        recipient=recipient,
        purpose=purpose,
        sections=sections,
        consents=consents,
        override=override_by(approver) if override else None,
    )
