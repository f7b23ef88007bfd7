"""One disclosure through the browser with JavaScript off: the caseworker
shares from the case page, a refusal is explained, and the police liaison
opens exactly what was shared."""

from __future__ import annotations

import pytest
from pages import StaffShell, sign_in_as
from pages_disclosures import CasePage, PackagesPage, SharePage

from safereport.core.vocabulary import Purpose, Section
from safereport.disclosures.actions import do_record_spoken_consent
from safereport.disclosures.models import DisclosurePackage
from sr_testing.personas import submit_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_caseworker_shares_without_javascript_and_the_police_open_it(nojs_page, personas):
    page, visits = nojs_page
    report = submit_report(personas.support_org, text="canary-in-the-browser")
    do_record_spoken_consent(
        report,
        recipient=personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=[Section.INCIDENT],
        note="By phone, with an interpreter.",
        acting_user=personas.caseworker,
    )
    sign_in_as(page, visits, personas.caseworker)
    case = CasePage(page, visits)
    case.open(f"/staff/cases/{report.public_id}/")
    case.share()

    share = SharePage(page, visits)
    share.choose("Test Police (Police force)", "Investigation of a crime")
    share.submit("Continue")
    assert "immigration" not in share.offered_sections()
    # First ask for more than the reporter agreed to: refused, explained, choices kept.
    share.choose("What happened (when, where, what)", "Safe contact plan")
    share.submit("Ask the firewall and share")
    assert "No consent on record covers this" in share.error_summary()
    assert page.get_by_label("What happened (when, where, what)", exact=True).is_checked()
    assert not DisclosurePackage.objects.exists()
    # Then only what was agreed.
    page.get_by_label("Safe contact plan", exact=True).uncheck()
    share.submit("Ask the firewall and share")
    assert share.heading() == "Shared"
    StaffShell(page, visits).sign_out()

    sign_in_as(page, visits, personas.police_liaison)
    packages = PackagesPage(page, visits)
    assert page.get_by_role("heading", level=1).inner_text() == "Packages received"
    packages.open_first()
    text = packages.text()
    assert "canary-in-the-browser" in text
    assert "mornings" not in text  # the contact section was not shared
