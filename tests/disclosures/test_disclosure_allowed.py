"""Happy paths: a consented disclosure to the police and a valid safeguarding
override, each through the real pages, and the recipient opening the package."""

from __future__ import annotations

import re

import pytest
from disclosure_helpers import Counts, share, share_url
from django.urls import reverse

from safereport.core.events import EventKind
from safereport.core.ledger import Decision, decode_entry, find_committed
from safereport.core.vocabulary import Purpose, Section
from safereport.disclosures.models import DisclosureAttempt, DisclosurePackage, Override
from safereport.transparency.models import LogEntry
from sr_testing.personas import sign_in

pytestmark = pytest.mark.django_db


def _record_consent(client, report, recipient, purpose, sections):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("staff:disclosure_consent", kwargs={"public_id": report.public_id}),
        {
            "recipient": recipient.pk,
            "purpose": purpose,
            "sections": sections,
            "note": "By phone on Monday, with a Spanish interpreter.",
        },
    )


def test_consented_disclosure_to_the_police_and_the_police_open_it(client, personas, report):
    sign_in(client, personas.caseworker)
    recorded = _record_consent(
        client, report, personas.police_force, "crime_investigation", ["incident", "perpetrator"]
    )
    assert recorded.status_code == 302
    # Step one offers only what the policy could allow.
    step1 = client.get(share_url(report)).content.decode()
    assert personas.police_force.name in step1
    assert personas.immigration_authority.name not in step1
    assert "immigration_enforcement" not in step1
    step2 = client.get(
        share_url(report),
        {"recipient": personas.police_force.pk, "purpose": "crime_investigation"},
    ).content.decode()
    assert 'value="incident"' in step2
    assert 'value="immigration"' not in step2  # offered only to a legal adviser
    before = Counts()
    response = share(
        client,
        report,
        recipient=personas.police_force,
        purpose="crime_investigation",
        sections=["incident"],
    )
    assert response.status_code == 302
    attempt = DisclosureAttempt.objects.get(allowed=True)
    assert response.url == reverse("staff:disclosure_attempt", kwargs={"attempt_id": attempt.pk})
    assert attempt.rule_ids == ["permit-consent"]
    package = DisclosurePackage.objects.get()
    assert package.attempt == attempt
    assert package.sections == ["incident"]  # exactly what was allowed, not the perpetrator
    assert package.sealed_sections.count() == 1
    assert b"canary-incident-text" not in bytes(package.sealed_sections.get().ciphertext)
    entry = decode_entry(bytes(LogEntry.objects.get(index=attempt.ledger_index).data))
    assert entry.kind is EventKind.DISCLOSURE_ALLOWED
    assert entry.decision is Decision.ALLOW
    assert entry.sections == (Section.INCIDENT,)
    assert entry.org == personas.support_org.slug
    assert Counts().log == before.log + 1
    # The reporter's commitment is in the entry: the report's key recognises it.
    from safereport.cases.selectors import open_as_custodian
    from sr_testing.personas import unlocked_organisation_key

    unlocked = open_as_custodian(report, unlocked_organisation_key(personas.caseworker))
    assert find_committed(unlocked.ledger_commitment_key(), [(attempt.ledger_index, entry)])
    shown = client.get(response.url).content.decode()
    assert "Shared" in shown and personas.police_force.name in shown

    police = client_for(personas.police_liaison)
    listing = police.get(reverse("staff:police"))
    assert listing.status_code == 200
    assert package.package_id in listing.content.decode()
    opened = police.get(
        reverse("staff:disclosure_package", kwargs={"package_id": package.package_id})
    )
    assert opened.status_code == 200
    page = opened.content.decode()
    assert "canary-incident-text" in page
    assert "my husband" not in page  # the perpetrator section was not shared


def client_for(user):  # type: ignore[no-untyped-def]
    from django.test import Client

    other = Client()
    sign_in(other, user)
    return other


