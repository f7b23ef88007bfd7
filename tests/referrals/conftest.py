"""Fixtures for referrals: a real domestic-abuse report, real keys, partners."""

from __future__ import annotations

import pytest
from django.utils import translation

from sr_testing.personas import make_referral_partners, submit_report


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.fixture
def partners(personas):  # type: ignore[no-untyped-def]
    found = make_referral_partners(personas)
    service = personas.specialist_service
    service.referral_kinds = ["domestic_abuse_service", "idva_service"]
    service.contact_email = "intake@da-service.example"
    service.languages = ["en", "es"]
    service.areas = ["London"]
    service.save()
    personas.support_org.contact_email = "team@support-centre.example"
    personas.support_org.save()
    found.legal_adviser_org.referral_kinds = ["immigration_legal_adviser"]
    found.legal_adviser_org.contact_email = "advice@law-centre.example"
    found.legal_adviser_org.languages = ["en", "ar"]
    found.legal_adviser_org.save()
    found.labour_rights_org.referral_kinds = [
        "labour_rights_organisation",
        "modern_slavery_first_responder",
    ]
    found.labour_rights_org.areas = ["Kent"]
    found.labour_rights_org.specialisms = ["domestic workers"]
    found.labour_rights_org.save()
    return found


@pytest.fixture
def report(personas):  # type: ignore[no-untyped-def]
    return submit_report(personas.support_org, text="canary-incident-text")
