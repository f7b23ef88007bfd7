"""The kinds of service a report can be referred to.

Each kind says which kind of organisation receives it (``OrgKind``) and for
which purpose the data would leave the custodian (``Purpose``), so that the
disclosure a referral needs can be put to the firewall policy in its own
words. Note that no kind is, or maps to, an immigration authority.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from safereport.core.i18n import gettext_noop
from safereport.core.vocabulary import OrgKind, Purpose


class ReferralKind(StrEnum):
    DOMESTIC_ABUSE_SERVICE = "domestic_abuse_service"
    REFUGE = "refuge"
    IDVA_SERVICE = "idva_service"
    IMMIGRATION_LEGAL_ADVISER = "immigration_legal_adviser"
    LABOUR_RIGHTS_ORGANISATION = "labour_rights_organisation"
    MODERN_SLAVERY_FIRST_RESPONDER = "modern_slavery_first_responder"
    COUNSELLING = "counselling"


KIND_LABELS: Mapping[ReferralKind, str] = {
    ReferralKind.DOMESTIC_ABUSE_SERVICE: gettext_noop("Specialist domestic-abuse service"),
    ReferralKind.REFUGE: gettext_noop("Refuge (safe housing)"),
    ReferralKind.IDVA_SERVICE: gettext_noop("Independent domestic violence adviser (IDVA)"),
    ReferralKind.IMMIGRATION_LEGAL_ADVISER: gettext_noop("Independent immigration legal adviser"),
    ReferralKind.LABOUR_RIGHTS_ORGANISATION: gettext_noop("Labour-rights organisation"),
    ReferralKind.MODERN_SLAVERY_FIRST_RESPONDER: gettext_noop("Modern slavery first responder"),
    ReferralKind.COUNSELLING: gettext_noop("Counselling"),
}

RECIPIENT_ORG_KIND: Mapping[ReferralKind, OrgKind] = {
    ReferralKind.DOMESTIC_ABUSE_SERVICE: OrgKind.SPECIALIST_SERVICE,
    ReferralKind.REFUGE: OrgKind.SPECIALIST_SERVICE,
    ReferralKind.IDVA_SERVICE: OrgKind.SPECIALIST_SERVICE,
    ReferralKind.IMMIGRATION_LEGAL_ADVISER: OrgKind.LEGAL_ADVISER,
    ReferralKind.LABOUR_RIGHTS_ORGANISATION: OrgKind.LABOUR_RIGHTS,
    ReferralKind.MODERN_SLAVERY_FIRST_RESPONDER: OrgKind.SPECIALIST_SERVICE,
    ReferralKind.COUNSELLING: OrgKind.SPECIALIST_SERVICE,
}
"""Which kind of organisation receives each kind of referral."""

REFERRAL_PURPOSE: Mapping[ReferralKind, Purpose] = {
    kind: (
        Purpose.LEGAL_ADVICE
        if kind is ReferralKind.IMMIGRATION_LEGAL_ADVISER
        else Purpose.SUPPORT_REFERRAL
    )
    for kind in ReferralKind
}
"""The purpose of the disclosure a referral of each kind needs."""
