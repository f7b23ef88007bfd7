"""The done-when adversarial tests: each a real signed-in persona sending a
crafted request. Every attempt is refused with a clear message, nothing
leaves (no package, no section copied), and every attempt is recorded
(a DisclosureAttempt row and an entry in the transparency log)."""

from __future__ import annotations

import re

import pytest
from disclosure_helpers import Counts, share
from django.urls import reverse

from safereport.core.events import EventKind
from safereport.core.ledger import Decision, decode_entry
from safereport.core.policy import policy_hash
from safereport.core.vocabulary import OrgKind, Purpose, Section
from safereport.disclosures.actions import do_withdraw_consent_for_reporter
from safereport.disclosures.models import DisclosureAttempt, DisclosurePackage, Override
from safereport.transparency.models import LogEntry
from sr_testing.personas import sign_in, submit_report, unlocked_organisation_key

pytestmark = pytest.mark.django_db


def _consent(report, recipient, purpose, sections, user):  # type: ignore[no-untyped-def]
    from safereport.disclosures.actions import do_record_spoken_consent

    return do_record_spoken_consent(
        report,
        recipient=recipient,
        purpose=purpose,
        sections=sections,
        note="By phone, with an interpreter.",
        acting_user=user,
    )


def assert_refused_and_recorded(response, before: Counts, *, rule: str, text: str):  # type: ignore[no-untyped-def]
    page = response.content.decode()
    assert response.status_code in (403, 404), response.status_code
    assert text in page, page
    assert "canary-incident-text" not in page
    # Nothing left: no package row, no section copied anywhere.
    assert DisclosurePackage.objects.count() == before.packages
    after = Counts()
    assert after.package_sections == before.package_sections
    assert after.report_sections == before.report_sections
    # Recorded: one more refused attempt, and its public log entry.
    assert after.attempts == before.attempts + 1
    assert after.refused == before.refused + 1
    attempt = DisclosureAttempt.objects.order_by("-id").first()
    assert attempt is not None and not attempt.allowed
    assert rule in attempt.rule_ids
    assert attempt.policy_hash == policy_hash()
    assert after.log == before.log + 1
    entry = decode_entry(bytes(LogEntry.objects.get(index=attempt.ledger_index).data))
    assert entry.kind is EventKind.DISCLOSURE_REFUSED
    assert entry.decision is Decision.DENY
    assert rule in (entry.rule_ids or ())
    assert entry.policy_hash == bytes.fromhex(policy_hash())
    return attempt


def test_immigration_section_to_the_police_is_refused(client, personas, report):
    # Even with a consent naming the police for everything else.
    _consent(
        report,
        personas.police_force,
        Purpose.CRIME_INVESTIGATION,
        [Section.INCIDENT, Section.PERPETRATOR],
        personas.caseworker,
    )
    sign_in(client, personas.caseworker)
    before = Counts()
    response = share(
        client,
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION.value,
        sections=[Section.INCIDENT.value, Section.IMMIGRATION.value],
    )
    assert_refused_and_recorded(
        response,
        before,
        rule="inv3-immigration-section-sealed",
        text="The immigration section can only go to a legal adviser",
    )


def test_anything_to_an_immigration_authority_is_refused(client, personas, report):
    sign_in(client, personas.caseworker)
    before = Counts()
    response = share(
        client,
        report,
        recipient=personas.immigration_authority,
        purpose=Purpose.SUPPORT_REFERRAL.value,
        sections=[Section.INCIDENT.value],
    )
    attempt = assert_refused_and_recorded(
        response,
        before,
        rule="inv1-no-immigration-authority",
        text="Nothing can ever be shared with an immigration authority",
    )
    assert attempt.recipient_kind == OrgKind.IMMIGRATION_AUTHORITY.value


def test_disclosure_for_immigration_enforcement_is_refused(client, personas, report):
    sign_in(client, personas.caseworker)
    before = Counts()
    response = share(
        client,
        report,
        recipient=personas.police_force,
        purpose=Purpose.IMMIGRATION_ENFORCEMENT.value,
        sections=[Section.INCIDENT.value],
    )
    assert_refused_and_recorded(
        response,
        before,
        rule="inv2-no-immigration-enforcement",
        text="Nothing can ever be shared for immigration control or enforcement",
    )


