"""Argon2id cost: production defaults meet the floor; weak costs need the test flag."""

from __future__ import annotations

import pytest

from safereport.core.crypto import (
    FLOOR_MEMLIMIT,
    FLOOR_OPSLIMIT,
    PASSWORD_COST,
    RECEIPT_COST,
    KdfCost,
    Vault,
    WeakKdfCost,
    new_installation_salt,
    require_production_strength,
)


def test_floor_is_at_least_64_mib_and_three_passes() -> None:
    assert FLOOR_MEMLIMIT >= 64 * 1024 * 1024
    assert FLOOR_OPSLIMIT >= 3


@pytest.mark.parametrize("cost", [RECEIPT_COST, PASSWORD_COST])
def test_production_defaults_meet_the_floor(cost: KdfCost) -> None:
    assert cost.memlimit >= FLOOR_MEMLIMIT
    assert cost.opslimit >= FLOOR_OPSLIMIT
    require_production_strength(cost)


@pytest.mark.parametrize(
    "cost",
    [
        KdfCost(opslimit=3, memlimit=64 * 1024 * 1024 - 1024),
        KdfCost(opslimit=2, memlimit=256 * 1024 * 1024),
        KdfCost(opslimit=1, memlimit=8192),
    ],
)
def test_below_floor_is_refused(cost: KdfCost) -> None:
    with pytest.raises(WeakKdfCost):
        require_production_strength(cost)


def test_vault_refuses_weak_cost_without_the_test_flag() -> None:
    weak = KdfCost(opslimit=1, memlimit=8192)
    with pytest.raises(WeakKdfCost):
        Vault(installation_salt=new_installation_salt(), receipt_cost=weak)
    with pytest.raises(WeakKdfCost):
        Vault(installation_salt=new_installation_salt(), password_cost=weak)


def test_vault_defaults_are_the_production_costs() -> None:
    vault = Vault(installation_salt=new_installation_salt())
    assert vault.receipt_cost == RECEIPT_COST
    assert vault.password_cost == PASSWORD_COST


@pytest.mark.parametrize("ops, mem", [(0, 64 * 1024 * 1024), (3, 1024)])
def test_cost_outside_libsodium_range_is_refused(ops: int, mem: int) -> None:
    with pytest.raises(WeakKdfCost):
        KdfCost(opslimit=ops, memlimit=mem)


def test_installation_salt_must_be_16_bytes() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        Vault(installation_salt=b"short")
