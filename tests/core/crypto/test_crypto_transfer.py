"""Transfer of custody (issue 13, item 3): the report key is re-wrapped for the
receiving organisation; it opens the report, the sender no longer can, and the
reporter's receipt keeps working.

Personas: LAWRS holds the report (Ana works there); Kalayaan takes it over
(Olu works there); the Met is a police force that must never receive one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from safereport.core.crypto import (
    DecryptionFailed,
    FirewallRefusal,
    NewOrganisation,
    ReportKeyring,
    ReportShredded,
    Vault,
    seal_section,
)
from safereport.core.vocabulary import OrgKind, Section

TEXT = "Me quitó el pasaporte. Los martes.".encode()


@pytest.fixture
def setup(vault: Vault) -> tuple[NewOrganisation, NewOrganisation, ReportKeyring, bytes, str]:
    _, ana = vault.new_staff("ana", "correct horse battery")
    lawrs = vault.new_organisation("lawrs", founder=ana)
    _, olu = vault.new_staff("olu", "another password")
    kalayaan = vault.new_organisation("kalayaan", founder=olu)
    passphrase = vault.new_receipt_passphrase()
    keyring = vault.new_report(
        "r1",
        custodian_org_id="lawrs",
        custodian_public_key=lawrs.public_key,
        receipt=vault.derive_receipt(passphrase),
    )
    sealed = seal_section("r1", keyring.public_key, Section.INCIDENT, TEXT)
    return lawrs, kalayaan, keyring, sealed, passphrase


@pytest.mark.parametrize(
    "kind", [OrgKind.SUPPORT_ORG, OrgKind.LABOUR_RIGHTS, OrgKind.SPECIALIST_SERVICE]
)
def test_the_receiver_opens_the_report_and_the_sender_no_longer_can(
    vault: Vault,
    setup: tuple[NewOrganisation, NewOrganisation, ReportKeyring, bytes, str],
    kind: OrgKind,
) -> None:
    lawrs, kalayaan, keyring, sealed, passphrase = setup
    unlocked = vault.open_report_as_custodian(keyring, lawrs.unlocked)
    moved = vault.transfer_report(
        keyring,
        unlocked,
        recipient_org_id="kalayaan",
        recipient_kind=kind,
        recipient_public_key=kalayaan.public_key,
    )
    assert moved.custodian_org_id == "kalayaan" and moved.custodian_wrap != keyring.custodian_wrap
    assert moved.public_key == keyring.public_key and moved.receipt_wrap == keyring.receipt_wrap
    opened = vault.open_report_as_custodian(moved, kalayaan.unlocked)
    assert opened.open_section(Section.INCIDENT, sealed) == TEXT
    # The sender's key opens nothing any more, whatever the row claims.
    with pytest.raises(DecryptionFailed):
        vault.open_report_as_custodian(moved, lawrs.unlocked)
    with pytest.raises(DecryptionFailed):
        vault.open_report_as_custodian(replace(moved, custodian_org_id="lawrs"), lawrs.unlocked)
    # The reporter's receipt still opens it.
    mine = vault.open_report_with_receipt(moved, vault.derive_receipt(passphrase))
    assert mine.open_section(Section.INCIDENT, sealed) == TEXT


@pytest.mark.parametrize(
    "kind",
    [OrgKind.POLICE_FORCE, OrgKind.IMMIGRATION_AUTHORITY, OrgKind.LEGAL_ADVISER, OrgKind.OVERSIGHT],
)
def test_custody_never_moves_to_police_or_an_immigration_authority(
    vault: Vault,
    setup: tuple[NewOrganisation, NewOrganisation, ReportKeyring, bytes, str],
    kind: OrgKind,
) -> None:
    lawrs, kalayaan, keyring, _, _ = setup
    unlocked = vault.open_report_as_custodian(keyring, lawrs.unlocked)
    with pytest.raises(FirewallRefusal):
        vault.transfer_report(
            keyring,
            unlocked,
            recipient_org_id="met",
            recipient_kind=kind,
            recipient_public_key=kalayaan.public_key,
        )


def test_a_transfer_needs_this_reports_key_and_a_live_report(
    vault: Vault, setup: tuple[NewOrganisation, NewOrganisation, ReportKeyring, bytes, str]
) -> None:
    lawrs, kalayaan, keyring, _, _ = setup
    other = vault.new_report(
        "r2",
        custodian_org_id="lawrs",
        custodian_public_key=lawrs.public_key,
        receipt=vault.derive_receipt(vault.new_receipt_passphrase()),
    )
    wrong = vault.open_report_as_custodian(other, lawrs.unlocked)
    args = {
        "recipient_org_id": "kalayaan",
        "recipient_kind": OrgKind.SUPPORT_ORG,
        "recipient_public_key": kalayaan.public_key,
    }
    with pytest.raises(DecryptionFailed):
        vault.transfer_report(keyring, wrong, **args)  # type: ignore[arg-type]
    unlocked = vault.open_report_as_custodian(keyring, lawrs.unlocked)
    with pytest.raises(ReportShredded):
        vault.transfer_report(keyring.shredded(), unlocked, **args)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="another organisation"):
        vault.transfer_report(
            keyring,
            unlocked,
            **(args | {"recipient_org_id": "lawrs"}),  # type: ignore[arg-type]
        )