def test_disclosure_without_consent_is_refused(client, personas, report):
    sign_in(client, personas.caseworker)
    before = Counts()
    response = share(
        client,
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION.value,
        sections=[Section.INCIDENT.value],
    )
    assert_refused_and_recorded(
        response, before, rule="default-deny", text="No consent on record covers this"
    )


def test_consent_covering_fewer_sections_than_asked_is_refused(client, personas, report):
    _consent(
        report,
        personas.police_force,
        Purpose.CRIME_INVESTIGATION,
        [Section.INCIDENT],
        personas.caseworker,
    )
    sign_in(client, personas.caseworker)
    before = Counts()
    response = share(
        client,
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION.value,
        sections=[Section.INCIDENT.value, Section.CONTACT.value],
    )
    assert_refused_and_recorded(
        response, before, rule="default-deny", text="No consent on record covers this"
    )


def test_disclosure_with_a_withdrawn_consent_is_refused(client, personas, report):
    consent = _consent(
        report,
        personas.police_force,
        Purpose.CRIME_INVESTIGATION,
        [Section.INCIDENT],
        personas.caseworker,
    )
    sign_in(client, personas.caseworker)
    # The reporter withdraws it by phone; the caseworker records that through the page.
    withdrawn = client.post(
        reverse(
            "staff:disclosure_withdraw_consent",
            kwargs={"public_id": report.public_id, "consent_id": consent.pk},
        )
    )
    assert withdrawn.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    before = Counts()
    response = share(
        client,
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION.value,
        sections=[Section.INCIDENT.value],
    )
    assert_refused_and_recorded(
        response, before, rule="default-deny", text="must not have withdrawn that agreement"
    )


