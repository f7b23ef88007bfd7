"""The admission gate: at most K derivations at once, across threads and processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from safereport.core.admission import (
    DERIVATION_BYTES,
    MIB,
    RESERVED_BYTES,
    KdfBusy,
    SlotGate,
    available_memory,
    slots_for,
)
from safereport.core.crypto import CryptoError, KdfCost, Vault, new_installation_salt
from safereport.core.crypto.passphrase import new_passphrase

GIB = 1024 * MIB


@pytest.mark.parametrize(
    ("available", "cores", "k"),
    [
        (24 * GIB, 2, 2),  # plenty of memory: one per core
        (24 * GIB, 64, 64),
        (RESERVED_BYTES + 4 * DERIVATION_BYTES, 8, 2),  # half of what is spare
        (RESERVED_BYTES + 2 * DERIVATION_BYTES, 8, 1),
        (RESERVED_BYTES, 8, 1),  # never below one: the site must still work
        (0, 4, 1),
        (1 * GIB, 4, 4),  # (1 GiB - 512 MiB) / 2 = 256 MiB = 4 derivations
        (1 * GIB, 2, 2),
    ],
)
def test_k_comes_from_free_memory_and_cores(available: int, cores: int, k: int) -> None:
    assert slots_for(available, cores) == k


def test_free_memory_is_the_lower_of_the_machine_and_its_control_group() -> None:
    files = {
        "/proc/meminfo": "MemTotal: 8000000 kB\nMemAvailable:    4000000 kB\n",
        "/sys/fs/cgroup/memory.max": str(3 * GIB) + "\n",
        "/sys/fs/cgroup/memory.current": str(1 * GIB) + "\n",
    }
    assert available_memory(files.__getitem__) == 2 * GIB
    files["/sys/fs/cgroup/memory.max"] = "max\n"
    assert available_memory(files.__getitem__) == 4000000 * 1024

    def nothing(path: str) -> str:
        raise FileNotFoundError(path)

    assert available_memory(nothing) is None
    assert (available_memory() or 0) > 0  # this machine's own files parse


def test_a_gate_needs_a_slot() -> None:
    with pytest.raises(ValueError, match="slot"):
        SlotGate(Path("/tmp"), 0, 1.0)  # noqa: S108 - never opened


def test_no_more_than_k_run_at_once_and_everyone_waiting_gets_in(tmp_path: Path) -> None:
    gate = SlotGate(tmp_path, slots=2, wait_seconds=30)
    gate.prepare()
    lock = threading.Lock()
    running = 0
    most = 0

    def derive() -> None:
        nonlocal running, most
        with gate.admitted():
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.02)
            with lock:
                running -= 1

    with ThreadPoolExecutor(8) as pool:
        for future in [pool.submit(derive) for _ in range(40)]:
            future.result()
    assert most == 2


def test_when_every_slot_stays_taken_the_caller_is_told_busy_after_the_wait(
    tmp_path: Path,
) -> None:
    gate = SlotGate(tmp_path, slots=1, wait_seconds=0.3, retry_after=45)
    gate.prepare()
    with gate.admitted():
        started = time.monotonic()
        with pytest.raises(KdfBusy) as busy, gate.admitted():
            pytest.fail("two derivations ran at once with one slot")
        waited = time.monotonic() - started
    assert busy.value.retry_after == 45
    assert 0.3 <= waited < 5  # it waited for its turn, boundedly
    assert not isinstance(busy.value, CryptoError)  # never counted as a wrong phrase
    with gate.admitted():  # released: the next one gets in at once
        pass


def test_a_slot_freed_during_the_wait_is_taken(tmp_path: Path) -> None:
    gate = SlotGate(tmp_path, slots=1, wait_seconds=10)
    gate.prepare()
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with gate.admitted():
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(10)
    threading.Timer(0.2, release.set).start()
    with gate.admitted():
        assert release.is_set()
    thread.join()


HOLD = """
import sys, time
from pathlib import Path
from safereport.core.admission import SlotGate
gate = SlotGate(Path(sys.argv[1]), slots=int(sys.argv[2]), wait_seconds=5)
with gate.admitted():
    print("holding", flush=True)
    time.sleep(60)
"""


def test_other_processes_share_the_slots_and_a_killed_holder_frees_its_own(
    tmp_path: Path,
) -> None:
    gate = SlotGate(tmp_path, slots=2, wait_seconds=0.2)
    gate.prepare()
    holders = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", HOLD, str(tmp_path), "2"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for holder in holders:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(KdfBusy), gate.admitted():
            pass
        os.kill(holders[0].pid, signal.SIGKILL)  # a worker dies mid-derivation
        holders[0].wait(10)
        with gate.admitted():
            pass
    finally:
        for holder in holders:
            holder.kill()
            holder.wait(10)


TEST_COST = KdfCost(opslimit=1, memlimit=8192)


def test_every_derivation_of_the_vault_goes_through_its_gate(tmp_path: Path) -> None:
    gate = SlotGate(tmp_path, slots=1, wait_seconds=0.05)
    gate.prepare()
    vault = Vault(
        installation_salt=new_installation_salt(),
        receipt_cost=TEST_COST,
        password_cost=TEST_COST,
        weak_kdf_for_tests=True,
        kdf_gate=gate.admitted,
    )
    phrase = new_passphrase()
    record, _ = vault.new_staff("staff:1", "a long password 1")
    derivations = {
        "receipt": lambda: vault.derive_receipt(phrase),
        "new staff": lambda: vault.new_staff("staff:2", "a long password 2"),
        "unlock staff": lambda: vault.unlock_staff("staff:1", record, "a long password 1"),
        "change password": lambda: vault.change_password(
            "staff:1", record, "a long password 1", "a long password 3"
        ),
    }
    for name, derive in derivations.items():
        derive()  # a free slot: it runs
        with gate.admitted(), pytest.raises(KdfBusy):  # someone else holds the only slot
            derive()
            pytest.fail(f"{name} ran outside the gate")
