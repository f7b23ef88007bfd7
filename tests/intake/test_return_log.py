"""The return page proves to the reporter that each decision about her report is in the log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from journey import draft_token, open_report, passphrase_from, submit, walk_to_review

from safereport.cases.models import Report
from safereport.core.vocabulary import Purpose, Section
from safereport.disclosures.actions import do_disclose_report, do_record_spoken_consent
from safereport.transparency.actions import do_sign_tree_head
from safereport.transparency.models import LogEntry
from sr_testing.personas import unlocked_organisation_key

pytestmark = pytest.mark.django_db


def test_each_disclosure_of_the_report_is_shown_with_its_inclusion_proof_checked(client, personas):
    walk_to_review(client, personas.support_org, wants="police_through_organisation")
    passphrase = passphrase_from(submit(client, draft_token(client), consents=()))
    report = Report.objects.get()
    reporter = Client()

    open_report(reporter, passphrase)
    before = reporter.get(reverse("public:return_report")).content.decode()
    assert "has no entries in the log" in before

    do_record_spoken_consent(
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=[Section.INCIDENT],
        note="By phone.",
        acting_user=personas.caseworker,
    )
    key = unlocked_organisation_key(personas.caseworker)
    for recipient, purpose in (
        (personas.police_force, Purpose.CRIME_INVESTIGATION),  # consented: allowed
        (personas.immigration_authority, Purpose.IMMIGRATION_ENFORCEMENT),  # always refused
    ):
        do_disclose_report(
            report,
            recipient=recipient,
            purpose=purpose,
            sections=[Section.INCIDENT],
            organisation_key=key,
            acting_user=personas.caseworker,
        )

    # Until the queue signs the next tree head, her page says the decisions wait to be included.
    waiting = reporter.get(reverse("public:return_report")).content.decode()
    assert "Waiting to be included" in waiting
    assert "In the log (proof checked" not in waiting
    do_sign_tree_head()

    page = reporter.get(reverse("public:return_report")).content.decode()
    assert "Waiting to be included" not in page
    assert "We checked that each of these 2 decisions about your report is in the public log" in (
        page
    )
    assert page.count("In the log (proof checked against the signed log of") == 2

    # Another report's reporter does not see these entries.
    other_client = Client()
    walk_to_review(other_client, personas.support_org)
    other = passphrase_from(submit(other_client, draft_token(other_client), consents=()))
    other_reporter = Client()
    open_report(other_reporter, other)
    other_page = other_reporter.get(reverse("public:return_report")).content.decode()
    assert "has no entries in the log" in other_page
    assert LogEntry.objects.count() >= 2
