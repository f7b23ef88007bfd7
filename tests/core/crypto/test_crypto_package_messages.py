"""Messages about a disclosure package (police liaison): sealed to the package
key, opened only with it, and never confused with a section or a report message."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from safereport.core.crypto import (
    DecryptionFailed,
    DisclosurePackage,
    NewOrganisation,
    UnlockedPackage,
    UnlockedReport,
    Vault,
    seal_message,
    seal_package_message,
    seal_section,
)
from safereport.core.vocabulary import OrgKind, Section

INCIDENT = b"He took my passport on Tuesday."
QUESTION = "¿Puede venir el jueves? Crime ref 12/3456".encode()


@dataclass
class Liaison:
    vault: Vault
    report: UnlockedReport
    police: NewOrganisation
    other_force: NewOrganisation
    package: DisclosurePackage
    opened: UnlockedPackage


@pytest.fixture
def liaison(vault: Vault) -> Liaison:
    _, ana = vault.new_staff("ana", "caseworker pw")
    org = vault.new_organisation("lawrs", founder=ana)
    _, jones = vault.new_staff("pc-jones", "police pw")
    police = vault.new_organisation("met", founder=jones)
    _, smith = vault.new_staff("pc-smith", "other force pw")
    other_force = vault.new_organisation("kent", founder=smith)
    keyring = vault.new_report(
        "r1",
        custodian_org_id="lawrs",
        custodian_public_key=org.public_key,
        receipt=vault.derive_receipt(vault.new_receipt_passphrase()),
    )
    report = vault.open_report_as_custodian(keyring, org.unlocked)
    package = vault.new_disclosure_package(
        "p1",
        report,
        {Section.INCIDENT: seal_section("r1", keyring.public_key, Section.INCIDENT, INCIDENT)},
        recipient_org_id="met",
        recipient_kind=OrgKind.POLICE_FORCE,
        recipient_public_key=police.public_key,
    )
    opened = vault.open_disclosure_package(package, police.unlocked)
    return Liaison(vault, report, police, other_force, package, opened)


def test_the_recipient_opens_a_package_message(liaison: Liaison) -> None:
    sealed = seal_package_message("p1", liaison.package.public_key, "m1", QUESTION)
    assert QUESTION not in sealed
    assert liaison.opened.open_message("m1", sealed) == QUESTION


def test_another_message_id_or_package_does_not_open_it(liaison: Liaison) -> None:
    sealed = seal_package_message("p1", liaison.package.public_key, "m1", QUESTION)
    with pytest.raises(DecryptionFailed):
        liaison.opened.open_message("m2", sealed)
    # The same key pair under another package id (a row moved to another package).
    moved = UnlockedPackage(replace(liaison.package, package_id="p2"), liaison.opened._key)
    with pytest.raises(DecryptionFailed):
        moved.open_message("m1", sealed)


def test_the_wrong_key_fails(liaison: Liaison) -> None:
    other = liaison.vault.new_disclosure_package(
        "p9",
        liaison.report,
        {
            Section.INCIDENT: seal_section(
                "r1", liaison.report.public_key, Section.INCIDENT, INCIDENT
            )
        },
        recipient_org_id="kent",
        recipient_kind=OrgKind.POLICE_FORCE,
        recipient_public_key=liaison.other_force.public_key,
    )
    sealed = seal_package_message("p1", liaison.package.public_key, "m1", QUESTION)
    other_opened = liaison.vault.open_disclosure_package(other, liaison.other_force.unlocked)
    with pytest.raises(DecryptionFailed):
        other_opened.open_message("m1", sealed)
    # The other force cannot open the package the message belongs to.
    with pytest.raises(DecryptionFailed):
        liaison.vault.open_disclosure_package(liaison.package, liaison.other_force.unlocked)
    # The report key does not open a package message either, even with the same ids.
    with pytest.raises(DecryptionFailed):
        liaison.report.open_message("m1", sealed)


def test_a_message_cannot_be_replayed_as_a_section_or_the_reverse(liaison: Liaison) -> None:
    # A message whose id is a section's name, sealed to the same package key.
    posing = seal_package_message("p1", liaison.package.public_key, "incident", QUESTION)
    forged = UnlockedPackage(
        replace(liaison.package, sections={Section.INCIDENT: posing}), liaison.opened._key
    )
    with pytest.raises(DecryptionFailed):
        forged.open_section(Section.INCIDENT)
    # A real section read as a message with the section's name as the id.
    section = liaison.package.sections[Section.INCIDENT]
    with pytest.raises(DecryptionFailed):
        liaison.opened.open_message("incident", section)
    assert liaison.opened.open_section(Section.INCIDENT) == INCIDENT


def test_a_report_message_is_not_a_package_message(liaison: Liaison) -> None:
    """Even sealed to the package's own key under the report framing, it does not open."""
    report_framed = seal_message("p1", liaison.package.public_key, "m1", QUESTION)
    with pytest.raises(DecryptionFailed):
        liaison.opened.open_message("m1", report_framed)
