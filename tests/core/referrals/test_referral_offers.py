"""Which referrals are offered, per crime type, need, risk and indicators."""

from __future__ import annotations

from datetime import date

import pytest

from safereport.core.referrals import (
    RECIPIENT_ORG_KIND,
    REFERRAL_PURPOSE,
    CrimeType,
    OfferBasis,
    ReferralKind,
    ReferralOffer,
    SupportNeed,
    referral_offers,
)
from safereport.core.referrals.kinds import KIND_LABELS
from safereport.core.risk import (
    EXPLOITATION_INDICATORS,
    Answer,
    ExploitationResult,
    Incident,
    ItemAnswer,
    RiskAssessment,
    RiskResult,
    assess,
    exploitation_offers,
)
from safereport.core.risk.checklist import DOMESTIC_ABUSE_QUESTIONS, IMMIGRATION_ABUSE_INDICATORS
from safereport.core.vocabulary import OrgKind, Purpose

K = ReferralKind
DAY = date(2026, 6, 1)


def kinds(offers: tuple[ReferralOffer, ...]) -> list[ReferralKind]:
    return [o.kind for o in offers]


def risk_result(yes: int, *, immigration: tuple[str, ...] = ()) -> RiskResult:
    keys = [q.key for q in DOMESTIC_ABUSE_QUESTIONS]
    return assess(
        RiskAssessment(
            assessed_on=DAY,
            incident=Incident(DAY, "P1"),
            answers={
                k: ItemAnswer(Answer.YES if i < yes else Answer.NO) for i, k in enumerate(keys)
            },
            immigration_answers={
                q.key: ItemAnswer(Answer.YES if q.key in immigration else Answer.NO)
                for q in IMMIGRATION_ABUSE_INDICATORS
            },
            honour_based_abuse=ItemAnswer(Answer.NO),
        )
    )


def exploitation(*yes: str) -> ExploitationResult:
    return exploitation_offers(
        {
            i.key: ItemAnswer(Answer.YES if i.key in yes else Answer.NO)
            for i in EXPLOITATION_INDICATORS
        }
    )


ROUTINE = {
    CrimeType.DOMESTIC_ABUSE: [K.DOMESTIC_ABUSE_SERVICE],
    CrimeType.SEXUAL_VIOLENCE: [K.COUNSELLING],
    CrimeType.MODERN_SLAVERY: [K.IMMIGRATION_LEGAL_ADVISER, K.MODERN_SLAVERY_FIRST_RESPONDER],
    CrimeType.LABOUR_EXPLOITATION: [K.LABOUR_RIGHTS_ORGANISATION],
    CrimeType.STALKING_HARASSMENT: [],
    CrimeType.HATE_CRIME: [],
    CrimeType.OTHER: [],
}


@pytest.mark.parametrize("crime", list(CrimeType))
def test_routine_offers_per_crime_type(crime: CrimeType) -> None:
    offers = referral_offers(crime)
    assert kinds(offers) == ROUTINE[crime]
    assert all(o.routine and o.basis is OfferBasis.ROUTINE for o in offers)


def test_every_domestic_abuse_report_is_offered_a_specialist_service() -> None:
    for needs in ([], list(SupportNeed)):
        offers = referral_offers(CrimeType.DOMESTIC_ABUSE, needs, risk=risk_result(0))
        first = offers[0]
        assert first.kind is K.DOMESTIC_ABUSE_SERVICE
        assert first.routine


NEEDS = {
    # (need, crime): kind offered, or None
    (SupportNeed.SAFE_HOUSING, CrimeType.DOMESTIC_ABUSE): K.REFUGE,
    (SupportNeed.SAFE_HOUSING, CrimeType.HATE_CRIME): None,
    (SupportNeed.EMOTIONAL_SUPPORT, CrimeType.HATE_CRIME): K.COUNSELLING,
    (SupportNeed.EMOTIONAL_SUPPORT, CrimeType.DOMESTIC_ABUSE): K.COUNSELLING,
    (SupportNeed.IMMIGRATION_ADVICE, CrimeType.OTHER): K.IMMIGRATION_LEGAL_ADVISER,
    (SupportNeed.IMMIGRATION_ADVICE, CrimeType.DOMESTIC_ABUSE): K.IMMIGRATION_LEGAL_ADVISER,
    (SupportNeed.WORK_AND_PAY, CrimeType.DOMESTIC_ABUSE): K.LABOUR_RIGHTS_ORGANISATION,
    (SupportNeed.POLICE_AND_COURT_SUPPORT, CrimeType.DOMESTIC_ABUSE): K.IDVA_SERVICE,
    (SupportNeed.POLICE_AND_COURT_SUPPORT, CrimeType.SEXUAL_VIOLENCE): None,
}


