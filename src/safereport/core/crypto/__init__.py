"""Encryption at rest and receipt passphrases (PyNaCl / libsodium).

Call ``Vault`` for every key operation and ``seal_section`` / ``seal_message``
to write to a report with its public key alone. See ``vault.py`` for the key
model and docs/threat-model.md for what it protects against.
"""

from safereport.core.crypto.cost import (
    FLOOR_MEMLIMIT,
    FLOOR_OPSLIMIT,
    PASSWORD_COST,
    RECEIPT_COST,
    KdfCost,
    require_production_strength,
)
from safereport.core.crypto.errors import (
    CryptoError,
    DecryptionFailed,
    FirewallRefusal,
    MalformedPassphrase,
    MalformedRecoverySecret,
    ReportShredded,
    WeakKdfCost,
    WrongPassphrase,
    WrongPassword,
    WrongRecoverySecret,
)
from safereport.core.crypto.passphrase import (
    PASSPHRASE_WORDS,
    new_passphrase,
    normalise_passphrase,
    passphrase_entropy_bits,
    wordlist,
)
from safereport.core.crypto.vault import (
    LEDGER_COMMITMENT_CONTEXT,
    DisclosurePackage,
    NewOrganisation,
    ReceiptKeys,
    ReportKeyring,
    StaffKeyRecord,
    UnlockedOrganisation,
    UnlockedPackage,
    UnlockedReport,
    UnlockedStaff,
    Vault,
    format_recovery_secret,
    new_installation_salt,
    parse_recovery_secret,
    seal_message,
    seal_package_message,
    seal_section,
)

__all__ = [
    "FLOOR_MEMLIMIT",
    "FLOOR_OPSLIMIT",
    "LEDGER_COMMITMENT_CONTEXT",
    "PASSPHRASE_WORDS",
    "PASSWORD_COST",
    "RECEIPT_COST",
    "CryptoError",
    "DecryptionFailed",
    "DisclosurePackage",
    "FirewallRefusal",
    "KdfCost",
    "MalformedPassphrase",
    "MalformedRecoverySecret",
    "NewOrganisation",
    "ReceiptKeys",
    "ReportKeyring",
    "ReportShredded",
    "StaffKeyRecord",
    "UnlockedOrganisation",
    "UnlockedPackage",
    "UnlockedReport",
    "UnlockedStaff",
    "Vault",
    "WeakKdfCost",
    "WrongPassphrase",
    "WrongPassword",
    "WrongRecoverySecret",
    "format_recovery_secret",
    "new_installation_salt",
    "new_passphrase",
    "normalise_passphrase",
    "parse_recovery_secret",
    "passphrase_entropy_bits",
    "require_production_strength",
    "seal_message",
    "seal_package_message",
    "seal_section",
    "wordlist",
]
