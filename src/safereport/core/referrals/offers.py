"""Which referrals to offer, for a crime type and the person's needs.

The routine offer: **every domestic-abuse report is offered a referral to a
specialist domestic-abuse service.** Each crime type has such a routine
offer where a specialist kind exists (modern slavery: a first responder and
independent immigration advice; labour exploitation: a labour-rights
organisation; sexual violence: counselling). On top of it:

* what the person chose to happen adds an offer, whose reason repeats
  their choice and nothing more (help to report to the police through the
  organisation: an IDVA, for domestic abuse; free, independent legal
  advice: an immigration legal adviser);
* needs the person names add offers (safe housing: a refuge, for domestic
  abuse; emotional support: counselling; immigration advice: an immigration
  legal adviser; work and pay: a labour-rights organisation; support
  through the police and courts: an IDVA, for domestic abuse);
* a risk result adds offers: high risk adds an IDVA (IDVAs work with people
  at high risk and with the MARAC); immigration-related abuse adds an
  immigration legal adviser;
* an exploitation result adds what it suggests (a first responder for the
  NRM, immigration advice first, a labour-rights organisation).

An offer is only an offer. Nothing is sent until the person agrees, and the
referral is then a disclosure that the firewall policy decides, with the
person's recorded consent for that recipient, purpose and sections.
``referral_offers`` returns one offer per kind, with every reason for it,
routine offers first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from safereport.core.i18n import gettext_noop
from safereport.core.referrals.consent_offers import ReporterWants
from safereport.core.referrals.kinds import ReferralKind
from safereport.core.risk.assessment import RiskFlag, RiskLevel, RiskResult
from safereport.core.risk.slavery import ExploitationOffer, ExploitationResult
from safereport.core.vocabulary import CrimeType


class SupportNeed(StrEnum):
    SAFE_HOUSING = "safe_housing"
    EMOTIONAL_SUPPORT = "emotional_support"
    IMMIGRATION_ADVICE = "immigration_advice"
    WORK_AND_PAY = "work_and_pay"
    POLICE_AND_COURT_SUPPORT = "police_and_court_support"


class OfferBasis(StrEnum):
    """Why an offer is made, strongest first."""

    ROUTINE = "routine"  # every report of this crime type gets it
    RISK = "risk"  # from the risk assessment
    INDICATORS = "indicators"  # from the exploitation indicators
    CHOICE = "choice"  # what the person chose to happen
    NEED = "need"  # the person asked for this kind of help


_BASIS_ORDER = list(OfferBasis)


@dataclass(frozen=True, slots=True)
class OfferReason:
    basis: OfferBasis
    text: str


@dataclass(frozen=True, slots=True)
class ReferralOffer:
    kind: ReferralKind
    reasons: tuple[OfferReason, ...]

    @property
    def basis(self) -> OfferBasis:
        """The strongest reason's basis."""
        return min((r.basis for r in self.reasons), key=_BASIS_ORDER.index)

    @property
    def routine(self) -> bool:
        return any(r.basis is OfferBasis.ROUTINE for r in self.reasons)


ROUTINE_OFFERS: Mapping[CrimeType, tuple[tuple[ReferralKind, str], ...]] = {
    CrimeType.DOMESTIC_ABUSE: (
        (
            ReferralKind.DOMESTIC_ABUSE_SERVICE,
            gettext_noop("Every report of domestic abuse is offered a specialist service."),
        ),
    ),
    CrimeType.SEXUAL_VIOLENCE: (
        (
            ReferralKind.COUNSELLING,
            gettext_noop("Every report of sexual violence is offered counselling."),
        ),
    ),
    CrimeType.MODERN_SLAVERY: (
        (
            ReferralKind.MODERN_SLAVERY_FIRST_RESPONDER,
            gettext_noop(
                "A first responder can explain the National Referral Mechanism and make a "
                "referral if the person agrees."
            ),
        ),
        (
            ReferralKind.IMMIGRATION_LEGAL_ADVISER,
            gettext_noop(
                "NRM decisions are made by the Home Office: independent immigration advice "
                "helps the person decide with full information."
            ),
        ),
    ),
    CrimeType.LABOUR_EXPLOITATION: (
        (
            ReferralKind.LABOUR_RIGHTS_ORGANISATION,
            gettext_noop("Every report of labour exploitation is offered a labour-rights group."),
        ),
    ),
    CrimeType.STALKING_HARASSMENT: (),
    CrimeType.HATE_CRIME: (),
    CrimeType.OTHER: (),
}

_DOMESTIC_ONLY = frozenset({CrimeType.DOMESTIC_ABUSE})

