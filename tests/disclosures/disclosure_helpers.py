"""Helpers for the firewall's Django tests (imported by name: no clash with other conftests)."""

from __future__ import annotations

from django.urls import reverse

from safereport.cases.models import ReportSection
from safereport.disclosures.models import DisclosureAttempt, DisclosurePackage, PackageSection
from safereport.transparency.models import LogEntry


def share_url(report) -> str:  # type: ignore[no-untyped-def]
    return reverse("staff:disclosure_share", kwargs={"public_id": report.public_id})


def share(client, report, *, recipient, purpose, sections):  # type: ignore[no-untyped-def]
    """POST the share form exactly as a browser would (or as a crafted request)."""
    return client.post(
        share_url(report),
        {"recipient": recipient.pk, "purpose": purpose, "sections": list(sections)},
    )


class Counts:
    """What exists now, to check that a refusal left nothing and recorded itself."""

    def __init__(self) -> None:
        self.attempts = DisclosureAttempt.objects.count()
        self.refused = DisclosureAttempt.objects.filter(allowed=False).count()
        self.packages = DisclosurePackage.objects.count()
        self.package_sections = PackageSection.objects.count()
        self.log = LogEntry.objects.count()
        self.report_sections = ReportSection.objects.count()
