"""The whole reporter journey through the core, as the Django apps will drive it.

Intake scans free text and cleans an attachment, seals everything to a new
report and shows the receipt once; a caseworker reads and replies; the
reporter comes back with the receipt and reads the reply; the report is
deleted. The stored values (what a database dump would hold) never contain
the plaintext.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from safereport.core.attachments import clean_attachment
from safereport.core.crypto import ReportShredded, Vault, seal_message, seal_section
from safereport.core.scan import find_identifiers, remove_identifiers
from safereport.core.vocabulary import Section


def test_reporter_caseworker_reporter_and_deletion(vault: Vault) -> None:
    stored: list[bytes] = []  # everything that would be written to the database

    # An organisation exists with one caseworker (set up by the accounts app).
    ana_record, ana = vault.new_staff("ana", "ana's long password")
    org = vault.new_organisation("kalayaan", founder=ana)
    stored += [ana_record.wrapped_private_key, org.recovery_wrap, org.founder_grant]

    # Intake: the reporter types an identifier by mistake and accepts removal.
    incident = "CANARY-INCIDENT He keeps my passport 123456789 and my BRP ZR1234567."
    assert {m.kind.value for m in find_identifiers(incident)} == {"passport_number", "brp_number"}
    incident = remove_identifiers(incident)
    assert find_identifiers(incident) == []

    picture = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(picture, format="JPEG")
    attachment = clean_attachment(picture.getvalue(), max_bytes=1024 * 1024)

    passphrase = vault.new_receipt_passphrase()  # shown once, never stored
    receipt = vault.derive_receipt(passphrase)
    keyring = vault.new_report(
        "rep-1", custodian_org_id="kalayaan", custodian_public_key=org.public_key, receipt=receipt
    )
    sealed_incident = seal_section("rep-1", keyring.public_key, Section.INCIDENT, incident.encode())
    sealed_contact = seal_section(
        "rep-1", keyring.public_key, Section.CONTACT, b"CANARY-CONTACT after 9pm"
    )
    sealed_picture = seal_section(
        "rep-1", keyring.public_key, Section.ATTACHMENTS, attachment.data, item_id="att-1"
    )
    assert keyring.receipt_lookup_digest is not None
    assert keyring.receipt_wrap is not None and keyring.custodian_wrap is not None
    stored += [keyring.receipt_lookup_digest, keyring.receipt_wrap, keyring.custodian_wrap]
    stored += [sealed_incident, sealed_contact, sealed_picture]

    # Caseworker logs in, opens the organisation key, reads, replies.
    ana = vault.unlock_staff("ana", ana_record, "ana's long password")
    kalayaan = vault.unlock_organisation("kalayaan", org.public_key, org.founder_grant, ana)
    case = vault.open_report_as_custodian(keyring, kalayaan)
    assert case.open_section(Section.INCIDENT, sealed_incident).decode() == incident
    assert case.open_section(Section.ATTACHMENTS, sealed_picture, item_id="att-1") == (
        attachment.data
    )
    reply = seal_message("rep-1", keyring.public_key, "msg-1", b"CANARY-REPLY We can help.")
    stored.append(reply)

    # The reporter comes back, typing the receipt in capitals.
    back = vault.derive_receipt(passphrase.upper())
    assert back.lookup_digest == keyring.receipt_lookup_digest  # how the row is found
    mine = vault.open_report_with_receipt(keyring, back)
    assert mine.open_message("msg-1", reply) == b"CANARY-REPLY We can help."
    answer = mine.seal_message("msg-2", b"CANARY-ANSWER thank you")
    stored.append(answer)
    assert case.open_message("msg-2", answer) == b"CANARY-ANSWER thank you"

    # Nothing stored holds a canary, the passphrase or a password.
    dump = b"".join(stored)
    for secret in (b"CANARY", passphrase.encode(), b"ana's long password"):
        assert secret not in dump

    # The reporter asks for deletion: the keys go, and with them the report.
    keyring = keyring.shredded()
    with pytest.raises(ReportShredded):
        vault.open_report_with_receipt(keyring, back)
    with pytest.raises(ReportShredded):
        vault.open_report_as_custodian(keyring, kalayaan)
