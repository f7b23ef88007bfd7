"""Reports, staff, organisations, receipts and disclosure packages, end to end.

Personas: a reporter with a receipt; Ana, a caseworker at the custodian
organisation; Ben, her new colleague; Olu, who works at another organisation
and must be refused everything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safereport.core.crypto import (
    DecryptionFailed,
    FirewallRefusal,
    MalformedRecoverySecret,
    NewOrganisation,
    ReportKeyring,
    ReportShredded,
    StaffKeyRecord,
    UnlockedStaff,
    Vault,
    WrongPassphrase,
    WrongPassword,
    WrongRecoverySecret,
    parse_recovery_secret,
    seal_message,
    seal_section,
)
from safereport.core.vocabulary import OrgKind, Section

CONTENT = {
    Section.INCIDENT: "Me quitó el pasaporte y me encierra. Los martes.".encode(),
    Section.PERPETRATOR: b"Employer, restaurant on the high street",
    Section.CONTACT: b"WhatsApp after 9pm, code word: sunflower",
    Section.SUPPORT_NEEDS: b"Spanish interpreter",
}


@dataclass
class World:
    vault: Vault
    ana_record: StaffKeyRecord
    ana: UnlockedStaff
    org: NewOrganisation
    olu: UnlockedStaff
    other_org: NewOrganisation
    passphrase: str
    keyring: ReportKeyring
    sealed: dict[Section, bytes]


@pytest.fixture
def world(vault: Vault) -> World:
    ana_record, ana = vault.new_staff("ana", "correct horse battery")
    org = vault.new_organisation("lawrs", founder=ana)
    _, olu = vault.new_staff("olu", "another password")
    other_org = vault.new_organisation("elsewhere", founder=olu)
    passphrase = vault.new_receipt_passphrase()
    keyring = vault.new_report(
        "r1",
        custodian_org_id="lawrs",
        custodian_public_key=org.public_key,
        receipt=vault.derive_receipt(passphrase),
    )
    sealed = {s: seal_section("r1", keyring.public_key, s, text) for s, text in CONTENT.items()}
    return World(vault, ana_record, ana, org, olu, other_org, passphrase, keyring, sealed)


def test_reporter_reads_every_section_with_the_receipt(world: World) -> None:
    report = world.vault.open_report_with_receipt(
        world.keyring, world.vault.derive_receipt(world.passphrase)
    )
    assert {s: report.open_section(s, c) for s, c in world.sealed.items()} == CONTENT


def test_receipt_typed_sloppily_still_opens(world: World) -> None:
    typed = "  " + world.passphrase.upper().replace(" ", "   ") + "\n"
    keys = world.vault.derive_receipt(typed)
    assert keys.lookup_digest == world.keyring.receipt_lookup_digest
    world.vault.open_report_with_receipt(world.keyring, keys)


def test_custodian_staff_read_through_the_organisation_key(world: World) -> None:
    ana = world.vault.unlock_staff("ana", world.ana_record, "correct horse battery")
    org = world.vault.unlock_organisation(
        "lawrs", world.org.public_key, world.org.founder_grant, ana
    )
    report = world.vault.open_report_as_custodian(world.keyring, org)
    assert (
        report.open_section(Section.INCIDENT, world.sealed[Section.INCIDENT])
        == (CONTENT[Section.INCIDENT])
    )


def test_ciphertexts_do_not_contain_the_plaintext(world: World) -> None:
    for section, ciphertext in world.sealed.items():
        assert CONTENT[section] not in ciphertext
        assert len(ciphertext) > len(CONTENT[section])


def test_wrong_passphrase_is_refused(world: World) -> None:
    other = world.vault.new_receipt_passphrase()
    keys = world.vault.derive_receipt(other)
    assert keys.lookup_digest != world.keyring.receipt_lookup_digest
    with pytest.raises(WrongPassphrase):
        world.vault.open_report_with_receipt(world.keyring, keys)


def test_receipt_derivation_depends_on_the_installation_salt(world: World, vault: Vault) -> None:
    assert vault is world.vault
    other_install = Vault(
        installation_salt=b"\x00" * 16,
        receipt_cost=vault.receipt_cost,
        password_cost=vault.password_cost,
        weak_kdf_for_tests=True,
    )
    keys = other_install.derive_receipt(world.passphrase)
    assert keys.lookup_digest != world.keyring.receipt_lookup_digest
    with pytest.raises(WrongPassphrase):
        other_install.open_report_with_receipt(world.keyring, keys)


def test_receipt_keys_are_deterministic_split_and_hide_in_repr(world: World) -> None:
    a = world.vault.derive_receipt(world.passphrase)
    b = world.vault.derive_receipt(world.passphrase)
    assert a == b
    assert len(a.lookup_id) == len(a.unwrap_key) == len(a.lookup_digest) == 32
    assert a.lookup_id != a.unwrap_key
    assert a.lookup_digest != a.lookup_id
    assert a.lookup_id.hex() not in repr(a) and a.unwrap_key.hex() not in repr(a)


def test_another_organisation_cannot_open_the_report(world: World) -> None:
    with pytest.raises(DecryptionFailed):
        world.vault.open_report_as_custodian(world.keyring, world.other_org.unlocked)
    # Even if the row's custodian id were rewritten to the outsider's:
    forged = replace(world.keyring, custodian_org_id="elsewhere")
    with pytest.raises(DecryptionFailed):
        world.vault.open_report_as_custodian(forged, world.other_org.unlocked)


def test_outsider_cannot_open_a_colleague_grant(world: World) -> None:
    with pytest.raises(DecryptionFailed):
        world.vault.unlock_organisation(
            "lawrs", world.org.public_key, world.org.founder_grant, world.olu
        )


def test_tampered_section_is_refused(world: World) -> None:
    unlocked = world.vault.open_report_as_custodian(world.keyring, world.org.unlocked)
    ciphertext = bytearray(world.sealed[Section.CONTACT])
    for position in (1, len(ciphertext) // 2, len(ciphertext) - 1):
        tampered = bytearray(ciphertext)
        tampered[position] ^= 0x01
        with pytest.raises(DecryptionFailed):
            unlocked.open_section(Section.CONTACT, bytes(tampered))
    with pytest.raises(DecryptionFailed):
        unlocked.open_section(Section.CONTACT, b"")


def test_section_moved_to_another_field_or_report_is_refused(world: World, vault: Vault) -> None:
    unlocked = vault.open_report_as_custodian(world.keyring, world.org.unlocked)
    with pytest.raises(DecryptionFailed):
        unlocked.open_section(Section.IDENTITY, world.sealed[Section.PERPETRATOR])
    # Same report key, but the ciphertext was sealed for report "r1".
    from safereport.core.crypto.vault import UnlockedReport

    renamed = UnlockedReport("r2", unlocked._key)
    with pytest.raises(DecryptionFailed):
        renamed.open_section(Section.INCIDENT, world.sealed[Section.INCIDENT])


def test_tampered_receipt_wrap_is_refused(world: World) -> None:
    assert world.keyring.receipt_wrap is not None
    wrap = bytearray(world.keyring.receipt_wrap)
    wrap[-1] ^= 0x80
    with pytest.raises(WrongPassphrase):
        world.vault.open_report_with_receipt(
            replace(world.keyring, receipt_wrap=bytes(wrap)),
            world.vault.derive_receipt(world.passphrase),
        )


def test_messages_both_ways(world: World) -> None:
    reply = seal_message("r1", world.keyring.public_key, "m1", b"We can help. Call us.")
    reporter = world.vault.open_report_with_receipt(
        world.keyring, world.vault.derive_receipt(world.passphrase)
    )
    assert reporter.open_message("m1", reply) == b"We can help. Call us."
    answer = reporter.seal_message("m2", b"Thank you")
    staff = world.vault.open_report_as_custodian(world.keyring, world.org.unlocked)
    assert staff.open_message("m2", answer) == b"Thank you"
    with pytest.raises(DecryptionFailed):
        staff.open_message("m1", answer)


def test_attachments_are_sealed_per_item(world: World) -> None:
    one = seal_section(
        "r1", world.keyring.public_key, Section.ATTACHMENTS, b"\x89PNG", item_id="a1"
    )
    report = world.vault.open_report_as_custodian(world.keyring, world.org.unlocked)
    assert report.open_section(Section.ATTACHMENTS, one, item_id="a1") == b"\x89PNG"
    with pytest.raises(DecryptionFailed):
        report.open_section(Section.ATTACHMENTS, one, item_id="a2")


def test_wrong_staff_password_is_refused(world: World) -> None:
    with pytest.raises(WrongPassword):
        world.vault.unlock_staff("ana", world.ana_record, "Correct horse battery")


def test_staff_record_is_bound_to_its_owner(world: World) -> None:
    with pytest.raises(WrongPassword):
        world.vault.unlock_staff("olu", world.ana_record, "correct horse battery")


def test_password_change_rewraps_the_same_key_pair(world: World) -> None:
    vault = world.vault
    new_record = vault.change_password("ana", world.ana_record, "correct horse battery", "new pw")
    assert new_record.public_key == world.ana_record.public_key
    assert new_record.salt != world.ana_record.salt
    assert new_record.wrapped_private_key != world.ana_record.wrapped_private_key
    with pytest.raises(WrongPassword):
        vault.unlock_staff("ana", new_record, "correct horse battery")
    ana = vault.unlock_staff("ana", new_record, "new pw")
    # Her existing grant still opens: nothing else had to change.
    org = vault.unlock_organisation("lawrs", world.org.public_key, world.org.founder_grant, ana)
    vault.open_report_as_custodian(world.keyring, org)


def test_password_change_needs_the_old_password(world: World) -> None:
    with pytest.raises(WrongPassword):
        world.vault.change_password("ana", world.ana_record, "guess", "new pw")


def test_needs_rewrap_when_the_cost_changes(world: World, vault: Vault) -> None:
    assert not vault.needs_rewrap(world.ana_record)
    assert vault.needs_rewrap(replace(world.ana_record, opslimit=2))


def test_new_colleague_is_added_by_a_logged_in_colleague_and_reads_older_reports(
    world: World,
) -> None:
    vault = world.vault
    ben_record, _ = vault.new_staff("ben", "ben's password")
    ana = vault.unlock_staff("ana", world.ana_record, "correct horse battery")
    org = vault.unlock_organisation("lawrs", world.org.public_key, world.org.founder_grant, ana)
    grant = vault.grant_organisation(org, staff_id="ben", staff_public_key=ben_record.public_key)
    ben = vault.unlock_staff("ben", ben_record, "ben's password")
    ben_org = vault.unlock_organisation("lawrs", world.org.public_key, grant, ben)
    report = vault.open_report_as_custodian(world.keyring, ben_org)  # filed before Ben joined
    assert (
        report.open_section(Section.CONTACT, world.sealed[Section.CONTACT])
        == (CONTENT[Section.CONTACT])
    )
    # Ben's grant cannot be used by anyone else, nor relabelled as Ana's.
    with pytest.raises(DecryptionFailed):
        vault.unlock_organisation("lawrs", world.org.public_key, grant, ana)


def test_session_secret_round_trip_checks_the_public_key(world: World) -> None:
    secret = world.ana.secret_bytes()
    assert len(secret) == 32
    again = UnlockedStaff.from_secret_bytes("ana", secret, public_key=world.ana_record.public_key)
    assert again.public_key == world.ana.public_key
    with pytest.raises(DecryptionFailed):
        UnlockedStaff.from_secret_bytes("ana", secret, public_key=world.olu.public_key)
    assert secret.hex() not in repr(world.ana)


def test_recovery_secret_opens_the_organisation(world: World) -> None:
    secret = world.org.recovery_secret
    assert len(secret.replace("-", "")) == 52
    assert world.org.recovery_secret not in repr(world.org)
    recovered = world.vault.recover_organisation(
        "lawrs", world.org.public_key, world.org.recovery_wrap, secret.upper().replace("-", " ")
    )
    world.vault.open_report_as_custodian(world.keyring, recovered)


def test_recovery_secret_forgives_look_alike_digits() -> None:
    raw = bytes(range(32))
    from safereport.core.crypto import format_recovery_secret

    text = format_recovery_secret(raw)
    assert parse_recovery_secret(text.replace("o", "0").replace("l", "1")) == raw


def test_wrong_or_malformed_recovery_secret_is_refused(world: World) -> None:
    wrong = world.other_org.recovery_secret
    with pytest.raises(WrongRecoverySecret):
        world.vault.recover_organisation(
            "lawrs", world.org.public_key, world.org.recovery_wrap, wrong
        )
    with pytest.raises(MalformedRecoverySecret):
        world.vault.recover_organisation(
            "lawrs", world.org.public_key, world.org.recovery_wrap, "abcd-efgh"
        )


def test_crypto_shredding_leaves_no_way_in(world: World) -> None:
    vault = world.vault
    shredded = world.keyring.shredded()
    assert shredded.is_shredded and not world.keyring.is_shredded
    assert shredded.receipt_wrap is None and shredded.custodian_wrap is None
    assert shredded.receipt_lookup_digest is None
    with pytest.raises(ReportShredded):
        vault.open_report_with_receipt(shredded, vault.derive_receipt(world.passphrase))
    with pytest.raises(ReportShredded):
        vault.open_report_as_custodian(shredded, world.org.unlocked)
    # Every other key in the system (staff, organisations) still cannot open
    # what remains of the report: the sections are sealed to the report key.
    remaining = [shredded.public_key, *world.sealed.values()]
    from safereport.core.crypto.vault import UnlockedReport

    for holder in (world.org.unlocked, world.other_org.unlocked, world.ana, world.olu):
        impostor = UnlockedReport("r1", holder._key)
        for ciphertext in remaining[1:]:
            with pytest.raises(DecryptionFailed):
                impostor.open_section(Section.INCIDENT, ciphertext)


def test_rewrap_receipt_replaces_the_old_one(world: World) -> None:
    vault = world.vault
    report = vault.open_report_as_custodian(world.keyring, world.org.unlocked)
    new_phrase = vault.new_receipt_passphrase()
    new_keys = vault.derive_receipt(new_phrase)
    keyring = vault.rewrap_receipt(world.keyring, report, new_keys)
    assert keyring.receipt_lookup_digest == new_keys.lookup_digest
    vault.open_report_with_receipt(keyring, new_keys)
    with pytest.raises(WrongPassphrase):
        vault.open_report_with_receipt(keyring, vault.derive_receipt(world.passphrase))


def test_commitment_key_is_per_report_and_the_same_for_every_reader(world: World) -> None:
    vault = world.vault
    by_receipt = vault.open_report_with_receipt(
        world.keyring, vault.derive_receipt(world.passphrase)
    )
    by_custodian = vault.open_report_as_custodian(world.keyring, world.org.unlocked)
    key = by_receipt.ledger_commitment_key()
    assert len(key) == 32
    assert key == by_custodian.ledger_commitment_key()
    other = vault.new_report(
        "r2",
        custodian_org_id="lawrs",
        custodian_public_key=world.org.public_key,
        receipt=vault.derive_receipt(vault.new_receipt_passphrase()),
    )
    other_key = vault.open_report_as_custodian(other, world.org.unlocked).ledger_commitment_key()
    assert other_key != key


def test_disclosure_package_reaches_only_its_recipient(world: World) -> None:
    vault = world.vault
    police_record, police_officer = vault.new_staff("pc-jones", "police pw")
    police = vault.new_organisation("met", founder=police_officer)
    report = vault.open_report_as_custodian(world.keyring, world.org.unlocked)
    package = vault.new_disclosure_package(
        "d1",
        report,
        {Section.INCIDENT: world.sealed[Section.INCIDENT]},
        recipient_org_id="met",
        recipient_kind=OrgKind.POLICE_FORCE,
        recipient_public_key=police.public_key,
    )
    assert set(package.sections) == {Section.INCIDENT}
    opened = vault.open_disclosure_package(package, police.unlocked)
    assert opened.open_section(Section.INCIDENT) == CONTENT[Section.INCIDENT]
    with pytest.raises(DecryptionFailed):
        opened.open_section(Section.CONTACT)
    with pytest.raises(DecryptionFailed):
        vault.open_disclosure_package(package, world.other_org.unlocked)
    relabelled = replace(package, recipient_org_id="elsewhere")
    with pytest.raises(DecryptionFailed):
        vault.open_disclosure_package(relabelled, world.other_org.unlocked)
    # The package is a copy: the police cannot open the report itself.
    with pytest.raises(DecryptionFailed):
        vault.open_report_as_custodian(world.keyring, police.unlocked)
    gone = package.shredded()
    with pytest.raises(ReportShredded):
        vault.open_disclosure_package(gone, police.unlocked)
    assert police_record.public_key == police_officer.public_key


@pytest.mark.parametrize(
    "kind, sections",
    [
        (OrgKind.IMMIGRATION_AUTHORITY, {Section.INCIDENT}),
        (OrgKind.POLICE_FORCE, {Section.IMMIGRATION}),
        (OrgKind.SPECIALIST_SERVICE, {Section.INCIDENT, Section.IMMIGRATION}),
    ],
)
def test_firewall_refusals_in_the_crypto_layer(
    world: World, kind: OrgKind, sections: set[Section]
) -> None:
    report = world.vault.open_report_as_custodian(world.keyring, world.org.unlocked)
    sealed = {s: report.seal_section(s, b"x") for s in sections}
    with pytest.raises(FirewallRefusal):
        world.vault.new_disclosure_package(
            "d2",
            report,
            sealed,
            recipient_org_id="x",
            recipient_kind=kind,
            recipient_public_key=world.other_org.public_key,
        )


def test_immigration_section_may_go_to_a_legal_adviser(world: World) -> None:
    report = world.vault.open_report_as_custodian(world.keyring, world.org.unlocked)
    sealed = {Section.IMMIGRATION: report.seal_section(Section.IMMIGRATION, b"status details")}
    package = world.vault.new_disclosure_package(
        "d3",
        report,
        sealed,
        recipient_org_id="elsewhere",
        recipient_kind=OrgKind.LEGAL_ADVISER,
        recipient_public_key=world.other_org.public_key,
    )
    opened = world.vault.open_disclosure_package(package, world.other_org.unlocked)
    assert opened.open_section(Section.IMMIGRATION) == b"status details"


def test_intake_with_only_the_public_key_cannot_read_back(world: World) -> None:
    # The keyring holds no private key in the clear: its bytes do not open sections.
    from nacl.public import PrivateKey

    from safereport.core.crypto.vault import UnlockedReport

    for blob in (world.keyring.receipt_wrap, world.keyring.custodian_wrap):
        assert blob is not None
        for start in range(0, len(blob) - 31):
            candidate = UnlockedReport("r1", PrivateKey(blob[start : start + 32]))
            assert candidate.public_key != world.keyring.public_key


@settings(max_examples=50, deadline=None)
@given(
    plaintext=st.binary(max_size=2048),
    section=st.sampled_from(list(Section)),
    item_id=st.text(max_size=20),
    report_id=st.text(min_size=1, max_size=40),
)
def test_any_section_round_trips_and_stays_bound(
    plaintext: bytes, section: Section, item_id: str, report_id: str
) -> None:
    from nacl.public import PrivateKey

    from safereport.core.crypto.vault import UnlockedReport

    report = UnlockedReport(report_id, PrivateKey.generate())
    sealed = seal_section(report_id, report.public_key, section, plaintext, item_id=item_id)
    assert report.open_section(section, sealed, item_id=item_id) == plaintext
    with pytest.raises(DecryptionFailed):
        report.open_section(section, sealed, item_id=item_id + "x")


def test_sealing_to_a_malformed_public_key_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        seal_section("r1", b"short", Section.INCIDENT, b"x")


def test_an_organisation_made_without_a_founder_reaches_its_admin_by_invitation(
    world: World,
) -> None:
    org = world.vault.new_organisation("harbour")
    assert org.founder_grant == b""
    token = b"x" * 43
    sealed = world.vault.seal_for_invitation(
        org.unlocked, invitation_id="invitation:1", token=token
    )
    opened = world.vault.open_invitation(
        "harbour", org.public_key, sealed, invitation_id="invitation:1", token=token
    )
    assert opened.public_key == org.public_key
    # Another token, another invitation or another organisation opens nothing.
    for org_id, invitation_id, other_token in (
        ("harbour", "invitation:1", b"y" * 43),
        ("harbour", "invitation:2", token),
        ("lawrs", "invitation:1", token),
    ):
        with pytest.raises(DecryptionFailed):
            world.vault.open_invitation(
                org_id, org.public_key, sealed, invitation_id=invitation_id, token=other_token
            )
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(DecryptionFailed):
        world.vault.open_invitation(
            "harbour", org.public_key, tampered, invitation_id="invitation:1", token=token
        )
