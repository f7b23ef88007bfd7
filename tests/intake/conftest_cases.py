"""A report of another organisation, made through the real action."""

from __future__ import annotations

from safereport.cases.actions import ConsentChoice, NewReport, derive_new_receipt, do_submit_report
from safereport.cases.models import Consent
from safereport.core.vocabulary import Purpose, Section


def other_consent(personas) -> Consent:  # type: ignore[no-untyped-def]
    _, receipt = derive_new_receipt()
    report = do_submit_report(
        NewReport(
            crime_type="other",
            wants="police_through_organisation",
            custodian=personas.other_support_org,
            sections={Section.INCIDENT: {"what": "elsewhere"}},
            consents=(
                ConsentChoice(
                    personas.police_force, Purpose.CRIME_INVESTIGATION, (Section.INCIDENT,)
                ),
            ),
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )
    return report.consents.get()
