"""The routine referral offers for a report, from facts stored in the clear.

The crime type and what the reporter wants are stored unsealed (the inbox
needs them); the free-text needs stay sealed and are not read here. The core
(``referral_offers``) decides what to offer.
"""

from __future__ import annotations

from safereport.cases.models import Report, ReporterWants
from safereport.core.referrals import CrimeType, ReferralOffer, SupportNeed, referral_offers

# What the reporter wants -> the need it names for the offers.
NEEDS_FROM_WANTS: dict[str, tuple[SupportNeed, ...]] = {
    ReporterWants.SUPPORT_ONLY.value: (),
    ReporterWants.POLICE_THROUGH_ORGANISATION.value: (SupportNeed.POLICE_AND_COURT_SUPPORT,),
    ReporterWants.ANONYMOUS_INFORMATION_TO_POLICE.value: (),
    ReporterWants.LEGAL_ADVICE.value: (SupportNeed.IMMIGRATION_ADVICE,),
}


def crime_type_of(report: Report) -> CrimeType:
    try:
        return CrimeType(report.crime_type)
    except ValueError:
        return CrimeType.OTHER  # e.g. stalking and harassment, not named by the core


def offers_for(report: Report) -> tuple[ReferralOffer, ...]:
    return referral_offers(crime_type_of(report), NEEDS_FROM_WANTS.get(report.wants, ()))
