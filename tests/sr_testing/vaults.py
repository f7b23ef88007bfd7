"""A vault whose key derivations cost next to nothing, for tests and benchmarks only."""

from __future__ import annotations

from django.conf import settings

from safereport.core.crypto import KdfCost, Vault

CHEAP = KdfCost(opslimit=1, memlimit=8192)


def cheap_vault() -> Vault:
    """Argon2id at 8 KiB and one pass (``weak_kdf_for_tests``): everything else as in use."""
    return Vault(
        installation_salt=settings.INSTALLATION_SALT,
        receipt_cost=CHEAP,
        password_cost=CHEAP,
        weak_kdf_for_tests=True,
    )
