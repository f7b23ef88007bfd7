"""The routine referral offers for a report, from facts stored in the clear.

The crime type and what the reporter wants are stored unsealed (the inbox
needs them); the free-text needs stay sealed and are not read here. The core
(``referral_offers``) decides what to offer.
"""

from __future__ import annotations

from safereport.cases.models import Report
from safereport.core.referrals import CrimeType, ReferralOffer, referral_offers
from safereport.core.referrals.consent_offers import ReporterWants as Wants


def crime_type_of(report: Report) -> CrimeType:
    try:
        return CrimeType(report.crime_type)
    except ValueError:
        return CrimeType.OTHER  # e.g. stalking and harassment, not named by the core


def wants_of(report: Report) -> Wants | None:
    try:
        return Wants(report.wants)
    except ValueError:
        return None


def offers_for(report: Report) -> tuple[ReferralOffer, ...]:
    """The routine offers and what the reporter chose to happen. The free-text
    needs are sealed and not read: no offer claims a need nobody named."""
    return referral_offers(crime_type_of(report), wants=wants_of(report))
