"""The transparency log on the database: appends, proofs and a full verification.

Usage::

    .venv/bin/python bench/ledger_db_bench.py [--entries N] [--proofs P]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/safereport \\
        .venv/bin/python bench/ledger_db_bench.py

It makes a scratch database (``test_safereport_ledger_bench``, destroyed
afterwards; in memory for SQLite), migrates it, and for a log of N entries (default
20,000) prints, beside baselines measured in the same run on the same
entries:

* append: ``transparency.actions.append_entry`` one by one, each in its own
  transaction (lock, frontier read, entry + nodes + signed head written);
  baselines: inserting the bare entry row with the ORM in its own
  transaction, and the in-memory ``core.ledger.MerkleTree`` append;
* proofs: inclusion and consistency proofs read from the database (one node
  query each), and their verification, median over P random cases; baseline:
  the same proofs from the in-memory tree;
* verify: ``safereport ledger export`` then the audit of that export (every
  leaf hashed, every signed head's root and signature checked).

The signing key is a fixed throwaway seed; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safereport.settings")
os.environ.setdefault("SAFEREPORT_DATA_DIR", tempfile.mkdtemp(prefix="sr-ledger-bench-"))
os.environ["SAFEREPORT_LEDGER_SIGNING_KEY"] = "be" * 32


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--proofs", type=int, default=300)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment

    from safereport.core.events import EventKind
    from safereport.core.ledger import (
        Decision,
        Entry,
        MerkleTree,
        encode_entry,
        leaf_hash,
    )
    from safereport.core.vocabulary import OrgKind, Purpose, Section
    from safereport.transparency import selectors
    from safereport.transparency.actions import append_entry
    from safereport.transparency.models import LogEntry

    setup_test_environment()
    # Its own scratch database, so a test run on the same server is never touched.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        None if connection.vendor == "sqlite" else "test_safereport_ledger_bench"
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rng = random.Random(5)
        kinds = list(OrgKind)[:-1]
        entries = [
            Entry(
                kind=EventKind.DISCLOSURE_ALLOWED,
                week="2026-W47",
                org="kalayaan",
                recipient_kind=rng.choice(kinds),
                purpose=Purpose.SUPPORT_REFERRAL,
                sections=(Section.INCIDENT, Section.SUPPORT_NEEDS),
                decision=Decision.ALLOW,
                policy_hash=bytes(32),
                rule_ids=("permit-consent",),
            )
            for _ in range(args.entries)
        ]
        start_size = selectors.log_size()  # the policy entry written by migrate
        n = args.entries

        def append_all() -> None:
            for entry in entries:
                append_entry(entry)

        append_s = timed(append_all)
        size = selectors.log_size()
        assert size == start_size + n

        data = [encode_entry(e) for e in entries]

        def bare_rows() -> None:
            base = 10**12  # out of the log's index range
            for i, raw in enumerate(data):
                with transaction.atomic():
                    LogEntry.objects.create(
                        index=base + i, data=raw, leaf_hash=leaf_hash(raw), kind="x", month="x"
                    )

        bare_s = timed(bare_rows)
        # (The bare rows sit far past the log's end; nothing below reads them.)
        rows = LogEntry.objects.filter(index__lt=size).order_by("index")
        all_data = [bytes(d) for d in rows.values_list("data", flat=True)]
        tree = MerkleTree()
        memory_s = timed(lambda: [tree.append(d) for d in all_data])
        root = tree.root()
        assert selectors.latest_tree_head().root_hash == root  # type: ignore[union-attr]

        cases = [(rng.randrange(size), rng.randrange(1, size)) for _ in range(args.proofs)]
        incl_db, incl_mem, incl_verify, cons_db, cons_mem, cons_verify = [], [], [], [], [], []
        for index, first in cases:
            t = time.perf_counter()
            proof = selectors.inclusion_proof_for(index, size)
            incl_db.append(time.perf_counter() - t)
            t = time.perf_counter()
            same = tree.inclusion_proof(index, size)
            incl_mem.append(time.perf_counter() - t)
            assert proof == same
            t = time.perf_counter()
            proof.verify(leaf_hash(all_data[index]), root)
            incl_verify.append(time.perf_counter() - t)
            t = time.perf_counter()
            cproof = selectors.consistency_proof_for(first, size)
            cons_db.append(time.perf_counter() - t)
            t = time.perf_counter()
            csame = tree.consistency_proof(first, size)
            cons_mem.append(time.perf_counter() - t)
            assert cproof == csame
            t = time.perf_counter()
            cproof.verify(tree.root(first), root)
            cons_verify.append(time.perf_counter() - t)

        with tempfile.TemporaryDirectory() as folder:
            export = Path(folder) / "log.json"
            export_s = timed(
                lambda: call_command("ledger", "export", str(export), stdout=io.StringIO())
            )
            out = io.StringIO()
            verify_s = timed(
                lambda: call_command(
                    "ledger", "verify", "--export", str(export), "--quiet", stdout=out
                )
            )
            assert "OK:" in out.getvalue(), out.getvalue()

        us = 1e6
        print(f"Transparency log on {connection.vendor}, {size:,} entries ({n:,} appended here)")
        print(f"{'operation':<44}{'SafeReport':>14}{'baseline':>14}  baseline")
        print(
            f"{'append (entries/s)':<44}{n / append_s:>14,.0f}{n / bare_s:>14,.0f}"
            "  bare ORM insert of the entry row, own transaction"
        )
        print(f"{'':<44}{'':>14}{size / memory_s:>14,.0f}  in-memory core MerkleTree.append")
        print(
            f"{'inclusion proof from the database (us)':<44}"
            f"{statistics.median(incl_db) * us:>14,.0f}{statistics.median(incl_mem) * us:>14,.1f}"
            "  same proof from the in-memory tree"
        )
        incl_verify_us = statistics.median(incl_verify) * us
        print(f"{'inclusion proof verification (us)':<44}{incl_verify_us:>14,.1f}")
        print(
            f"{'consistency proof from the database (us)':<44}"
            f"{statistics.median(cons_db) * us:>14,.0f}{statistics.median(cons_mem) * us:>14,.1f}"
            "  same proof from the in-memory tree"
        )
        cons_verify_us = statistics.median(cons_verify) * us
        print(f"{'consistency proof verification (us)':<44}{cons_verify_us:>14,.1f}")
        print(f"{'ledger export (s)':<44}{export_s:>14.2f}")
        print(
            f"{'ledger verify --export (s)':<44}{verify_s:>14.2f}{memory_s:>14.2f}"
            "  in-memory root recomputation alone"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
