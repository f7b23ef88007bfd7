"""Sending a referral through the real page: consent, the firewall, the package."""

from __future__ import annotations

import pytest
from referral_helpers import client_for, new_url, referral_url

from safereport.cases.models import Consent
from safereport.disclosures.models import DisclosureAttempt, DisclosurePackage
from safereport.referrals.models import Referral
from safereport.transparency.models import LogEntry

pytestmark = pytest.mark.django_db


def _post(client, report, service, **fields):  # type: ignore[no-untyped-def]
    data = {
        "kind": "domestic_abuse_service",
        "service": service.pk,
        "sections": ["incident", "contact"],
        "consent": "spoken",
        "consent_note": "By phone on Monday, in Spanish.",
    }
    data.update(fields)
    return client.post(new_url(report), data)


def test_the_page_offers_the_routine_referral_and_preselects_a_kind(personas, partners, report):
    caseworker = client_for(personas.caseworker)
    first = caseworker.get(new_url(report)).content.decode()
    assert "Specialist domestic-abuse service" in first
    assert "Every report of domestic abuse is offered a specialist service." in first
    assert "(routine offer)" in first
    page = caseworker.get(new_url(report), {"kind": "idva_service"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="idva_service" id="id_kind_2" required checked' in html
    assert personas.specialist_service.name in html
    assert partners.legal_adviser_org.name not in html  # does not take IDVA referrals
    assert personas.immigration_authority.name not in html
    assert 'value="immigration"' not in html  # never to a service other than a legal adviser
    assert "Español" in html  # languages are shown


def test_the_immigration_section_is_offered_only_for_a_legal_adviser(personas, partners, report):
    caseworker = client_for(personas.caseworker)
    html = caseworker.get(new_url(report), {"kind": "immigration_legal_adviser"}).content.decode()
    assert partners.legal_adviser_org.name in html
    assert personas.specialist_service.name not in html
    assert 'value="immigration"' in html


def test_an_unknown_kind_is_an_error(personas, partners, report):
    response = client_for(personas.caseworker).get(new_url(report), {"kind": "home_office"})
    assert response.status_code == 400
    assert "Choose one of the kinds of service listed." in response.content.decode()


def test_sending_with_spoken_consent_makes_a_package_of_exactly_the_chosen_sections(
    personas, partners, report
):
    caseworker = client_for(personas.caseworker)
    response = _post(caseworker, report, personas.specialist_service)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert response.url == referral_url(referral)
    assert referral.state == "sent" and referral.kind == "domestic_abuse_service"
    assert referral.sender == personas.support_org
    assert referral.service == personas.specialist_service
    assert referral.created_by == personas.caseworker
    report.refresh_from_db()
    assert report.status == "in_progress"  # a caseworker acted on it
    package = referral.package
    assert package.recipient == personas.specialist_service
    assert package.purpose == "support_referral"
    assert sorted(package.sections) == ["contact", "incident"]
    assert sorted(package.sealed_sections.values_list("section", flat=True)) == [
        "contact",
        "incident",
    ]
    consent = Consent.objects.get(recipient=personas.specialist_service)
    assert consent.given_by == "caseworker" and sorted(consent.sections) == ["contact", "incident"]
    # the service opens the package and finds exactly that
    service = client_for(personas.service_staff)
    opened = service.get(f"/staff/disclosures/packages/{package.package_id}/").content.decode()
    assert "canary-incident-text" in opened
    assert "my husband" not in opened  # the perpetrator section was not chosen
    assert referral_url(referral) in opened  # the package panel links to the referral


def test_without_consent_the_firewall_refuses_and_no_referral_exists(personas, partners, report):
    caseworker = client_for(personas.caseworker)
    attempts, log = DisclosureAttempt.objects.count(), LogEntry.objects.count()
    response = _post(caseworker, report, personas.specialist_service, consent="existing")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Refused by the firewall: nothing was shared" in html
    assert "consent" in html.lower()
    assert not Referral.objects.exists()
    assert not DisclosurePackage.objects.exists()
    report.refresh_from_db()
    assert report.status == "new"  # nothing happened for the reporter
    attempt = DisclosureAttempt.objects.get()
    assert DisclosureAttempt.objects.count() == attempts + 1
    assert not attempt.allowed and attempt.recipient == personas.specialist_service
    assert LogEntry.objects.count() == log + 1
    assert f"number {attempt.pk}" in html
    # what was typed is kept
    assert 'value="contact" id="id_sections_3" checked' in html
    assert 'value="perpetrator" id="id_sections_1">' in html  # not ticked
    assert 'value="existing" id="id_consent_0" required checked' in html


def test_an_existing_consent_is_used(personas, partners, report):
    from safereport.disclosures.actions import do_record_spoken_consent

    do_record_spoken_consent(
        report,
        recipient=personas.specialist_service,
        purpose="support_referral",
        sections=["incident"],
        note="At intake.",
        acting_user=personas.caseworker,
    )
    caseworker = client_for(personas.caseworker)
    html = caseworker.get(new_url(report), {"kind": "domestic_abuse_service"}).content.decode()
    assert "Consent on record" in html and "What happened" in html
    response = _post(
        caseworker, report, personas.specialist_service, consent="existing", sections=["incident"]
    )
    assert response.status_code == 302
    assert Referral.objects.get().package.sections == ["incident"]
    assert Consent.objects.count() == 1  # nothing new recorded


def test_form_errors_keep_what_was_typed(personas, partners, report):
    caseworker = client_for(personas.caseworker)
    response = _post(caseworker, report, personas.specialist_service, sections=[], consent_note="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose at least one section to share." in html
    assert "Write down how and when the reporter agreed to this referral." in html
    assert f'value="{personas.specialist_service.pk}"' in html
    assert not Referral.objects.exists()
    assert not DisclosureAttempt.objects.exists()


def test_a_service_that_does_not_take_the_kind_is_refused(personas, partners, report):
    caseworker = client_for(personas.caseworker)
    response = _post(caseworker, report, partners.labour_rights_org)
    assert response.status_code == 409
    assert "This service does not take this kind of referral." in response.content.decode()
    assert not Referral.objects.exists() and not DisclosureAttempt.objects.exists()
    assert not Consent.objects.exists()


def test_an_immigration_authority_can_never_be_chosen(personas, partners, report):
    authority = personas.immigration_authority
    authority.referral_kinds = ["domestic_abuse_service"]  # forged straight into the table
    authority.save()
    caseworker = client_for(personas.caseworker)
    html = caseworker.get(new_url(report), {"kind": "domestic_abuse_service"}).content.decode()
    assert authority.name not in html
    response = _post(caseworker, report, authority)
    assert response.status_code == 400
    assert "Choose one of the services listed." in response.content.decode()
    assert not Referral.objects.exists() and not Consent.objects.exists()


def test_only_the_custodian_refers_its_reports(personas, partners, report):
    for user in (personas.other_caseworker,):
        other = client_for(user)
        assert other.get(new_url(report)).status_code == 404
        assert _post(other, report, personas.specialist_service).status_code == 404
    for user in (personas.service_staff, personas.police_liaison):
        assert client_for(user).get(new_url(report)).status_code == 403
    assert not Referral.objects.exists() and not Consent.objects.exists()


@pytest.fixture
def firewall_refusing_services(monkeypatch):  # type: ignore[no-untyped-def]
    """The published policy plus a stricter local rule (a forbid, which Cedar
    lets an organisation add) refusing every disclosure to a specialist
    service: a refusal that comes after a consent was recorded."""
    from safereport.core import policy

    stricter = policy.with_local_rules(
        '@id("local-no-specialist-services")\n'
        "forbid (principal, action, resource)\n"
        'when { context.recipient_kind == "specialist_service" };\n'
    )
    published = policy.decide
    monkeypatch.setattr(
        policy, "decide", lambda request, _policy=None: published(request, stricter)
    )


def test_a_refused_send_does_not_keep_the_spoken_consent(
    personas, partners, report, firewall_refusing_services
):
    from safereport.accounts.models import AuditEvent

    caseworker = client_for(personas.caseworker)
    log = LogEntry.objects.count()
    response = _post(caseworker, report, personas.specialist_service)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Refused by the firewall: nothing was shared" in html
    assert "The consent you recorded was not kept" in html
    assert not Referral.objects.exists() and not DisclosurePackage.objects.exists()
    attempt = DisclosureAttempt.objects.get()
    assert not attempt.allowed and attempt.ledger_index is not None
    assert "local-no-specialist-services" in attempt.rule_ids
    # the consent was recorded, then withdrawn through the ordinary path: none is active
    consent = Consent.objects.get(recipient=personas.specialist_service)
    assert consent.withdrawn_at is not None
    assert not Consent.objects.filter(report=report, withdrawn_at__isnull=True).exists()
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds[-3:] == ["consent_given", "disclosure_refused", "consent_withdrawn"]
    assert LogEntry.objects.count() == log + 3  # given, refused, withdrawn
