"""The staff password hasher: Argon2id at the vault's cost, inside the admission gate.

Django's own Argon2 hasher takes 100 MiB per check (and runs for unknown
account names too, to hide which names exist), outside any limit. This one
uses the cost the vault uses for staff keys (RFC 9106's second option: three
passes over 64 MiB, core/crypto/cost.py), so that one admission slot is one
64 MiB derivation, and runs every hash and check inside ``admission.gate()``.
A hash made at the older cost still checks (the cost is read from the hash)
and is re-made at this one at the next successful sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher

from safereport import admission
from safereport.core.crypto.cost import PASSWORD_COST


class AdmittedArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = PASSWORD_COST.opslimit
    memory_cost = PASSWORD_COST.memlimit // 1024  # argon2-cffi counts KiB
    parallelism = 1

    def encode(self, password: str, salt: str) -> str:
        with admission.admitted():
            return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        with admission.admitted():
            return super().verify(password, encoded)
