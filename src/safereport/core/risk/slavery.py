"""Modern slavery and labour exploitation: indicators, NRM guidance, offers.

The indicators are written by us in plain English and answered yes / no /
not known like the risk checklist. Each indicator points to one or both of:

* ``suggests_slavery``: control or coercion (documents held, debt bondage,
  restricted movement, deception, threats, isolation, forced crime or sex);
* ``labour``: a breach of labour rights (no pay or unlawful deductions,
  excessive hours, housing tied to the job, recruitment fees, unsafe work).

``exploitation_offers`` turns the answers into what to offer:

* modern slavery is suspected when any control-or-coercion indicator is
  "yes", or when ``COMBINED_INDICATORS`` (3) or more indicators of any kind
  are "yes" (several labour abuses together can amount to forced labour).
  Then offer an NRM referral through a first responder, and independent
  immigration legal advice first, because NRM decisions are made by the
  Home Office and the person should decide with full information;
* any labour indicator "yes": offer a labour-rights organisation;
* nothing "yes" but something "not known": offer nothing yet and ask again
  when it is safe.

The National Referral Mechanism (NRM) guidance is structured text
(``NRM_GUIDANCE``) and ``nrm_next_step`` says what a first responder does
given the person's age group and consent: an adult is referred only with
informed consent; without it the first responder does not refer and, where
it is under the duty to notify, sends an anonymous notification instead; a
child (or someone who may be a child) needs no consent to be referred, and
children's services are involved. SafeReport itself never sends anything to
the Home Office: the first responder is a service outside the system, and
sending the case to it is a referral that needs the person's consent like
any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from safereport.core.i18n import gettext_noop
from safereport.core.risk.checklist import (
    Answer,
    ItemAnswer,
    Question,
    check_complete,
    keys_with,
)

COMBINED_INDICATORS = 3
"""This many "yes" indicators of any kind suggest modern slavery together."""


@dataclass(frozen=True, slots=True)
class Indicator:
    question: Question
    suggests_slavery: bool
    labour: bool

    @property
    def key(self) -> str:
        return self.question.key


def _indicators(
    rows: Iterable[tuple[str, str, str, bool, bool]],
) -> tuple[Indicator, ...]:
    return tuple(
        Indicator(Question(key, number, topic, text), suggests_slavery=slavery, labour=labour)
        for number, (key, topic, text, slavery, labour) in enumerate(rows, start=1)
    )


EXPLOITATION_INDICATORS: tuple[Indicator, ...] = _indicators(
    [
        (
            "documents_held",
            gettext_noop("Documents held by someone else"),
            gettext_noop(
                "Does your employer, or someone connected to the work, keep your passport, "
                "identity papers or bank card?"
            ),
            True,
            True,
        ),
        (
            "debt_bondage",
            gettext_noop("A debt you cannot pay off"),
            gettext_noop(
                "Do you owe money to the employer, a recruiter or a transporter that keeps "
                "growing or that you cannot pay off by working?"
            ),
            True,
            True,
        ),
        (
            "movement_restricted",
            gettext_noop("Not free to come and go"),
            gettext_noop(
                "Are you stopped from leaving the place where you work or live, locked in, "
                "or always watched or taken everywhere?"
            ),
            True,
            False,
        ),
        (
            "deceived_about_work",
            gettext_noop("Lied to about the job"),
            gettext_noop(
                "Is the job, the pay or the conditions very different from what you were "
                "promised before you started or before you travelled?"
            ),
            True,
            True,
        ),
        (
            "threats_or_violence",
            gettext_noop("Threats or violence"),
            gettext_noop(
                "Has anyone connected to the work hurt you, or threatened you or your family?"
            ),
            True,
            False,
        ),
        (
            "threats_of_authorities",
            gettext_noop("Threats of police or immigration"),
            gettext_noop(
                "Have you been told you will be reported to the police or immigration if you "
                "complain, leave or ask for help?"
            ),
            True,
            False,
        ),
        (
            "isolated",
            gettext_noop("Kept isolated"),
            gettext_noop(
                "Are you stopped from contacting family or friends, moved around often, or "
                "kept from knowing where you are?"
            ),
            True,
            False,
        ),
        (
            "forced_crime",
            gettext_noop("Made to commit crimes"),
            gettext_noop(
                "Are you made to do things that are against the law, such as growing or "
                "selling drugs, stealing or begging?"
            ),
            True,
            False,
        ),
        (
            "sexual_exploitation",
            gettext_noop("Made to do sexual acts"),
            gettext_noop(
                "Are you made to have sex or do sexual acts for money or favours that go to "
                "someone else?"
            ),
            True,
            False,
        ),
        (
            "not_paid",
            gettext_noop("No pay or much less than agreed"),
            gettext_noop(
                "Are you paid nothing, much less than you were promised, or is your pay held back?"
            ),
            False,
            True,
        ),
        (
            "unlawful_deductions",
            gettext_noop("Money taken from your pay"),
            gettext_noop(
                "Is money taken from your pay for housing, transport, food, fines or fees "
                "you did not agree to?"
            ),
            False,
            True,
        ),
        (
            "housing_tied_to_work",
            gettext_noop("Home tied to the job"),
            gettext_noop(
                "Do you live where the employer decides, and would you lose your home if you "
                "lost or left the job?"
            ),
            False,
            True,
        ),
        (
            "excessive_hours",
            gettext_noop("Very long hours, no days off"),
            gettext_noop("Do you work very long hours, with few or no breaks or days off?"),
            False,
            True,
        ),
        (
            "recruitment_fees",
            gettext_noop("Paid to get the job"),
            gettext_noop("Did you have to pay someone to get this job or this visa?"),
            False,
            True,
        ),
        (
            "unsafe_work",
            gettext_noop("Dangerous work"),
            gettext_noop("Are you made to do dangerous work without training or safety equipment?"),
            False,
            True,
        ),
    ]
)

EXPLOITATION_QUESTIONS: tuple[Question, ...] = tuple(i.question for i in EXPLOITATION_INDICATORS)


class ExploitationOffer(StrEnum):
    NRM_VIA_FIRST_RESPONDER = "nrm_via_first_responder"
    IMMIGRATION_LEGAL_ADVICE = "immigration_legal_advice"
    LABOUR_RIGHTS_ORGANISATION = "labour_rights_organisation"


OFFER_TEXT: Mapping[ExploitationOffer, str] = {
    ExploitationOffer.NRM_VIA_FIRST_RESPONDER: gettext_noop(
        "Offer a referral to the National Referral Mechanism through a first responder. "
        "Explain first that NRM decisions are made by the Home Office."
    ),
    ExploitationOffer.IMMIGRATION_LEGAL_ADVICE: gettext_noop(
        "Offer independent immigration legal advice before the person decides about the NRM."
    ),
    ExploitationOffer.LABOUR_RIGHTS_ORGANISATION: gettext_noop(
        "Offer a referral to a labour-rights organisation about pay, hours and conditions."
    ),
}


@dataclass(frozen=True, slots=True)
class ExploitationResult:
    present: tuple[str, ...]
    not_known: tuple[str, ...]
    slavery_suspected: bool
    labour_abuse: bool
    offers: tuple[ExploitationOffer, ...]
    ask_again: bool
    """Nothing was "yes" but something is not known: ask again when it is safe."""

    @property
    def present_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in EXPLOITATION_QUESTIONS if q.key in self.present)


def exploitation_offers(answers: Mapping[str, ItemAnswer]) -> ExploitationResult:
    """What to offer given the answered exploitation indicators (all must be answered)."""
    check_complete(answers, EXPLOITATION_QUESTIONS)
    present = keys_with(answers, EXPLOITATION_QUESTIONS, Answer.YES)
    not_known = keys_with(answers, EXPLOITATION_QUESTIONS, Answer.NOT_KNOWN)
    chosen = [i for i in EXPLOITATION_INDICATORS if i.key in present]
    slavery = any(i.suggests_slavery for i in chosen) or len(chosen) >= COMBINED_INDICATORS
    labour = any(i.labour for i in chosen)
    offers: list[ExploitationOffer] = []
    if slavery:
        offers += [
            ExploitationOffer.NRM_VIA_FIRST_RESPONDER,
            ExploitationOffer.IMMIGRATION_LEGAL_ADVICE,
        ]
    if labour:
        offers.append(ExploitationOffer.LABOUR_RIGHTS_ORGANISATION)
    return ExploitationResult(
        present=present,
        not_known=not_known,
        slavery_suspected=slavery,
        labour_abuse=labour,
        offers=tuple(offers),
        ask_again=not present and bool(not_known),
    )


# --- The National Referral Mechanism -------------------------------------------------


class AgeGroup(StrEnum):
    ADULT = "adult"
    CHILD = "child"
    # Age not known: treated as a child until it is known (a person who may be
    # under 18 is given the protections of a child).
    NOT_KNOWN = "not_known"


class NrmConsent(StrEnum):
    NOT_ASKED = "not_asked"
    GIVEN = "given"
    REFUSED = "refused"


class NrmStep(StrEnum):
    EXPLAIN_AND_ASK = "explain_and_ask"
    REFER_WITH_CONSENT = "refer_with_consent"
    ANONYMOUS_NOTIFICATION_ONLY = "anonymous_notification_only"
    REFER_CHILD = "refer_child"


NRM_STEP_TEXT: Mapping[NrmStep, str] = {
    NrmStep.EXPLAIN_AND_ASK: gettext_noop(
        "Explain the NRM, including that the Home Office makes the decisions, and ask "
        "whether the person agrees to be referred. Offer immigration legal advice first."
    ),
    NrmStep.REFER_WITH_CONSENT: gettext_noop(
        "The person has agreed with full information. A first responder can make the NRM "
        "referral. The person can still change their mind before it is made."
    ),
    NrmStep.ANONYMOUS_NOTIFICATION_ONLY: gettext_noop(
        "The person does not agree, so there is no NRM referral. A first responder that "
        "is under the duty to notify sends an anonymous notification that contains "
        "nothing that could identify them. Support from us continues."
    ),
    NrmStep.REFER_CHILD: gettext_noop(
        "A child does not need to consent to an NRM referral. A first responder refers "
        "them and children's services are involved. If the age is not known, treat the "
        "person as a child until it is."
    ),
}


def nrm_next_step(age: AgeGroup, consent: NrmConsent) -> NrmStep:
    """What a first responder does next, given age group and consent (pure)."""
    if age is not AgeGroup.ADULT:
        return NrmStep.REFER_CHILD
    if consent is NrmConsent.GIVEN:
        return NrmStep.REFER_WITH_CONSENT
    if consent is NrmConsent.REFUSED:
        return NrmStep.ANONYMOUS_NOTIFICATION_ONLY
    return NrmStep.EXPLAIN_AND_ASK


@dataclass(frozen=True, slots=True)
class GuidanceSection:
    key: str
    heading: str
    body: str


NRM_HOME_OFFICE_WARNING = gettext_noop(
    "NRM decisions are made by the Home Office. Before anyone is referred, they should "
    "know this and have had the chance to get independent immigration advice, so that "
    "they decide with full information."
)

NRM_GUIDANCE: tuple[GuidanceSection, ...] = (
    GuidanceSection(
        "what",
        gettext_noop("What the NRM is"),
        gettext_noop(
            "The National Referral Mechanism is the UK government's process for deciding "
            "whether someone is a victim of modern slavery and for giving them support, "
            "such as safe housing, money and help from a support worker."
        ),
    ),
    GuidanceSection(
        "who_decides",
        gettext_noop("Who decides"),
        NRM_HOME_OFFICE_WARNING,
    ),
    GuidanceSection(
        "first_responder",
        gettext_noop("How a referral is made"),
        gettext_noop(
            "Only a first responder organisation can make a referral. We can refer the "
            "person to a first responder we trust, with their consent, and the first "
            "responder explains the process again before anything is sent."
        ),
    ),
    GuidanceSection(
        "adults",
        gettext_noop("Adults choose"),
        gettext_noop(
            "An adult is referred only if they give informed consent. If they say no, "
            "nobody refers them. A first responder that is under the duty to notify "
            "sends an anonymous notification instead, without their name or any detail "
            "that could identify them. Saying no does not end our support."
        ),
    ),
    GuidanceSection(
        "children",
        gettext_noop("Children"),
        gettext_noop(
            "A child under 18 does not need to consent to be referred, and children's "
            "services are involved. If a person may be under 18, treat them as a child "
            "until their age is known."
        ),
    ),
    GuidanceSection(
        "our_promise",
        gettext_noop("What SafeReport never does"),
        gettext_noop(
            "SafeReport never sends anything to the Home Office or to immigration "
            "enforcement. Passing a case to a first responder is a disclosure like any "
            "other: it needs the person's consent, or a recorded safeguarding decision "
            "where a life is at risk."
        ),
    ),
)