def test_the_police_reach_nothing_outside_their_packages(client, personas, report):
    from safereport.disclosures.actions import do_disclose_report, do_record_spoken_consent
    from sr_testing.personas import submit_report, unlocked_organisation_key

    key = unlocked_organisation_key(personas.caseworker)
    for recipient, purpose in (
        (personas.police_force, Purpose.CRIME_INVESTIGATION),
        (personas.specialist_service, Purpose.SUPPORT_REFERRAL),
    ):
        do_record_spoken_consent(
            report,
            recipient=recipient,
            purpose=purpose,
            sections=[Section.INCIDENT, Section.CONTACT],
            note="In person.",
            acting_user=personas.caseworker,
        )
    to_police = do_disclose_report(
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=[Section.INCIDENT],
        organisation_key=key,
        acting_user=personas.caseworker,
    ).package
    to_service = do_disclose_report(
        report,
        recipient=personas.specialist_service,
        purpose=Purpose.SUPPORT_REFERRAL,
        sections=[Section.CONTACT],
        organisation_key=key,
        acting_user=personas.caseworker,
    ).package
    assert to_police is not None and to_service is not None
    other_report = submit_report(personas.support_org, text="other-canary")

    sign_in(client, personas.police_liaison)
    listing = client.get(reverse("staff:disclosure_packages")).content.decode()
    assert to_police.package_id in listing
    assert to_service.package_id not in listing
    refusals = [
        # a package addressed to someone else
        reverse("staff:disclosure_package", kwargs={"package_id": to_service.package_id}),
        # a section outside its own package
        reverse(
            "staff:disclosure_package_section",
            kwargs={"package_id": to_police.package_id, "section": "contact"},
        ),
        reverse(
            "staff:disclosure_package_section",
            kwargs={"package_id": to_police.package_id, "section": "immigration"},
        ),
    ]
    from safereport.accounts.models import AuditEvent

    for url in refusals:
        before = AuditEvent.objects.filter(kind=EventKind.PACKAGE_ACCESS_REFUSED.value).count()
        response = client.get(url)
        assert response.status_code == 404, url
        assert "canary" not in response.content.decode()
        after = AuditEvent.objects.filter(kind=EventKind.PACKAGE_ACCESS_REFUSED.value).count()
        assert after == before + 1, url  # every attempt is recorded for the admins
    # The report itself, and its sharing pages, are not theirs to reach at all.
    for url in (
        reverse("staff:case", kwargs={"public_id": report.public_id}),
        reverse("staff:case", kwargs={"public_id": other_report.public_id}),
        reverse("staff:disclosure_report", kwargs={"public_id": report.public_id}),
        share_url(report),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "canary" not in response.content.decode()
    # Their own package opens, and shows only its own section.
    own = client.get(
        reverse(
            "staff:disclosure_package_section",
            kwargs={"package_id": to_police.package_id, "section": "incident"},
        )
    )
    assert own.status_code == 200
    assert "canary-incident-text" in own.content.decode()


def test_a_valid_override_approved_by_a_second_colleague_reaches_the_police(
    client, personas, report
):
    sign_in(client, personas.caseworker)
    asked = client.post(
        reverse("staff:disclosure_request_override", kwargs={"public_id": report.public_id}),
        {
            "recipient": personas.police_force.pk,
            "purpose": Purpose.SAFEGUARDING.value,
            "sections": [Section.INCIDENT.value, Section.CONTACT.value],
            "reason": "He has a knife and said he will come tonight.",
        },
    )
    assert asked.status_code == 302
    override = Override.objects.get()
    assert not DisclosureAttempt.objects.exists()  # nothing is decided before approval

    admin = client_for(personas.org_admin)
    waiting = admin.get(reverse("staff:disclosure_overrides")).content.decode()
    assert report.public_id in waiting
    page = admin.get(asked.url).content.decode()
    assert "Approve and share" in page
    approved = admin.post(asked.url, {"action": "approve"})
    assert approved.status_code == 302
    override.refresh_from_db()
    assert override.status == Override.Status.APPROVED
    assert override.approved_by == personas.org_admin
    attempt = DisclosureAttempt.objects.get()
    assert attempt.allowed and attempt.override == override
    assert attempt.actor == personas.caseworker  # the requester discloses, the colleague approves
    assert attempt.rule_ids == ["permit-safeguarding-override"]
    package = DisclosurePackage.objects.get()
    assert package.sections == ["contact", "incident"]
    # An override cannot be approved twice.
    again = admin.post(asked.url, {"action": "approve"})
    assert again.status_code == 409
    assert DisclosurePackage.objects.count() == 1

    police = client_for(personas.police_liaison)
    opened = police.get(
        reverse("staff:disclosure_package", kwargs={"package_id": package.package_id})
    )
    assert "canary-incident-text" in opened.content.decode()


def test_a_consent_for_an_impossible_recipient_is_not_recorded(client, personas, report):
    sign_in(client, personas.caseworker)
    form = client.get(
        reverse("staff:disclosure_consent", kwargs={"public_id": report.public_id})
    ).content.decode()
    assert personas.immigration_authority.name not in form
    response = _record_consent(
        client, report, personas.police_force, "crime_investigation", ["immigration"]
    )
    assert response.status_code == 400
    assert "only be shared with a legal adviser" in response.content.decode()
    response = _record_consent(
        client, report, personas.immigration_authority, "support_referral", ["incident"]
    )
    assert response.status_code == 400
    assert report.consents.count() == 0


def test_share_keeps_what_was_typed_and_explains_errors(client, personas, report):
    sign_in(client, personas.caseworker)
    step1 = client.get(share_url(report), {"purpose": "crime_investigation"})
    assert step1.status_code == 400
    page = step1.content.decode()
    assert "Choose the organisation to share with." in page
    assert re.search(r'value="crime_investigation"[^>]*checked', page)  # nothing typed is lost
    step2 = client.post(
        share_url(report),
        {"recipient": personas.police_force.pk, "purpose": "crime_investigation"},
    )
    assert step2.status_code == 400
    assert "Choose at least one section to share." in step2.content.decode()
    assert not DisclosureAttempt.objects.exists()


def test_locked_keys_ask_to_sign_in_again_and_share_nothing(client, personas, report):
    from django.core.cache import caches

    from safereport.disclosures.actions import do_record_spoken_consent

    do_record_spoken_consent(
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=[Section.INCIDENT],
        note="By phone.",
        acting_user=personas.caseworker,
    )
    sign_in(client, personas.caseworker)
    caches["secrets"].clear()  # as after a server restart
    response = share(
        client,
        report,
        recipient=personas.police_force,
        purpose="crime_investigation",
        sections=["incident"],
    )
    assert response.status_code == 409
    assert "sign in again" in response.content.decode()
    assert not DisclosurePackage.objects.exists()


def test_the_police_download_a_shared_file_and_nobody_else_can(client, personas, report):
    from safereport.disclosures.actions import do_disclose_report, do_record_spoken_consent
    from sr_testing.personas import unlocked_organisation_key

    do_record_spoken_consent(
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=[Section.INCIDENT, Section.ATTACHMENTS],
        note="In person.",
        acting_user=personas.caseworker,
    )
    package = do_disclose_report(
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=[Section.ATTACHMENTS],
        organisation_key=unlocked_organisation_key(personas.caseworker),
        acting_user=personas.caseworker,
    ).package
    assert package is not None and package.sections == ["attachments"]

    def file_url(number: int) -> str:
        return reverse(
            "staff:disclosure_package_file",
            kwargs={"package_id": package.package_id, "number": number},
        )

    sign_in(client, personas.police_liaison)
    page = client.get(
        reverse("staff:disclosure_package", kwargs={"package_id": package.package_id})
    ).content.decode()
    assert file_url(1) in page
    assert "canary-incident-text" not in page  # only the file was shared
    download = client.get(file_url(1))
    assert download.status_code == 200
    assert download.content == b"a note"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client.get(file_url(2)).status_code == 404

    service = client_for(personas.service_staff)
    assert service.get(file_url(1)).status_code == 404
