"""Referrals (pure; no Django): kinds, lifecycle, routine offers, legal routes.

* ``kinds``: ``ReferralKind`` and which organisation kind and purpose each
  referral implies for the firewall.
* ``lifecycle``: states and actions, ``transition`` (validate one change),
  ``allowed_actions`` and ``side_of`` (who is on which side).
* ``offers``: ``referral_offers`` (the routine offer and offers from needs,
  risk and exploitation indicators).
* ``legal_routes``: the routes a legal adviser may pursue, with default
  deadlines. The system itself never sends anything to an immigration
  authority.
"""

from __future__ import annotations

from safereport.core.referrals.errors import (
    ActionNotAvailable,
    InvalidDeadline,
    NotPermitted,
    ReasonRequired,
    ReasonTooLong,
    ReferralError,
    SameOrganisation,
)
from safereport.core.referrals.kinds import (
    KIND_LABELS,
    RECIPIENT_ORG_KIND,
    REFERRAL_PURPOSE,
    ReferralKind,
)
from safereport.core.referrals.legal_routes import (
    ROUTE_GUIDANCE,
    DeadlineAnchor,
    DeadlinePlan,
    LegalRoute,
    check_can_track_routes,
    plan_deadline,
)
from safereport.core.referrals.lifecycle import (
    EVENT_FOR_ACTION,
    FINAL_STATES,
    INITIAL_STATE,
    REPORTER_STATUS_TEXT,
    STATE_LABELS,
    ActorSide,
    ReferralAction,
    ReferralState,
    allowed_actions,
    side_of,
    transition,
)
from safereport.core.referrals.offers import (
    OfferBasis,
    ReferralOffer,
    SupportNeed,
    referral_offers,
)
from safereport.core.vocabulary import CrimeType

__all__ = [
    "EVENT_FOR_ACTION",
    "FINAL_STATES",
    "INITIAL_STATE",
    "KIND_LABELS",
    "RECIPIENT_ORG_KIND",
    "REFERRAL_PURPOSE",
    "REPORTER_STATUS_TEXT",
    "ROUTE_GUIDANCE",
    "STATE_LABELS",
    "ActionNotAvailable",
    "ActorSide",
    "CrimeType",
    "DeadlineAnchor",
    "DeadlinePlan",
    "InvalidDeadline",
    "LegalRoute",
    "NotPermitted",
    "OfferBasis",
    "ReasonRequired",
    "ReasonTooLong",
    "ReferralAction",
    "ReferralError",
    "ReferralKind",
    "ReferralOffer",
    "ReferralState",
    "SameOrganisation",
    "SupportNeed",
    "allowed_actions",
    "check_can_track_routes",
    "plan_deadline",
    "referral_offers",
    "side_of",
    "transition",
]
