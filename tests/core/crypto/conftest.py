"""The only place tests lower the Argon2id cost: a fixture-built Vault."""

from __future__ import annotations

import pytest

from safereport.core.crypto import KdfCost, Vault, new_installation_salt

# libsodium's minimum (1 pass, 8 KiB): fast tests, never production.
TEST_COST = KdfCost(opslimit=1, memlimit=8192)


@pytest.fixture
def vault() -> Vault:
    return Vault(
        installation_salt=new_installation_salt(),
        receipt_cost=TEST_COST,
        password_cost=TEST_COST,
        weak_kdf_for_tests=True,
    )
