"""The printable case summary holds exactly what the package holds, plus the
crime reference and dates; it prints without navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from liaison_helpers import ATTACHMENT_TEXT, CANARIES, handover_url, make_handover

from safereport.core.vocabulary import Section
from safereport.disclosures.models import SECTION_LABELS

pytestmark = pytest.mark.django_db

STYLESHEET = Path(__file__).parents[2] / "src" / "safereport" / "static" / "safereport" / "site.css"


@pytest.mark.parametrize(
    "shared",
    [
        [Section.INCIDENT],
        [Section.INCIDENT, Section.PERPETRATOR],
        [Section.IDENTITY, Section.CONTACT],
        [Section.INCIDENT, Section.SUPPORT_NEEDS, Section.ATTACHMENTS],
        [
            Section.INCIDENT,
            Section.PERPETRATOR,
            Section.IDENTITY,
            Section.CONTACT,
            Section.SUPPORT_NEEDS,
            Section.ATTACHMENTS,
        ],
    ],
    ids=lambda sections: "+".join(s.value for s in sections),
)
def test_the_summary_holds_exactly_the_package(police, personas, report, shared):
    handover = make_handover(personas, report, sections=shared)
    assert sorted(handover.package.sections) == sorted(s.value for s in shared)
    police.post(handover_url(handover, "police_acknowledge"), {"crime_reference": "77/1234/26"})
    police.post(handover_url(handover, "police_question"), {"text": "canary-question-summary"})
    police.post(handover_url(handover, "police_update"), {"text": "canary-update-summary"})
    response = police.get(handover_url(handover, "police_summary"))
    assert response.status_code == 200
    page = response.content.decode()
    for section, canary in CANARIES.items():
        if section in shared:
            assert canary in page, f"{section} is in the package but not in the summary"
            assert escape(str(SECTION_LABELS[section])) in page
        else:
            assert canary not in page, f"{section} is not in the package but is in the summary"
    headings = re.findall(r'<section class="package-section" aria-labelledby="section-(\w+)"', page)
    assert sorted(headings) == sorted(s.value for s in shared)
    assert ("File 1" in page) == (Section.ATTACHMENTS in shared)
    assert ATTACHMENT_TEXT.decode() not in page  # a file is named, never pasted
    # Plus the crime reference and dates, and nothing of the liaison's messages.
    assert "77/1234/26" in page
    assert handover.created_at.strftime("%Y") in page
    assert "canary-question-summary" not in page and "canary-update-summary" not in page
    # Nothing of the report that was not shared: not even the reporter's reference.
    assert report.public_id not in page


def test_the_summary_prints_without_navigation(police, personas, report):
    handover = make_handover(personas, report)
    page = police.get(handover_url(handover, "police_summary")).content.decode()
    assert static("safereport/site.css") in page
    assert 'class="print-summary"' in page
    assert re.search(r'<p class="no-print"><a class="back-link"', page)
    assert 'class="site-header staff-header"' in page  # hidden in print by the rules below
    css = STYLESHEET.read_text()
    blocks = re.findall(r"@media print\s*\{(.*?)\n\}", css, flags=re.S)
    rules = "\n".join(blocks)
    for selector in (".staff-header", ".staff-nav", ".no-print"):
        assert re.search(re.escape(selector) + r"[^{]*\{[^}]*display:\s*none", rules), selector


def test_another_forces_summary_is_404(personas, report, other_force):
    from liaison_helpers import client_for

    handover = make_handover(personas, report)
    other = client_for(other_force.officer)
    assert other.get(handover_url(handover, "police_summary")).status_code == 404
    caseworker = client_for(personas.caseworker)
    assert caseworker.get(handover_url(handover, "police_summary")).status_code == 403
    assert reverse("staff:police_summary", kwargs={"handover_id": handover.pk}).endswith(
        f"/staff/police/{handover.pk}/summary/"
    )
