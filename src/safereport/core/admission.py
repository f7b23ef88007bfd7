"""Admission control for the expensive step: at most K key derivations at once.

Each Argon2id derivation (a receipt phrase, a staff password) holds 64 MiB
for about half a second. Without a limit, every concurrent request may run
one, so a flood of submissions runs a server out of memory. ``SlotGate``
lets at most ``slots`` derivations run at once on one machine, across every
process and thread that shares its folder: the folder holds ``slots`` lock
files and a derivation runs only while it holds an exclusive ``flock`` on
one of them. A request that finds every slot taken polls for a short,
bounded time and then gets ``KdfBusy``; the caller shows a calm "busy, try
again" page and keeps what was typed.

``flock`` locks belong to an open file, not to a process, so two threads of
one process exclude each other as well as two processes do, and the kernel
releases a lock when its holder dies (a killed worker frees its slot).

``slots_for`` chooses K from the memory the machine has free and its cores.
Nothing here knows who is asking: no address, no session, no counter.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
# What one derivation holds (the receipt and password costs, core/crypto/cost.py).
DERIVATION_BYTES = 64 * MIB
# Memory kept out of K's reach for everything else on the machine (the
# workers themselves, the database, Redis, the page cache).
RESERVED_BYTES = 512 * MIB


class KdfBusy(Exception):
    """Every derivation slot stayed taken for the whole wait: try again later.

    Deliberately not a ``CryptoError``: callers that treat a failed
    derivation as a wrong phrase must not count "busy" as a wrong guess."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"every key-derivation slot is busy; retry in {retry_after} s")
        self.retry_after = retry_after


def slots_for(available_bytes: int, cores: int) -> int:
    """K for a machine with ``available_bytes`` of free memory and ``cores``
    CPUs: half of what is left after ``RESERVED_BYTES``, in 64 MiB
    derivations, at most one per core (more would only queue inside the CPU
    while holding memory), and at least one."""
    spare = max(0, available_bytes - RESERVED_BYTES) // 2
    return max(1, min(cores, spare // DERIVATION_BYTES))


def available_memory(
    read: Callable[[str], str] = lambda path: Path(path).read_text(encoding="ascii"),
) -> int | None:
    """Bytes this machine (or its control group, if it sets a lower limit)
    can still give, from ``/proc/meminfo`` and cgroup v2; None if unknown."""
    found: list[int] = []
    with contextlib.suppress(OSError, ValueError):
        for line in read("/proc/meminfo").splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    with contextlib.suppress(OSError, ValueError):
        limit = read("/sys/fs/cgroup/memory.max").strip()
        if limit != "max":
            used = int(read("/sys/fs/cgroup/memory.current").strip())
            found.append(max(0, int(limit) - used))
    return min(found) if found else None


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class SlotGate:
    """``slots`` derivations at once for everyone sharing ``folder`` (one
    machine: the folder must be on a local disk, since ``flock`` does not
    reach across machines). A caller waits at most ``wait_seconds``, polling
    every ``poll_seconds`` or so, then gets ``KdfBusy(retry_after)``."""

    folder: Path
    slots: int
    wait_seconds: float
    retry_after: int = 60
    poll_seconds: float = 0.02

    def __post_init__(self) -> None:
        if self.slots < 1:
            raise ValueError("a gate needs at least one slot")
        if self.wait_seconds < 0:
            raise ValueError("the wait cannot be negative")

    def prepare(self) -> None:
        """Create the folder and its lock files (harmless if they exist)."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for n in range(self.slots):
            path = self._slot(n)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)

    def _slot(self, n: int) -> Path:
        return self.folder / f"kdf-slot-{n}.lock"

    def _try_slots(self) -> int | None:
        first = random.randrange(self.slots)  # noqa: S311 - spreading load, not a secret
        for k in range(self.slots):
            fd = os.open(self._slot((first + k) % self.slots), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            except BaseException:
                os.close(fd)
                raise
            return fd
        return None

    @contextlib.contextmanager
    def admitted(self) -> Iterator[None]:
        """Hold one slot for the body of the ``with``; raise ``KdfBusy`` if
        none came free within the wait."""
        deadline = time.monotonic() + self.wait_seconds
        fd = self._try_slots()
        while fd is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise KdfBusy(self.retry_after)
            # Jittered, so that waiting workers do not all wake at once.
            time.sleep(min(left, self.poll_seconds * random.uniform(0.5, 1.5)))  # noqa: S311
            fd = self._try_slots()
        try:
            yield
        finally:
            os.close(fd)  # closing the only descriptor releases the lock
