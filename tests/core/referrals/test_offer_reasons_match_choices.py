"""Every suggested referral says why in words true to what the reporter chose.

Over every crime type and every answer to "What would you like to happen?":
a reason that speaks of the person's wishes repeats their choice, and no
reason claims a wish (an adviser through police and court, immigration
advice, a safe place, someone to talk to) the person never expressed.
"""

from __future__ import annotations

import itertools

import pytest

from safereport.core.referrals import (
    CrimeType,
    OfferBasis,
    ReferralKind,
    SupportNeed,
    referral_offers,
)
from safereport.core.referrals.consent_offers import ReporterWants
from safereport.core.referrals.offers import NEED_OFFERS, ROUTINE_OFFERS

# What the reporter saw for each answer (intake/forms.py WantsForm), in the words
# a reason must echo when it rests on that answer.
CHOICE_WORDS = {
    ReporterWants.SUPPORT_ONLY: None,
    ReporterWants.POLICE_THROUGH_ORGANISATION: (
        "help to report to the police through the organisation"
    ),
    ReporterWants.ANONYMOUS_INFORMATION_TO_POLICE: None,
    ReporterWants.LEGAL_ADVICE: "free, independent legal advice",
}
NEED_TEXTS = {text for _kind, _crimes, text in NEED_OFFERS.values()}


@pytest.mark.parametrize(
    ("crime", "wants"), list(itertools.product(CrimeType, [*ReporterWants, None]))
)
def test_every_reason_is_routine_or_echoes_the_choice(crime, wants):
    offers = referral_offers(crime, wants=wants)
    routine_texts = {text for _kind, text in ROUTINE_OFFERS[crime]}
    for offer in offers:
        for reason in offer.reasons:
            assert reason.text not in NEED_TEXTS, (crime, wants, reason.text)
            if reason.basis is OfferBasis.ROUTINE:
                assert reason.text in routine_texts
            else:
                assert reason.basis is OfferBasis.CHOICE
                words = CHOICE_WORDS[wants] if wants else None
                assert words is not None, f"{crime}/{wants}: a reason from no choice"
                assert words in reason.text, (crime, wants, reason.text)


@pytest.mark.parametrize("crime", list(CrimeType))
def test_what_each_choice_adds(crime):
    routine = {o.kind for o in referral_offers(crime)}

    def added(wants: ReporterWants) -> set[ReferralKind]:
        return {
            o.kind
            for o in referral_offers(crime, wants=wants)
            if any(r.basis is OfferBasis.CHOICE for r in o.reasons)
        }

    assert added(ReporterWants.SUPPORT_ONLY) == set()
    assert added(ReporterWants.ANONYMOUS_INFORMATION_TO_POLICE) == set()
    police = added(ReporterWants.POLICE_THROUGH_ORGANISATION)
    assert police == ({ReferralKind.IDVA_SERVICE} if crime is CrimeType.DOMESTIC_ABUSE else set())
    assert added(ReporterWants.LEGAL_ADVICE) == {ReferralKind.IMMIGRATION_LEGAL_ADVISER}
    # A choice adds reasons; it never takes a routine offer away.
    for wants in ReporterWants:
        assert routine <= {o.kind for o in referral_offers(crime, wants=wants)}


def test_the_idva_for_a_police_report_no_longer_says_court_was_asked_for():
    (idva,) = [
        o
        for o in referral_offers(
            CrimeType.DOMESTIC_ABUSE, wants=ReporterWants.POLICE_THROUGH_ORGANISATION
        )
        if o.kind is ReferralKind.IDVA_SERVICE
    ]
    texts = [r.text for r in idva.reasons]
    assert not any("would like an adviser with them" in t for t in texts)
    assert texts == [
        "They chose help to report to the police through the organisation: an IDVA supports "
        "people through the police and court process, if they want one."
    ]


def test_a_named_need_still_gives_its_own_reason_beside_the_choice():
    (adviser,) = [
        o
        for o in referral_offers(
            CrimeType.MODERN_SLAVERY,
            [SupportNeed.IMMIGRATION_ADVICE],
            wants=ReporterWants.LEGAL_ADVICE,
        )
        if o.kind is ReferralKind.IMMIGRATION_LEGAL_ADVISER
    ]
    assert [r.basis for r in adviser.reasons] == [
        OfferBasis.ROUTINE,
        OfferBasis.CHOICE,
        OfferBasis.NEED,
    ]