# need -> (kind, crime types it applies to (None: all), reason)
NEED_OFFERS: Mapping[SupportNeed, tuple[ReferralKind, frozenset[CrimeType] | None, str]] = {
    SupportNeed.SAFE_HOUSING: (
        ReferralKind.REFUGE,
        _DOMESTIC_ONLY,
        gettext_noop("The person needs a safe place to stay."),
    ),
    SupportNeed.EMOTIONAL_SUPPORT: (
        ReferralKind.COUNSELLING,
        None,
        gettext_noop("The person would like emotional support."),
    ),
    SupportNeed.IMMIGRATION_ADVICE: (
        ReferralKind.IMMIGRATION_LEGAL_ADVISER,
        None,
        gettext_noop("The person would like independent immigration advice."),
    ),
    SupportNeed.WORK_AND_PAY: (
        ReferralKind.LABOUR_RIGHTS_ORGANISATION,
        None,
        gettext_noop("The person needs help with work, pay or conditions."),
    ),
    SupportNeed.POLICE_AND_COURT_SUPPORT: (
        ReferralKind.IDVA_SERVICE,
        _DOMESTIC_ONLY,
        gettext_noop("The person would like an adviser with them through police and court."),
    ),
}

# What the person chose to happen -> (kind, crime types (None: all), reason).
# The reason says what they chose, in the words of the choice they saw, and
# why the kind helps with it: never a wish they did not express.
WANTS_OFFERS: Mapping[
    ReporterWants, tuple[tuple[ReferralKind, frozenset[CrimeType] | None, str], ...]
] = {
    ReporterWants.SUPPORT_ONLY: (),
    ReporterWants.POLICE_THROUGH_ORGANISATION: (
        (
            ReferralKind.IDVA_SERVICE,
            _DOMESTIC_ONLY,
            gettext_noop(
                "They chose help to report to the police through the organisation: an IDVA "
                "supports people through the police and court process, if they want one."
            ),
        ),
    ),
    ReporterWants.ANONYMOUS_INFORMATION_TO_POLICE: (),
    ReporterWants.LEGAL_ADVICE: (
        (
            ReferralKind.IMMIGRATION_LEGAL_ADVISER,
            None,
            gettext_noop(
                "They asked for free, independent legal advice: an immigration legal adviser "
                "gives it."
            ),
        ),
    ),
}

_EXPLOITATION_KIND: Mapping[ExploitationOffer, tuple[ReferralKind, str]] = {
    ExploitationOffer.NRM_VIA_FIRST_RESPONDER: (
        ReferralKind.MODERN_SLAVERY_FIRST_RESPONDER,
        gettext_noop("The answers show signs of modern slavery."),
    ),
    ExploitationOffer.IMMIGRATION_LEGAL_ADVICE: (
        ReferralKind.IMMIGRATION_LEGAL_ADVISER,
        gettext_noop("Independent immigration advice before any decision about the NRM."),
    ),
    ExploitationOffer.LABOUR_RIGHTS_ORGANISATION: (
        ReferralKind.LABOUR_RIGHTS_ORGANISATION,
        gettext_noop("The answers show labour-rights abuses."),
    ),
}


def referral_offers(
    crime_type: CrimeType,
    needs: Iterable[SupportNeed] = (),
    *,
    wants: ReporterWants | None = None,
    risk: RiskResult | None = None,
    exploitation: ExploitationResult | None = None,
) -> tuple[ReferralOffer, ...]:
    """The referrals to offer (with consent), one per kind, routine ones first."""
    found: dict[ReferralKind, list[OfferReason]] = {}

    def add(kind: ReferralKind, basis: OfferBasis, text: str) -> None:
        found.setdefault(kind, []).append(OfferReason(basis, text))

    for kind, text in ROUTINE_OFFERS[crime_type]:
        add(kind, OfferBasis.ROUTINE, text)

    if risk is not None:
        if crime_type is CrimeType.DOMESTIC_ABUSE and risk.level is RiskLevel.HIGH:
            add(
                ReferralKind.IDVA_SERVICE,
                OfferBasis.RISK,
                gettext_noop("The risk assessment suggests high risk: an IDVA can help."),
            )
        if RiskFlag.IMMIGRATION_ABUSE in risk.flags:
            add(
                ReferralKind.IMMIGRATION_LEGAL_ADVISER,
                OfferBasis.RISK,
                gettext_noop("Immigration is being used as a weapon: independent advice helps."),
            )

    if exploitation is not None:
        for offer in exploitation.offers:
            kind, text = _EXPLOITATION_KIND[offer]
            add(kind, OfferBasis.INDICATORS, text)

    if wants is not None:
        for kind, crimes, text in WANTS_OFFERS[wants]:
            if crimes is None or crime_type in crimes:
                add(kind, OfferBasis.CHOICE, text)

    for need in dict.fromkeys(needs):
        kind, crimes, text = NEED_OFFERS[need]
        if crimes is None or crime_type in crimes:
            add(kind, OfferBasis.NEED, text)

    offers = [ReferralOffer(kind, tuple(reasons)) for kind, reasons in found.items()]
    kind_order = list(ReferralKind)
    offers.sort(key=lambda o: (_BASIS_ORDER.index(o.basis), kind_order.index(o.kind)))
    return tuple(offers)
