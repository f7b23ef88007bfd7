"""Helpers for the referral tests (imported by name: no clash with other conftests)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safereport.core.referrals import ReferralKind
from safereport.core.vocabulary import Section
from safereport.referrals.actions import do_send_referral
from safereport.referrals.models import Referral
from sr_testing.personas import sign_in, unlocked_organisation_key


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    other = Client()
    assert sign_in(other, user).status_code == 302
    return other


def new_url(report) -> str:  # type: ignore[no-untyped-def]
    return reverse("staff:referral_new", kwargs={"public_id": report.public_id})


def referral_url(referral) -> str:  # type: ignore[no-untyped-def]
    return reverse("staff:referral", kwargs={"referral_id": referral.pk})


def send(
    personas,
    report,
    service=None,
    kind=ReferralKind.DOMESTIC_ABUSE_SERVICE,
    sections=(Section.INCIDENT,),
) -> Referral:  # type: ignore[no-untyped-def]
    """A referral sent through the real action, with spoken consent recorded."""
    sent = do_send_referral(
        report,
        kind=kind,
        service=service or personas.specialist_service,
        sections=sections,
        consent_note="By phone on Monday.",
        organisation_key=unlocked_organisation_key(personas.caseworker),
        acting_user=personas.caseworker,
    )
    assert sent.referral is not None
    return sent.referral


def act(client, referral, action, reason=""):  # type: ignore[no-untyped-def]
    return client.post(referral_url(referral), {"action": action, "reason": reason})


def submit_named(personas, *, text: str = "canary-incident-text"):  # type: ignore[no-untyped-def]
    """A domestic-abuse report with a named reporter, through the real action;
    returns the report and its receipt passphrase."""
    from safereport.cases.actions import NewReport, derive_new_receipt, do_submit_report

    passphrase, receipt = derive_new_receipt()
    report = do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants="support_only",
            custodian=personas.support_org,
            sections={
                Section.INCIDENT: {"when": "Friday", "where": "home", "what": text},
                Section.PERPETRATOR: {"who": "canary-perpetrator"},
                Section.IDENTITY: {"name": "canary-reporter-name"},
                Section.CONTACT: {"channel": "phone", "safe_times": "mornings"},
            },
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )
    return report, passphrase
