"""Flood benchmark: many report submissions at once, with and without the admission gate.

Usage::

    REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/flood_bench.py [--flood 300] [--workers 6] [--slots 0] \\
        [--port 8340] [--prepare-threads 8]

It migrates a fresh database (a SQLite file in a temporary folder, or
PostgreSQL when ``DATABASE_URL`` is set), seeds the demo and, for each of two
configurations in turn, starts the production gunicorn configuration
(``--workers`` workers, sharing the Redis at ``REDIS_URL``: give it a
database number nobody else uses):

* **gate**: at most K Argon2id derivations at once (``--slots``; 0 lets the
  server choose K from its free memory and cores, as production does);
* **no gate** (the baseline): one slot per worker, so every worker may
  derive at once and nobody waits or is refused, as before the gate.

For each, one client prepares ``--flood`` drafts (a journey each, one cookie
jar each), then sends them all at the same moment, one thread each, while
the resident memory of the master and its workers is summed every 10 ms.
Printed: accepted/s and refused/s over the flood, the peak memory and its
rise over the baseline taken just before, and the ratios gate / no gate.
The client runs on the same machine as the server and takes some of its
cores: compare figures within one run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from safereport.core.admission import MIB  # noqa: E402 - after the path is set
from sr_testing.flood import MemorySampler, burst, in_parallel, prepare  # noqa: E402
from sr_testing.servers import Server, app_database, manage, server_env  # noqa: E402


def slots_chosen(env: dict[str, str]) -> int:
    out = manage(env, "shell", "-c", "from django.conf import settings; print(settings.KDF_SLOTS)")
    return int(out.strip().splitlines()[-1])  # after the shell's own banner


def one_configuration(
    label: str, env: dict[str, str], folder: Path, args: argparse.Namespace
) -> dict[str, float]:
    slots = int(env["SAFEREPORT_KDF_SLOTS"] or slots_chosen(env))
    app = Server(args.port, env, folder / f"{label}.log")
    app.start()
    try:
        started = time.monotonic()
        drafts = in_parallel(args.flood, args.prepare_threads, lambda n: prepare(args.port, n))
        prepared = time.monotonic() - started
        baseline = max(MemorySampler(app).now() for _ in range(20))
        with MemorySampler(app) as memory:
            flood = burst(drafts, args.port)
    finally:
        app.stop()
    others = {k: v for k, v in flood.statuses.items() if k not in (200, 503)}
    figures = {
        "accepted": flood.accepted,
        "refused": flood.refused,
        "seconds": flood.seconds,
        "accepted_per_s": flood.accepted / flood.seconds,
        "refused_per_s": flood.refused / flood.seconds,
        "baseline": baseline / MIB,
        "peak": memory.peak / MIB,
        "rise": (memory.peak - baseline) / MIB,
    }
    print(
        f"{label:8} K={slots:>2}  "
        f"prepared {args.flood} drafts in {prepared:5.1f} s; flood answered in "
        f"{flood.seconds:5.1f} s: {flood.accepted:3} accepted ({figures['accepted_per_s']:.2f}/s), "
        f"{flood.refused:3} refused busy ({figures['refused_per_s']:.2f}/s), "
        f"other {others or 'none'}; "
        f"memory baseline {figures['baseline']:.0f} MiB, peak {figures['peak']:.0f} MiB "
        f"(+{figures['rise']:.0f} MiB, {memory.samples} samples)",
        flush=True,
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=300)
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--slots", type=int, default=0, help="K; 0: chosen by the server")
    parser.add_argument("--port", type=int, default=8340)
    parser.add_argument("--prepare-threads", type=int, default=8)
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        sys.exit("Set REDIS_URL to a Redis database nobody else uses (several workers share it).")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        with app_database(server_env(folder), folder, "flood_bench") as env:
            env.update(REDIS_URL=redis_url, SAFEREPORT_WORKERS=str(args.workers))
            manage(env, "migrate", "--noinput", "-v", "0")
            manage(env, "demo")
            print(
                f"{args.flood} submissions at once, {args.workers} gunicorn workers, "
                f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            gate = one_configuration(
                "gate", {**env, "SAFEREPORT_KDF_SLOTS": str(args.slots or "")}, folder, args
            )
            none = one_configuration(
                "no gate", {**env, "SAFEREPORT_KDF_SLOTS": str(args.workers)}, folder, args
            )
    print(
        f"gate / no gate: memory rise {gate['rise'] / none['rise']:.2f}x, "
        f"peak {gate['peak'] / none['peak']:.2f}x, "
        f"accepted/s {gate['accepted_per_s'] / none['accepted_per_s']:.2f}x; "
        f"load average after: {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