@pytest.mark.parametrize(("need", "crime"), sorted(NEEDS))
def test_needs_add_offers(need: SupportNeed, crime: CrimeType) -> None:
    offered = referral_offers(crime, [need])
    extra = [o for o in offered if not o.routine]
    want = NEEDS[(need, crime)]
    if want is None:
        assert extra == []
    else:
        assert [o.kind for o in extra] == [want]
        assert extra[0].basis is OfferBasis.NEED


def test_high_risk_domestic_abuse_adds_an_idva() -> None:
    high = referral_offers(CrimeType.DOMESTIC_ABUSE, risk=risk_result(15))
    low = referral_offers(CrimeType.DOMESTIC_ABUSE, risk=risk_result(13))
    assert kinds(high) == [K.DOMESTIC_ABUSE_SERVICE, K.IDVA_SERVICE]
    assert high[1].basis is OfferBasis.RISK
    assert kinds(low) == [K.DOMESTIC_ABUSE_SERVICE]


def test_immigration_abuse_adds_an_immigration_legal_adviser() -> None:
    offers = referral_offers(
        CrimeType.DOMESTIC_ABUSE, risk=risk_result(2, immigration=("documents_withheld",))
    )
    assert kinds(offers) == [K.DOMESTIC_ABUSE_SERVICE, K.IMMIGRATION_LEGAL_ADVISER]
    assert offers[1].basis is OfferBasis.RISK


def test_exploitation_indicators_add_first_responder_advice_and_labour_rights() -> None:
    offers = referral_offers(
        CrimeType.LABOUR_EXPLOITATION, exploitation=exploitation("debt_bondage")
    )
    assert kinds(offers) == [
        K.LABOUR_RIGHTS_ORGANISATION,
        K.IMMIGRATION_LEGAL_ADVISER,
        K.MODERN_SLAVERY_FIRST_RESPONDER,
    ]
    assert offers[0].routine
    assert {OfferBasis.ROUTINE, OfferBasis.INDICATORS} == {r.basis for r in offers[0].reasons}
    assert offers[1].basis is OfferBasis.INDICATORS


def test_labour_exploitation_without_slavery_signs_offers_no_first_responder() -> None:
    offers = referral_offers(CrimeType.LABOUR_EXPLOITATION, exploitation=exploitation("not_paid"))
    assert kinds(offers) == [K.LABOUR_RIGHTS_ORGANISATION]


def test_one_offer_per_kind_with_every_reason() -> None:
    offers = referral_offers(
        CrimeType.MODERN_SLAVERY,
        [SupportNeed.IMMIGRATION_ADVICE, SupportNeed.IMMIGRATION_ADVICE],
        exploitation=exploitation("forced_crime"),
    )
    adviser = [o for o in offers if o.kind is K.IMMIGRATION_LEGAL_ADVISER]
    assert len(adviser) == 1
    assert [r.basis for r in adviser[0].reasons] == [
        OfferBasis.ROUTINE,
        OfferBasis.INDICATORS,
        OfferBasis.NEED,
    ]
    assert len(kinds(offers)) == len(set(kinds(offers)))


def test_offers_come_routine_first_then_risk_then_need() -> None:
    offers = referral_offers(
        CrimeType.DOMESTIC_ABUSE,
        [SupportNeed.EMOTIONAL_SUPPORT, SupportNeed.SAFE_HOUSING],
        risk=risk_result(20),
    )
    assert kinds(offers) == [
        K.DOMESTIC_ABUSE_SERVICE,
        K.IDVA_SERVICE,
        K.REFUGE,
        K.COUNSELLING,
    ]
    assert [o.basis for o in offers] == [
        OfferBasis.ROUTINE,
        OfferBasis.RISK,
        OfferBasis.NEED,
        OfferBasis.NEED,
    ]


def test_no_referral_kind_leads_to_an_immigration_authority() -> None:
    assert set(RECIPIENT_ORG_KIND) == set(ReferralKind) == set(KIND_LABELS)
    assert OrgKind.IMMIGRATION_AUTHORITY not in RECIPIENT_ORG_KIND.values()
    assert Purpose.IMMIGRATION_ENFORCEMENT not in REFERRAL_PURPOSE.values()
    assert REFERRAL_PURPOSE[K.IMMIGRATION_LEGAL_ADVISER] is Purpose.LEGAL_ADVICE
    assert RECIPIENT_ORG_KIND[K.IMMIGRATION_LEGAL_ADVISER] is OrgKind.LEGAL_ADVISER
    assert RECIPIENT_ORG_KIND[K.LABOUR_RIGHTS_ORGANISATION] is OrgKind.LABOUR_RIGHTS
