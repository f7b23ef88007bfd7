"""Encryption at rest: reports, staff, organisations, disclosure packages.

The key model (see docs/threat-model.md for the picture and its limits):

- A **report** has its own X25519 key pair. Every section, message and
  attachment is sealed (libsodium sealed box) to the report's public key, so
  intake can write without being able to read back. The report's private key
  is wrapped twice: under the key derived from the reporter's receipt
  passphrase (XChaCha20-Poly1305) and for the custodian organisation's public
  key (sealed box).
- An **organisation** has a key pair. Its private key is wrapped for each
  staff member's public key (sealed box: a logged-in colleague adds a new
  one) and under a recovery secret printed once at creation.
- A **staff member** has a key pair whose private key is wrapped
  (XChaCha20-Poly1305) under a key derived from their password with Argon2id
  and a per-user salt. A password change re-wraps; the key pair stays.
- A **disclosure package** has its own key pair; chosen sections are
  re-sealed to it and its private key is sealed to the recipient
  organisation.

Every ciphertext names what it is (kind, report, section or item, person or
organisation) inside the authenticated data, and opening checks that name, so
a ciphertext moved to another row, report or person does not open.

``Vault`` holds only configuration (installation salt, Argon2id costs,
randomness); keys come in as arguments and unlocked keys are small objects
the caller keeps for as long as it is allowed to.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace

import nacl.bindings as sodium
import nacl.exceptions
import nacl.pwhash.argon2id as argon2id
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox

from safereport.core.crypto.cost import (
    PASSWORD_COST,
    RECEIPT_COST,
    KdfCost,
    require_production_strength,
)
from safereport.core.crypto.errors import (
    DecryptionFailed,
    FirewallRefusal,
    MalformedRecoverySecret,
    ReportShredded,
    WrongPassphrase,
    WrongPassword,
    WrongRecoverySecret,
)
from safereport.core.crypto.passphrase import new_passphrase
from safereport.core.crypto.receipts import NewReceipt, canonical_receipt, new_receipt
from safereport.core.vocabulary import OrgKind, Section

VERSION = b"\x01"
KEY_BYTES = 32
SALT_BYTES = argon2id.SALTBYTES  # 16
_NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES  # 24
LEDGER_COMMITMENT_CONTEXT = b"safereport/ledger-commitment/v1"
# Kinds a report's custody may move to (the firewall decides; this is the
# vault's own last line, like the package checks below).
TRANSFER_KINDS = frozenset({OrgKind.SUPPORT_ORG, OrgKind.LABOUR_RIGHTS, OrgKind.SPECIALIST_SERVICE})

RandomBytes = Callable[[int], bytes]
# Entered around every Argon2id run (the admission gate, core/admission.py);
# it may raise to refuse the run before any memory is taken.
KdfGate = Callable[[], AbstractContextManager[object]]


# --------------------------------------------------------------------------
# Framing and primitives


def _frame(*parts: str) -> bytes:
    """Unambiguous encoding of a context: each part length-prefixed."""
    out = bytearray(b"safereport/v1")
    for part in parts:
        raw = part.encode("utf-8")
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)


def _aead_seal(key: bytes, plaintext: bytes, context: bytes, random_bytes: RandomBytes) -> bytes:
    nonce = random_bytes(_NONCE_BYTES)
    body = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, context, nonce, key)
    return VERSION + nonce + body


def _aead_open(key: bytes, blob: bytes, context: bytes, error: type[DecryptionFailed]) -> bytes:
    if len(blob) < 1 + _NONCE_BYTES or blob[:1] != VERSION:
        raise error("ciphertext is malformed or of an unknown version")
    nonce, body = blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
    try:
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(body, context, nonce, key)
    except nacl.exceptions.CryptoError:
        raise error("ciphertext did not open: wrong key, or altered or misplaced data") from None


def _seal_to(public_key: bytes, context: bytes, plaintext: bytes) -> bytes:
    """Sealed box to ``public_key`` carrying ``context`` ahead of the data.

    A sealed box has no associated data, so the context travels inside the
    authenticated plaintext and ``_open_sealed`` checks it."""
    if len(public_key) != KEY_BYTES:
        raise ValueError(f"a public key is {KEY_BYTES} bytes")
    box = SealedBox(PublicKey(public_key))
    return VERSION + box.encrypt(context + plaintext)


def _open_sealed(private_key: PrivateKey, context: bytes, blob: bytes) -> bytes:
    if blob[:1] != VERSION:
        raise DecryptionFailed("ciphertext is malformed or of an unknown version")
    try:
        opened = SealedBox(private_key).decrypt(blob[1:])
    except nacl.exceptions.CryptoError:
        raise DecryptionFailed(
            "ciphertext did not open: wrong key, or altered or misplaced data"
        ) from None
    if not hmac.compare_digest(opened[: len(context)], context):
        raise DecryptionFailed("ciphertext belongs to another report, section or person")
    return opened[len(context) :]


def _private_key(raw: bytes, expected_public: bytes | None) -> PrivateKey:
    if len(raw) != KEY_BYTES:
        raise DecryptionFailed("unwrapped key has the wrong length")
    key = PrivateKey(raw)
    if expected_public is not None and not hmac.compare_digest(
        bytes(key.public_key), expected_public
    ):
        raise DecryptionFailed("unwrapped key does not match the stored public key")
    return key


def seal_section(
    report_id: str,
    report_public_key: bytes,
    section: Section,
    plaintext: bytes,
    *,
    item_id: str = "",
) -> bytes:
    """Encrypt one section (or one item of it, such as one attachment, named
    by ``item_id``) to a report. Needs only the public key: whoever seals
    cannot open it later."""
    context = _frame("section", report_id, Section(section).value, item_id)
    return _seal_to(report_public_key, context, plaintext)


def seal_message(
    report_id: str, report_public_key: bytes, message_id: str, plaintext: bytes
) -> bytes:
    """Encrypt one message (either direction) to a report."""
    return _seal_to(report_public_key, _frame("message", report_id, message_id), plaintext)


def seal_package_message(
    package_id: str, package_public_key: bytes, message_id: str, plaintext: bytes
) -> bytes:
    """Encrypt one message about a disclosure package (a police liaison's
    question, update or crime reference, a caseworker's answer) to the
    package's public key, so its recipient opens it with the package key.

    Its context ("package-message") differs from a package section's
    ("package-section"), so a message can never be replayed as a section of
    the same package, nor a section read as a message."""
    return _seal_to(
        package_public_key, _frame("package-message", package_id, message_id), plaintext
    )


# --------------------------------------------------------------------------
# Values the caller stores, and unlocked keys the caller holds


@dataclass(frozen=True, slots=True)
class ReceiptKeys:
    """What a receipt passphrase derives: a lookup identifier (store only
    ``lookup_digest``) and the key that unwraps the report for the reporter."""

    lookup_id: bytes = field(repr=False)
    unwrap_key: bytes = field(repr=False)

    @property
    def lookup_digest(self) -> bytes:
        """32 bytes to store and index: a hash of the lookup identifier."""
        return hashlib.blake2b(self.lookup_id, digest_size=32, person=b"sr-receipt-look").digest()


@dataclass(frozen=True, slots=True)
class StaffKeyRecord:
    """A staff member's stored key material (one row). The Argon2id cost used
    is kept with it so raising the cost later does not lock anyone out."""

    public_key: bytes
    salt: bytes
    wrapped_private_key: bytes
    opslimit: int
    memlimit: int

    @property
    def cost(self) -> KdfCost:
        return KdfCost(opslimit=self.opslimit, memlimit=self.memlimit)


@dataclass(frozen=True, slots=True)
class ReportKeyring:
    """A report's stored key material: its public key and every wrap of its
    private key. Deleting the wraps destroys the report (see ``shredded``)."""

    report_id: str
    public_key: bytes
    custodian_org_id: str
    receipt_lookup_digest: bytes | None
    receipt_wrap: bytes | None
    custodian_wrap: bytes | None

    @property
    def is_shredded(self) -> bool:
        return self.receipt_wrap is None and self.custodian_wrap is None

    def shredded(self) -> ReportKeyring:
        """The keyring with every wrap of the private key removed.

        Crypto-shredding: once the caller has replaced the stored keyring with
        this value (deleting the wrap columns or rows), and no unlocked copy of
        the key is held anywhere, the report's sealed sections and messages
        cannot be opened by anyone, including the custodian and the reporter.
        Backups holding the old wraps must age out too. Disclosure packages
        already made are separate copies with their own keys: shred them with
        ``DisclosurePackage.shredded``."""
        return replace(self, receipt_lookup_digest=None, receipt_wrap=None, custodian_wrap=None)


@dataclass(frozen=True, slots=True)
class DisclosurePackage:
    """Sections re-sealed for one recipient organisation."""

    package_id: str
    report_id: str
    recipient_org_id: str
    public_key: bytes
    recipient_wrap: bytes | None
    sections: Mapping[Section, bytes]

    @property
    def is_shredded(self) -> bool:
        return self.recipient_wrap is None

    def shredded(self) -> DisclosurePackage:
        """The package with its key wrap removed: its sections no longer open."""
        return replace(self, recipient_wrap=None)


class _Unlocked:
    """An unlocked private key. Keep it only in server-side memory."""

    __slots__ = ("_key",)

    def __init__(self, private_key: PrivateKey) -> None:
        self._key = private_key

    @property
    def public_key(self) -> bytes:
        return bytes(self._key.public_key)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} (secret hidden)>"


class UnlockedStaff(_Unlocked):
    """A staff member's private key, unlocked at login."""

    __slots__ = ("staff_id",)

    def __init__(self, staff_id: str, private_key: PrivateKey) -> None:
        super().__init__(private_key)
        self.staff_id = staff_id

    def secret_bytes(self) -> bytes:
        """The 32-byte private key, for the server-side session store (memory
        only, never a cookie, never disk)."""
        return bytes(self._key)

    @classmethod
    def from_secret_bytes(cls, staff_id: str, secret: bytes, *, public_key: bytes) -> UnlockedStaff:
        """Rebuild from ``secret_bytes`` kept in server-side session memory,
        checking it against the stored public key."""
        return cls(staff_id, _private_key(secret, public_key))


class UnlockedOrganisation(_Unlocked):
    """An organisation's private key, opened through a staff grant."""

    __slots__ = ("org_id",)

    def __init__(self, org_id: str, private_key: PrivateKey) -> None:
        super().__init__(private_key)
        self.org_id = org_id


class UnlockedReport(_Unlocked):
    """A report's private key: opens its sections and messages."""

    __slots__ = ("report_id",)

    def __init__(self, report_id: str, private_key: PrivateKey) -> None:
        super().__init__(private_key)
        self.report_id = report_id

    def open_section(self, section: Section, ciphertext: bytes, *, item_id: str = "") -> bytes:
        context = _frame("section", self.report_id, Section(section).value, item_id)
        return _open_sealed(self._key, context, ciphertext)

    def open_message(self, message_id: str, ciphertext: bytes) -> bytes:
        return _open_sealed(self._key, _frame("message", self.report_id, message_id), ciphertext)

    def seal_section(self, section: Section, plaintext: bytes, *, item_id: str = "") -> bytes:
        return seal_section(self.report_id, self.public_key, section, plaintext, item_id=item_id)

    def seal_message(self, message_id: str, plaintext: bytes) -> bytes:
        return seal_message(self.report_id, self.public_key, message_id, plaintext)

    def ledger_commitment_key(self) -> bytes:
        """A 32-byte key for the transparency log's per-report commitments.

        BLAKE2b keyed with the report's private key over the context
        ``safereport/ledger-commitment/v1``: only the report's readers (the
        reporter with the receipt, the custodian's staff) can derive it."""
        return hashlib.blake2b(
            LEDGER_COMMITMENT_CONTEXT, key=bytes(self._key), digest_size=32
        ).digest()

    def _secret(self) -> bytes:
        return bytes(self._key)


class UnlockedPackage(_Unlocked):
    """A disclosure package's private key, opened by its recipient."""

    __slots__ = ("package",)

    def __init__(self, package: DisclosurePackage, private_key: PrivateKey) -> None:
        super().__init__(private_key)
        self.package = package

    def open_section(self, section: Section) -> bytes:
        try:
            ciphertext = self.package.sections[section]
        except KeyError:
            raise DecryptionFailed(f"the package holds no {section} section") from None
        context = _frame("package-section", self.package.package_id, Section(section).value)
        return _open_sealed(self._key, context, ciphertext)

    def open_message(self, message_id: str, ciphertext: bytes) -> bytes:
        """Open a message sealed with ``seal_package_message`` for this package."""
        context = _frame("package-message", self.package.package_id, message_id)
        return _open_sealed(self._key, context, ciphertext)


@dataclass(frozen=True, slots=True)
class NewOrganisation:
    """What creating an organisation gives: store ``public_key``,
    ``recovery_wrap`` and ``founder_grant``; print ``recovery_secret`` once
    and never store it."""

    org_id: str
    public_key: bytes
    recovery_wrap: bytes
    founder_grant: bytes
    recovery_secret: str = field(repr=False)
    unlocked: UnlockedOrganisation = field(repr=False)


# --------------------------------------------------------------------------
# The vault


class Vault:
    """Every key operation, configured once.

    ``installation_salt`` (16 random bytes, from ``new_installation_salt``)
    is part of the server's configuration, not the database: receipt lookups
    cannot be tested against a stolen database without it. Changing it
    invalidates every receipt.

    The Argon2id costs must meet the production floor (3 passes, 64 MiB)
    unless ``weak_kdf_for_tests`` is true, which only test fixtures set.

    Every Argon2id run goes through ``_kdf``, inside ``kdf_gate()`` (the
    server passes its admission gate, ``core/admission.py``, which bounds
    how many run at once and may raise ``KdfBusy``).
    """

    def __init__(
        self,
        *,
        installation_salt: bytes,
        receipt_cost: KdfCost = RECEIPT_COST,
        password_cost: KdfCost = PASSWORD_COST,
        random_bytes: RandomBytes = nacl.utils.random,
        randbelow: Callable[[int], int] = secrets.randbelow,
        weak_kdf_for_tests: bool = False,
        kdf_gate: KdfGate = contextlib.nullcontext,
    ) -> None:
        if len(installation_salt) != SALT_BYTES:
            raise ValueError(f"installation_salt must be {SALT_BYTES} bytes")
        if not weak_kdf_for_tests:
            require_production_strength(receipt_cost)
            require_production_strength(password_cost)
        self._installation_salt = bytes(installation_salt)
        self.receipt_cost = receipt_cost
        self.password_cost = password_cost
        self._random_bytes = random_bytes
        self._randbelow = randbelow
        self._kdf_gate = kdf_gate

    def gated(self, kdf_gate: KdfGate) -> Vault:
        """This vault, with every Argon2id run inside ``kdf_gate()`` instead."""
        other = copy.copy(self)
        other._kdf_gate = kdf_gate
        return other

    def __repr__(self) -> str:
        return f"<Vault receipt_cost={self.receipt_cost} password_cost={self.password_cost}>"

    def _new_private_key(self) -> PrivateKey:
        return PrivateKey(self._random_bytes(KEY_BYTES))

    # -- receipts ----------------------------------------------------------

    def new_receipt_passphrase(self) -> str:
        """Seven words, 91 bits. Show once; never store it."""
        return new_passphrase(self._randbelow)

    def new_receipt(self, form: str) -> NewReceipt:
        """A new receipt in ``form`` (a language's words or digits; receipts.py),
        at least 80 bits. Show once; never store it."""
        return new_receipt(form, self._randbelow)

    def derive_receipt(self, typed_passphrase: str) -> ReceiptKeys:
        """Argon2id (receipt cost) over the normalised passphrase and the
        installation salt: 64 bytes, split into lookup identifier and unwrap
        key. Raises ``MalformedPassphrase`` for text that cannot be a receipt.
        Deliberately slow (see docs/threat-model.md): throttle callers."""
        canonical = canonical_receipt(typed_passphrase)
        out = self._kdf(
            2 * KEY_BYTES, canonical.encode("utf-8"), self._installation_salt, self.receipt_cost
        )
        return ReceiptKeys(lookup_id=out[:KEY_BYTES], unwrap_key=out[KEY_BYTES:])

    def _kdf(self, size: int, secret: bytes, salt: bytes, cost: KdfCost) -> bytes:
        """The one place Argon2id runs: inside the admission gate."""
        with self._kdf_gate():
            return argon2id.kdf(size, secret, salt, opslimit=cost.opslimit, memlimit=cost.memlimit)

    # -- reports -----------------------------------------------------------

    def new_report(
        self,
        report_id: str,
        *,
        custodian_org_id: str,
        custodian_public_key: bytes,
        receipt: ReceiptKeys,
    ) -> ReportKeyring:
        """A fresh report key pair, wrapped for the receipt and the custodian.

        The private key is not returned: code that holds only the keyring can
        seal sections to ``keyring.public_key`` (``seal_section``) but cannot
        read them back. The reporter's own session, which still holds
        ``receipt``, can open it with ``open_report_with_receipt`` (no second
        Argon2id run), for example to derive ``ledger_commitment_key`` for
        the log entries written with the submission."""
        key = self._new_private_key()
        public = bytes(key.public_key)
        secret = bytes(key)
        return ReportKeyring(
            report_id=report_id,
            public_key=public,
            custodian_org_id=custodian_org_id,
            receipt_lookup_digest=receipt.lookup_digest,
            receipt_wrap=_aead_seal(
                receipt.unwrap_key,
                secret,
                _frame("report-key/receipt", report_id),
                self._random_bytes,
            ),
            custodian_wrap=_seal_to(
                custodian_public_key,
                _frame("report-key/custodian", report_id, custodian_org_id),
                secret,
            ),
        )

    def open_report_with_receipt(
        self, keyring: ReportKeyring, receipt: ReceiptKeys
    ) -> UnlockedReport:
        """The reporter's way in. Raises ``WrongPassphrase`` or ``ReportShredded``."""
        if keyring.receipt_wrap is None:
            raise ReportShredded(f"report {keyring.report_id} has no receipt key any more")
        secret = _aead_open(
            receipt.unwrap_key,
            keyring.receipt_wrap,
            _frame("report-key/receipt", keyring.report_id),
            WrongPassphrase,
        )
        try:
            return UnlockedReport(keyring.report_id, _private_key(secret, keyring.public_key))
        except DecryptionFailed as exc:
            raise WrongPassphrase(str(exc)) from None

    def open_report_as_custodian(
        self, keyring: ReportKeyring, organisation: UnlockedOrganisation
    ) -> UnlockedReport:
        """The custodian staff's way in. Raises ``DecryptionFailed`` (another
        organisation's key) or ``ReportShredded``."""
        if keyring.custodian_wrap is None:
            raise ReportShredded(f"report {keyring.report_id} has no custodian key any more")
        if organisation.org_id != keyring.custodian_org_id:
            raise DecryptionFailed("this organisation is not the report's custodian")
        context = _frame("report-key/custodian", keyring.report_id, keyring.custodian_org_id)
        secret = _open_sealed(organisation._key, context, keyring.custodian_wrap)
        return UnlockedReport(keyring.report_id, _private_key(secret, keyring.public_key))

    def rewrap_receipt(
        self, keyring: ReportKeyring, report: UnlockedReport, receipt: ReceiptKeys
    ) -> ReportKeyring:
        """Wrap an unlocked report for a new receipt (a caseworker issues a new
        passphrase); the old receipt stops working once the keyring is stored."""
        if report.report_id != keyring.report_id:
            raise DecryptionFailed("the unlocked report is not this keyring's report")
        return replace(
            keyring,
            receipt_lookup_digest=receipt.lookup_digest,
            receipt_wrap=_aead_seal(
                receipt.unwrap_key,
                report._secret(),
                _frame("report-key/receipt", keyring.report_id),
                self._random_bytes,
            ),
        )

    # -- transfer of custody (issue 13, item 3) --------------------------

    def transfer_report(
        self,
        keyring: ReportKeyring,
        report: UnlockedReport,
        *,
        recipient_org_id: str,
        recipient_kind: OrgKind,
        recipient_public_key: bytes,
    ) -> ReportKeyring:
        """The keyring with the custodian's wrap replaced by one for the
        receiving organisation: once stored, only that organisation (and the
        reporter's receipt) opens the report; the sending organisation's key
        no longer does. The sections, messages and notes stay as they are,
        sealed to the report's own key.

        Call this only after the firewall allowed the transfer; it refuses on
        its own (``FirewallRefusal``) a police force, an immigration authority
        or any kind that does not support victims itself."""
        if recipient_kind not in TRANSFER_KINDS:
            raise FirewallRefusal(f"a report is never transferred to a {recipient_kind.value}")
        if report.report_id != keyring.report_id:
            raise DecryptionFailed("the unlocked report is not this keyring's report")
        if not hmac.compare_digest(report.public_key, keyring.public_key):
            raise DecryptionFailed("the unlocked report does not match the stored public key")
        if keyring.custodian_wrap is None:
            raise ReportShredded(f"report {keyring.report_id} has no custodian key any more")
        if recipient_org_id == keyring.custodian_org_id:
            raise ValueError("a report is transferred to another organisation")
        return replace(
            keyring,
            custodian_org_id=recipient_org_id,
            custodian_wrap=_seal_to(
                recipient_public_key,
                _frame("report-key/custodian", keyring.report_id, recipient_org_id),
                report._secret(),
            ),
        )

    # -- staff -------------------------------------------------------------

    def _password_key(self, password: str, salt: bytes, cost: KdfCost) -> bytes:
        return self._kdf(KEY_BYTES, password.encode("utf-8"), salt, cost)

    def _wrap_staff(self, staff_id: str, key: PrivateKey, password: str) -> StaffKeyRecord:
        salt = self._random_bytes(SALT_BYTES)
        cost = self.password_cost
        wrapped = _aead_seal(
            self._password_key(password, salt, cost),
            bytes(key),
            _frame("staff-key/password", staff_id),
            self._random_bytes,
        )
        return StaffKeyRecord(
            public_key=bytes(key.public_key),
            salt=salt,
            wrapped_private_key=wrapped,
            opslimit=cost.opslimit,
            memlimit=cost.memlimit,
        )

    def new_staff(self, staff_id: str, password: str) -> tuple[StaffKeyRecord, UnlockedStaff]:
        """A new staff key pair wrapped under the password."""
        key = self._new_private_key()
        return self._wrap_staff(staff_id, key, password), UnlockedStaff(staff_id, key)

    def unlock_staff(self, staff_id: str, record: StaffKeyRecord, password: str) -> UnlockedStaff:
        """At login. Raises ``WrongPassword``."""
        secret = _aead_open(
            self._password_key(password, record.salt, record.cost),
            record.wrapped_private_key,
            _frame("staff-key/password", staff_id),
            WrongPassword,
        )
        try:
            return UnlockedStaff(staff_id, _private_key(secret, record.public_key))
        except DecryptionFailed as exc:
            raise WrongPassword(str(exc)) from None

    def change_password(
        self, staff_id: str, record: StaffKeyRecord, old_password: str, new_password: str
    ) -> StaffKeyRecord:
        """Re-wrap the same key pair under a new password (new salt, current
        cost). Raises ``WrongPassword`` if ``old_password`` is wrong."""
        unlocked = self.unlock_staff(staff_id, record, old_password)
        return self._wrap_staff(staff_id, unlocked._key, new_password)

    def needs_rewrap(self, record: StaffKeyRecord) -> bool:
        """True when the record was wrapped at another cost than the current
        one: re-wrap at the next login with ``change_password(p, p)``."""
        return record.cost != self.password_cost

    # -- organisations -----------------------------------------------------

    def new_organisation(
        self, org_id: str, *, founder: UnlockedStaff | None = None
    ) -> NewOrganisation:
        """A new organisation key pair, granted to its first staff member (if
        one is given; else ``founder_grant`` is empty and the key reaches its
        first admin through an invitation, ``seal_for_invitation``) and
        wrapped under a fresh recovery secret (print once)."""
        key = self._new_private_key()
        raw_secret = self._random_bytes(KEY_BYTES)
        unlocked = UnlockedOrganisation(org_id, key)
        return NewOrganisation(
            org_id=org_id,
            public_key=bytes(key.public_key),
            recovery_wrap=_aead_seal(
                _recovery_key(raw_secret),
                bytes(key),
                _frame("org-key/recovery", org_id),
                self._random_bytes,
            ),
            founder_grant=(
                b""
                if founder is None
                else self.grant_organisation(
                    unlocked, staff_id=founder.staff_id, staff_public_key=founder.public_key
                )
            ),
            recovery_secret=format_recovery_secret(raw_secret),
            unlocked=unlocked,
        )

    def grant_organisation(
        self, organisation: UnlockedOrganisation, *, staff_id: str, staff_public_key: bytes
    ) -> bytes:
        """Wrap the organisation key for a colleague (needs an unlocked
        organisation, so a logged-in colleague). Store one grant per staff
        member; deleting it removes their access to new unlocks."""
        context = _frame("org-key/staff", organisation.org_id, staff_id)
        return _seal_to(staff_public_key, context, bytes(organisation._key))

    def unlock_organisation(
        self, org_id: str, org_public_key: bytes, grant: bytes, staff: UnlockedStaff
    ) -> UnlockedOrganisation:
        """Open a staff member's grant. Raises ``DecryptionFailed``."""
        context = _frame("org-key/staff", org_id, staff.staff_id)
        secret = _open_sealed(staff._key, context, grant)
        return UnlockedOrganisation(org_id, _private_key(secret, org_public_key))

    def seal_for_invitation(
        self, organisation: UnlockedOrganisation, *, invitation_id: str, token: bytes
    ) -> bytes:
        """The organisation key sealed under a one-time invitation token (256
        random bits, sent only in the invitation link; the server keeps its
        hash). Whoever accepts the invitation is granted the key without a
        colleague signing in again. Open with ``open_invitation``."""
        return _aead_seal(
            _invitation_key(token),
            bytes(organisation._key),
            _frame("org-key/invitation", organisation.org_id, invitation_id),
            self._random_bytes,
        )

    def open_invitation(
        self, org_id: str, org_public_key: bytes, sealed: bytes, *, invitation_id: str, token: bytes
    ) -> UnlockedOrganisation:
        """Inverse of ``seal_for_invitation``. Raises ``DecryptionFailed``."""
        secret = _aead_open(
            _invitation_key(token),
            sealed,
            _frame("org-key/invitation", org_id, invitation_id),
            DecryptionFailed,
        )
        return UnlockedOrganisation(org_id, _private_key(secret, org_public_key))

    def recover_organisation(
        self, org_id: str, org_public_key: bytes, recovery_wrap: bytes, recovery_secret: str
    ) -> UnlockedOrganisation:
        """Open the organisation key with the printed recovery secret (when no
        colleague can log in). Raises ``MalformedRecoverySecret`` or
        ``WrongRecoverySecret``."""
        raw = parse_recovery_secret(recovery_secret)
        secret = _aead_open(
            _recovery_key(raw),
            recovery_wrap,
            _frame("org-key/recovery", org_id),
            WrongRecoverySecret,
        )
        try:
            return UnlockedOrganisation(org_id, _private_key(secret, org_public_key))
        except DecryptionFailed as exc:
            raise WrongRecoverySecret(str(exc)) from None

    # -- disclosure packages -------------------------------------------------

    def new_disclosure_package(
        self,
        package_id: str,
        report: UnlockedReport,
        sealed_sections: Mapping[Section, bytes],
        *,
        recipient_org_id: str,
        recipient_kind: OrgKind,
        recipient_public_key: bytes,
    ) -> DisclosurePackage:
        """Re-seal chosen sections of an unlocked report for a recipient.

        ``sealed_sections`` maps each chosen section to its stored ciphertext
        (as sealed to the report). Call this only after the firewall policy
        allowed the disclosure; it refuses on its own (``FirewallRefusal``)
        any package to an immigration authority and any immigration section
        to anyone but a legal adviser."""
        if recipient_kind is OrgKind.IMMIGRATION_AUTHORITY:
            raise FirewallRefusal("nothing is ever sealed for an immigration authority")
        if Section.IMMIGRATION in sealed_sections and recipient_kind is not OrgKind.LEGAL_ADVISER:
            raise FirewallRefusal("immigration information is sealed only for a legal adviser")
        if not sealed_sections:
            raise ValueError("a disclosure package needs at least one section")
        key = self._new_private_key()
        public = bytes(key.public_key)
        sections = {
            Section(section): _seal_to(
                public,
                _frame("package-section", package_id, Section(section).value),
                report.open_section(section, ciphertext),
            )
            for section, ciphertext in sealed_sections.items()
        }
        return DisclosurePackage(
            package_id=package_id,
            report_id=report.report_id,
            recipient_org_id=recipient_org_id,
            public_key=public,
            recipient_wrap=_seal_to(
                recipient_public_key,
                _frame("package-key", package_id, recipient_org_id),
                bytes(key),
            ),
            sections=sections,
        )

    def open_disclosure_package(
        self, package: DisclosurePackage, recipient: UnlockedOrganisation
    ) -> UnlockedPackage:
        """The recipient organisation opens a package addressed to it."""
        if package.recipient_wrap is None:
            raise ReportShredded(f"package {package.package_id} has no key any more")
        if recipient.org_id != package.recipient_org_id:
            raise DecryptionFailed("this package is addressed to another organisation")
        context = _frame("package-key", package.package_id, package.recipient_org_id)
        secret = _open_sealed(recipient._key, context, package.recipient_wrap)
        return UnlockedPackage(package, _private_key(secret, package.public_key))


# --------------------------------------------------------------------------
# Installation salt and recovery secrets


def new_installation_salt(random_bytes: RandomBytes = nacl.utils.random) -> bytes:
    """16 random bytes for the server configuration (once per installation)."""
    return random_bytes(SALT_BYTES)


def _recovery_key(raw_secret: bytes) -> bytes:
    # The secret is 256 random bits: a fast keyed hash is enough, no Argon2id.
    return hashlib.blake2b(raw_secret, digest_size=KEY_BYTES, person=b"sr-org-recovery").digest()


def _invitation_key(token: bytes) -> bytes:
    # The token is 256 random bits: a keyed hash is enough, as for recovery secrets.
    return hashlib.blake2b(token, digest_size=KEY_BYTES, person=b"sr-invitation").digest()


_RECOVERY_TYPOS = str.maketrans({"0": "o", "1": "l", "8": "b", "9": "g"})


def format_recovery_secret(raw_secret: bytes) -> str:
    """32 bytes as lowercase base32 in groups of four letters, for printing:
    ``abcd-efgh-...`` (13 groups)."""
    text = base64.b32encode(raw_secret).decode("ascii").rstrip("=").lower()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_secret(typed: str) -> bytes:
    """Inverse of ``format_recovery_secret``, forgiving case, spaces, hyphens
    and the look-alikes 0/o, 1/l, 8/b, 9/g."""
    compact = "".join(typed.split()).replace("-", "").lower().translate(_RECOVERY_TYPOS)
    if len(compact) != 52:
        raise MalformedRecoverySecret("a recovery secret has 52 letters and digits")
    try:
        raw = base64.b32decode(compact.upper() + "====")
    except ValueError:
        raise MalformedRecoverySecret("a recovery secret uses only a-z and 2-7") from None
    if len(raw) != KEY_BYTES:
        raise MalformedRecoverySecret("a recovery secret encodes 32 bytes")
    return raw