def test_disclosing_another_organisations_report_is_refused(client, personas, report):
    # The custodian's reporter consented to the police: still, only the custodian can share.
    _consent(
        report,
        personas.police_force,
        Purpose.CRIME_INVESTIGATION,
        [Section.INCIDENT],
        personas.caseworker,
    )
    sign_in(client, personas.other_caseworker)
    before = Counts()
    response = share(
        client,
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION.value,
        sections=[Section.INCIDENT.value],
    )
    attempt = assert_refused_and_recorded(
        response,
        before,
        rule="inv4-custodian-only",
        text="Only the organisation that holds a report can share it",
    )
    assert attempt.actor == personas.other_caseworker
    # The answer is the same as for a report that does not exist: nothing confirms it exists.
    missing = client.post(
        reverse("staff:disclosure_share", kwargs={"public_id": "nosuchreport"}),
        {
            "recipient": personas.police_force.pk,
            "purpose": "crime_investigation",
            "sections": ["incident"],
        },
    )
    assert missing.status_code == 404

    def without_tokens(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    assert without_tokens(missing.content.decode()) == without_tokens(response.content.decode())


def test_a_police_user_cannot_disclose_a_report(client, personas, report):
    sign_in(client, personas.police_liaison)
    before = Counts()
    response = share(
        client,
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION.value,
        sections=[Section.INCIDENT.value],
    )
    attempt = assert_refused_and_recorded(
        response,
        before,
        rule="inv4-custodian-only",
        text="Only the organisation that holds a report can share it",
    )
    assert "inv4-disclosing-roles" in attempt.rule_ids


def test_approving_ones_own_override_is_refused(client, personas, report):
    sign_in(client, personas.caseworker)
    asked = client.post(
        reverse("staff:disclosure_request_override", kwargs={"public_id": report.public_id}),
        {
            "recipient": personas.police_force.pk,
            "purpose": Purpose.SAFEGUARDING.value,
            "sections": [Section.INCIDENT.value, Section.CONTACT.value],
            "reason": "He said he will kill her tonight.",
        },
    )
    assert asked.status_code == 302
    override = Override.objects.get()
    page = client.get(asked.url).content.decode()
    assert "Approve and share" not in page  # the page does not even offer it
    before = Counts()
    response = client.post(asked.url, {"action": "approve"})
    attempt = assert_refused_and_recorded(
        response,
        before,
        rule="inv5-override-second-approver",
        text="You cannot approve your own override",
    )
    assert attempt.override == override
    override.refresh_from_db()
    assert override.status == Override.Status.PENDING  # still open for a real second approver
    assert override.approved_by is None


def test_an_override_request_never_carries_the_immigration_section(client, personas, report):
    sign_in(client, personas.caseworker)
    url = reverse("staff:disclosure_request_override", kwargs={"public_id": report.public_id})
    form = client.get(url).content.decode()
    assert 'value="immigration"' not in form
    assert personas.immigration_authority.name not in form
    response = client.post(
        url,
        {
            "recipient": personas.police_force.pk,
            "purpose": Purpose.SAFEGUARDING.value,
            "sections": [Section.IMMIGRATION.value],
            "reason": "Risk to life.",
        },
    )
    assert response.status_code == 400
    assert "An override can never include the immigration section" in response.content.decode()
    assert not Override.objects.exists()


def test_a_crafted_override_to_the_wrong_recipient_is_refused_at_approval(personas, report):
    """Even an override stored with a recipient the form never offers is refused by the policy."""
    from safereport.disclosures.actions import do_approve_override

    override = Override.objects.create(
        report=report,
        recipient=personas.other_support_org,
        purpose=Purpose.SAFEGUARDING.value,
        sections=[Section.INCIDENT.value],
        reason="Risk to life.",
        requested_by=personas.caseworker,
    )
    before = Counts()
    outcome = do_approve_override(
        override,
        organisation_key=unlocked_organisation_key(personas.org_admin),
        acting_user=personas.org_admin,
    )
    assert not outcome.allowed
    assert "inv5-override-recipient-kind" in outcome.attempt.rule_ids
    assert DisclosurePackage.objects.count() == before.packages
    override.refresh_from_db()
    assert override.status == Override.Status.REFUSED


def test_a_consent_recorded_then_withdrawn_stops_every_later_disclosure(personas, report):
    """Withdrawal through the action (not the page) too; later consents for
    other sections do not revive it."""
    from safereport.disclosures.actions import do_disclose_report

    consent = _consent(
        report,
        personas.police_force,
        Purpose.CRIME_INVESTIGATION,
        [Section.INCIDENT, Section.PERPETRATOR],
        personas.caseworker,
    )
    key = unlocked_organisation_key(personas.caseworker)
    first = do_disclose_report(
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=[Section.INCIDENT],
        organisation_key=key,
        acting_user=personas.caseworker,
    )
    assert first.allowed
    do_withdraw_consent_for_reporter(consent, acting_user=personas.caseworker)
    _consent(
        report,
        personas.police_force,
        Purpose.CRIME_INVESTIGATION,
        [Section.CONTACT],
        personas.caseworker,
    )
    for sections in (
        [Section.INCIDENT],
        [Section.PERPETRATOR],
        [Section.INCIDENT, Section.CONTACT],
    ):
        later = do_disclose_report(
            report,
            recipient=personas.police_force,
            purpose=Purpose.CRIME_INVESTIGATION,
            sections=sections,
            organisation_key=key,
            acting_user=personas.caseworker,
        )
        assert not later.allowed, sections
    assert DisclosurePackage.objects.count() == 1


def test_other_organisations_report_is_not_opened_by_their_key(personas):
    """The crafted attempt is recorded without a commitment: their key opens nothing."""
    from safereport.disclosures.actions import do_disclose_report

    theirs = submit_report(personas.support_org)
    outcome = do_disclose_report(
        theirs,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=[Section.INCIDENT],
        organisation_key=unlocked_organisation_key(personas.other_caseworker),
        acting_user=personas.other_caseworker,
    )
    assert not outcome.allowed
    entry = decode_entry(bytes(LogEntry.objects.get(index=outcome.attempt.ledger_index).data))
    assert entry.commitment is None
    assert entry.org == personas.support_org.slug
