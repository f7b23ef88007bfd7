"""Modern slavery and labour exploitation indicators, offers and the NRM steps."""

from __future__ import annotations

import itertools

import pytest

from safereport.core.risk import (
    EXPLOITATION_INDICATORS,
    NRM_GUIDANCE,
    NRM_HOME_OFFICE_WARNING,
    AgeGroup,
    Answer,
    ExploitationOffer,
    IncompleteAnswers,
    ItemAnswer,
    NrmConsent,
    NrmStep,
    exploitation_offers,
    nrm_next_step,
)
from safereport.core.risk.slavery import COMBINED_INDICATORS, NRM_STEP_TEXT

KEYS = [i.key for i in EXPLOITATION_INDICATORS]
SLAVERY_KEYS = [i.key for i in EXPLOITATION_INDICATORS if i.suggests_slavery]
LABOUR_ONLY_KEYS = [i.key for i in EXPLOITATION_INDICATORS if i.labour and not i.suggests_slavery]
SLAVERY_ONLY_KEYS = [i.key for i in EXPLOITATION_INDICATORS if i.suggests_slavery and not i.labour]


def answered(*yes: str, not_known: tuple[str, ...] = ()) -> dict[str, ItemAnswer]:
    result = {key: ItemAnswer(Answer.NO) for key in KEYS}
    for key in yes:
        result[key] = ItemAnswer(Answer.YES, "seen by the caseworker")
    for key in not_known:
        result[key] = ItemAnswer(Answer.NOT_KNOWN)
    return result


def test_indicators_cover_the_named_forms_of_exploitation() -> None:
    assert len(set(KEYS)) == len(KEYS)
    assert {
        "documents_held",
        "debt_bondage",
        "movement_restricted",
        "deceived_about_work",
        "threats_or_violence",
        "not_paid",
        "unlawful_deductions",
        "housing_tied_to_work",
    } <= set(KEYS)
    assert all(i.suggests_slavery or i.labour for i in EXPLOITATION_INDICATORS)
    assert all(i.question.text.endswith("?") for i in EXPLOITATION_INDICATORS)


def test_nothing_present_offers_nothing() -> None:
    result = exploitation_offers(answered())
    assert result.offers == ()
    assert not result.slavery_suspected
    assert not result.ask_again


def test_only_not_known_answers_say_ask_again() -> None:
    result = exploitation_offers(answered(not_known=("debt_bondage",)))
    assert result.offers == ()
    assert result.ask_again
    assert result.not_known == ("debt_bondage",)


@pytest.mark.parametrize("key", KEYS)
def test_each_indicator_alone_gives_the_offers_its_kind_implies(key: str) -> None:
    indicator = next(i for i in EXPLOITATION_INDICATORS if i.key == key)
    result = exploitation_offers(answered(key))
    assert result.present == (key,)
    assert [q.key for q in result.present_questions] == [key]
    nrm = ExploitationOffer.NRM_VIA_FIRST_RESPONDER in result.offers
    advice = ExploitationOffer.IMMIGRATION_LEGAL_ADVICE in result.offers
    labour = ExploitationOffer.LABOUR_RIGHTS_ORGANISATION in result.offers
    assert nrm is indicator.suggests_slavery
    assert advice is indicator.suggests_slavery  # advice always comes with the NRM offer
    assert labour is indicator.labour
    assert not result.ask_again


def test_labour_abuses_together_suggest_modern_slavery() -> None:
    below = LABOUR_ONLY_KEYS[: COMBINED_INDICATORS - 1]
    at = LABOUR_ONLY_KEYS[:COMBINED_INDICATORS]
    assert not exploitation_offers(answered(*below)).slavery_suspected
    result = exploitation_offers(answered(*at))
    assert result.slavery_suspected
    assert result.offers == (
        ExploitationOffer.NRM_VIA_FIRST_RESPONDER,
        ExploitationOffer.IMMIGRATION_LEGAL_ADVICE,
        ExploitationOffer.LABOUR_RIGHTS_ORGANISATION,
    )


def test_coercion_without_labour_abuse_offers_no_labour_rights_referral() -> None:
    result = exploitation_offers(answered(*SLAVERY_ONLY_KEYS))
    assert result.offers == (
        ExploitationOffer.NRM_VIA_FIRST_RESPONDER,
        ExploitationOffer.IMMIGRATION_LEGAL_ADVICE,
    )
    assert not result.labour_abuse


def test_every_indicator_must_be_answered() -> None:
    partial = answered()
    del partial["not_paid"]
    with pytest.raises(IncompleteAnswers, match="not_paid"):
        exploitation_offers(partial)


# --- NRM --------------------------------------------------------------------------------

EXPECTED_STEP = {
    (AgeGroup.ADULT, NrmConsent.NOT_ASKED): NrmStep.EXPLAIN_AND_ASK,
    (AgeGroup.ADULT, NrmConsent.GIVEN): NrmStep.REFER_WITH_CONSENT,
    (AgeGroup.ADULT, NrmConsent.REFUSED): NrmStep.ANONYMOUS_NOTIFICATION_ONLY,
    (AgeGroup.CHILD, NrmConsent.NOT_ASKED): NrmStep.REFER_CHILD,
    (AgeGroup.CHILD, NrmConsent.GIVEN): NrmStep.REFER_CHILD,
    (AgeGroup.CHILD, NrmConsent.REFUSED): NrmStep.REFER_CHILD,
    (AgeGroup.NOT_KNOWN, NrmConsent.NOT_ASKED): NrmStep.REFER_CHILD,
    (AgeGroup.NOT_KNOWN, NrmConsent.GIVEN): NrmStep.REFER_CHILD,
    (AgeGroup.NOT_KNOWN, NrmConsent.REFUSED): NrmStep.REFER_CHILD,
}


def test_the_step_table_covers_every_case() -> None:
    assert set(EXPECTED_STEP) == set(itertools.product(AgeGroup, NrmConsent))


@pytest.mark.parametrize(("age", "consent"), sorted(EXPECTED_STEP))
def test_nrm_next_step(age: AgeGroup, consent: NrmConsent) -> None:
    assert nrm_next_step(age, consent) is EXPECTED_STEP[(age, consent)]


def test_an_adult_is_never_referred_without_consent() -> None:
    for consent in (NrmConsent.NOT_ASKED, NrmConsent.REFUSED):
        assert nrm_next_step(AgeGroup.ADULT, consent) is not NrmStep.REFER_WITH_CONSENT


def test_guidance_carries_the_home_office_warning_and_the_consent_rules() -> None:
    assert set(NRM_STEP_TEXT) == set(NrmStep)
    assert "Home Office" in NRM_HOME_OFFICE_WARNING
    assert "full information" in NRM_HOME_OFFICE_WARNING
    sections = {s.key: s for s in NRM_GUIDANCE}
    assert sections["who_decides"].body == NRM_HOME_OFFICE_WARNING
    assert "informed consent" in sections["adults"].body
    assert "anonymous" in sections["adults"].body
    assert "Home Office" in NRM_STEP_TEXT[NrmStep.EXPLAIN_AND_ASK]
    assert "anonymous" in NRM_STEP_TEXT[NrmStep.ANONYMOUS_NOTIFICATION_ONLY]
