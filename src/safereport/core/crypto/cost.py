"""Argon2id cost parameters, passed in as a value.

Production code uses ``RECEIPT_COST`` and ``PASSWORD_COST``. Tests lower the
cost only through a pytest fixture that builds a ``Vault`` with
``weak_kdf_for_tests=True``; the production constants never change for tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import nacl.pwhash.argon2id as argon2id

from safereport.core.crypto.errors import WeakKdfCost

MIB = 1024 * 1024

# The floor below which a Vault refuses to run unless built for tests.
FLOOR_OPSLIMIT = 3
FLOOR_MEMLIMIT = 64 * MIB


@dataclass(frozen=True, slots=True)
class KdfCost:
    """Argon2id (libsodium ``crypto_pwhash``, one lane) cost.

    ``opslimit`` is the number of passes over memory (Argon2's t) and
    ``memlimit`` the memory in bytes (Argon2's m, in bytes not KiB).
    """

    opslimit: int
    memlimit: int

    def __post_init__(self) -> None:
        if not argon2id.OPSLIMIT_MIN <= self.opslimit <= argon2id.OPSLIMIT_MAX:
            raise WeakKdfCost(f"opslimit {self.opslimit} is outside libsodium's range")
        if not argon2id.MEMLIMIT_MIN <= self.memlimit <= argon2id.MEMLIMIT_MAX:
            raise WeakKdfCost(f"memlimit {self.memlimit} is outside libsodium's range")

    @property
    def meets_production_floor(self) -> bool:
        return self.opslimit >= FLOOR_OPSLIMIT and self.memlimit >= FLOOR_MEMLIMIT


# RFC 9106 section 4, second recommended option: t=3 passes, 64 MiB.
# (libsodium runs one lane; the RFC's p=4 does not apply.)
RECEIPT_COST = KdfCost(opslimit=3, memlimit=64 * MIB)
PASSWORD_COST = KdfCost(opslimit=3, memlimit=64 * MIB)


def require_production_strength(cost: KdfCost) -> None:
    """Raise ``WeakKdfCost`` unless ``cost`` is at or above the floor
    (3 passes, 64 MiB)."""
    if not cost.meets_production_floor:
        raise WeakKdfCost(
            f"Argon2id cost opslimit={cost.opslimit}, memlimit={cost.memlimit} is below "
            f"the production floor opslimit={FLOOR_OPSLIMIT}, memlimit={FLOOR_MEMLIMIT}"
        )
