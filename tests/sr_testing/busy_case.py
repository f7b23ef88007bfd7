"""A case with a working history, made through the real actions: the reporter's
messages and the caseworker's replies, notes, a risk assessment, a referral
and a police handover with a question, an answer and an update."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from safereport.cases.actions import (
    NewReport,
    derive_new_receipt,
    do_add_note,
    do_reply_to_reporter,
    do_send_reporter_message,
    do_submit_report,
)
from safereport.cases.models import Report
from safereport.core.vocabulary import Section
from sr_testing.personas import Personas, unlocked_organisation_key


@dataclass
class BusyCase:
    report: Report
    passphrase: str
    # What each step wrote, in the order it happened.
    texts: list[str]


def make_busy_case(personas: Personas, *, wants: str = "police_through_organisation") -> BusyCase:
    from safereport.assessments.actions import do_record_risk_assessment
    from safereport.cases.selectors import open_as_custodian
    from safereport.core.referrals import ReferralKind
    from safereport.core.risk import (
        DOMESTIC_ABUSE_QUESTIONS,
        IMMIGRATION_ABUSE_INDICATORS,
        Answer,
        Incident,
        ItemAnswer,
        RiskAssessment,
    )
    from safereport.liaison.actions import (
        do_acknowledge_handover,
        do_answer_question,
        do_ask_question,
        do_post_update,
        do_send_to_police,
    )
    from safereport.liaison.models import LiaisonMessage
    from safereport.referrals.actions import do_send_referral

    caseworker, officer = personas.caseworker, personas.police_liaison
    service = personas.specialist_service
    if "domestic_abuse_service" not in service.referral_kinds:
        service.referral_kinds = [*service.referral_kinds, "domestic_abuse_service"]
        service.save(update_fields=["referral_kinds"])
    passphrase, receipt = derive_new_receipt()
    report = do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants=wants,
            custodian=personas.support_org,
            sections={
                Section.INCIDENT: {
                    "what": "He took my passport and says I will be deported if I leave.",
                    "when": "Last Friday night",
                    "where": "At home, Leeds",
                },
                Section.PERPETRATOR: {"who": "My husband", "relationship": "partner"},
                Section.IDENTITY: {"name": "Ana"},
                Section.CONTACT: {
                    "channel": "phone_call",
                    "detail": "07700 900123",
                    "safe_times": "Weekday mornings, 9 to 11",
                    "code_word": "sunflower",
                },
                Section.SUPPORT_NEEDS: {"needs": "Somewhere safe to stay with my daughter."},
            },
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )
    key = unlocked_organisation_key(caseworker)
    texts = [
        "Is anyone reading this? I can only write in the mornings.",
        "Yes, I am Sam from the support centre. I read everything you wrote.",
        "Called at 10:05 using the code word; she is safe today.",
        "Thank you. Can someone come with me to the police?",
        "Yes: I can be there. I will ask the police for a time that suits you.",
        "When could she give a statement?",
        "Any weekday morning; she asks for a female officer.",
        "Statement booked for Tuesday 10:00 at Millgarth.",
    ]
    do_send_reporter_message(report, texts[0])
    do_reply_to_reporter(report, texts[1], acting_user=caseworker)
    do_add_note(report, texts[2], acting_user=caseworker)
    day = timezone.localdate()
    keys = [q.key for q in DOMESTIC_ABUSE_QUESTIONS]
    do_record_risk_assessment(
        report,
        RiskAssessment(
            assessed_on=day,
            incident=Incident(day, "P1"),
            answers={
                k: ItemAnswer(Answer.YES if i < 15 else Answer.NO) for i, k in enumerate(keys)
            },
            immigration_answers={
                q.key: ItemAnswer(Answer.NO) for q in IMMIGRATION_ABUSE_INDICATORS
            },
            honour_based_abuse=ItemAnswer(Answer.NO),
        ),
        unlocked=open_as_custodian(report, key),
        acting_user=caseworker,
    )
    do_send_referral(
        report,
        kind=ReferralKind.DOMESTIC_ABUSE_SERVICE,
        service=personas.specialist_service,
        sections=(Section.INCIDENT,),
        consent_note="By phone on Monday.",
        organisation_key=key,
        acting_user=caseworker,
    )
    do_send_reporter_message(report, texts[3])
    do_reply_to_reporter(report, texts[4], acting_user=caseworker)
    handover = do_send_to_police(
        report,
        force=personas.police_force,
        way="named",
        sections=[Section.INCIDENT, Section.PERPETRATOR],
        consent_words="Yes, in person today.",
        protocol_limits_told=True,
        organisation_key=key,
        acting_user=caseworker,
    ).handover
    assert handover is not None
    do_acknowledge_handover(handover, acting_user=officer)
    question = do_ask_question(handover, texts[5], acting_user=officer)
    assert isinstance(question, LiaisonMessage)
    do_answer_question(question, texts[6], acting_user=caseworker)
    do_post_update(handover, texts[7], acting_user=officer)
    return BusyCase(report, passphrase, texts)
