"""A report submitted through the real action, for tests of case work and what builds on it."""

from __future__ import annotations

from safereport.cases.actions import (
    CleanFile,
    NewReport,
    derive_new_receipt,
    do_submit_report,
)
from safereport.core.vocabulary import Section

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d1b3a90000000049454e44ae426082"
)


def submit(personas, *, org=None, text="He hit me on Friday.", token=None, acting_user=None):  # type: ignore[no-untyped-def]
    passphrase, receipt = derive_new_receipt()
    report = do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants="support_only",
            custodian=org or personas.support_org,
            sections={
                Section.INCIDENT: {"when": "Friday", "where": "home", "what": text},
                Section.PERPETRATOR: {"who": "my husband"},
                Section.IDENTITY: {"name": ""},
            },
            attachments=(CleanFile(data=b"a note", media_type="text/plain; charset=utf-8"),),
        ),
        receipt=receipt,
        submission_token=token,
        acting_user=acting_user,
    )
    return report, passphrase


def submit_labour_report(org, *, text: str):  # type: ignore[no-untyped-def]
    """A labour-exploitation report (incident and support needs, no file) sent
    to ``org``, and its secret phrase (the transfer tests, issue 13)."""
    passphrase, receipt = derive_new_receipt()
    report = do_submit_report(
        NewReport(
            crime_type="labour_exploitation",
            wants="support_only",
            custodian=org,
            sections={
                Section.INCIDENT: {"when": "May", "where": "work", "what": text},
                Section.SUPPORT_NEEDS: {"interpreter": "es"},
            },
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )
    return report, passphrase
