"""The transparency log on the database at 10k, 100k and 1M entries.

Usage::

    .venv/bin/python bench/ledger_db_bench.py [--sizes 10000,100000,1000000] [--appends K]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sr_ledger_bench \\
        .venv/bin/python bench/ledger_db_bench.py

It makes a scratch database (``test_<name>`` of DATABASE_URL's database,
destroyed afterwards; in memory for SQLite), migrates it, and for each size
in turn:

* fills the log up to that size *in bulk*, not by appends: the entries are
  encoded and hashed, ``core.ledger.MerkleTree`` builds every node at once,
  and the rows go in with ``COPY`` on PostgreSQL (batched ``INSERT`` on
  SQLite): the entries, the nodes the tree does not hold yet, the
  ``LogState`` row (size and frontier) and one signed head. That is the same
  stored state K appends would leave, made in seconds instead of hours;
* times K appends (``transparency.actions.append_entry``, each in its own
  transaction, as an action makes them) against K bare inserts of the same
  entry row into the same table (its own transaction too), interleaved in
  blocks so that load on the machine falls on both alike, and prints
  appends/s, inserts/s and the ratio (target: append within 3x at 1M);
* checks that a head signed afterwards has the root of the whole log
  recomputed in memory, and that proofs read from the database equal the
  in-memory tree's.

At the largest size it then times ``safereport ledger export`` and
``safereport ledger verify --export`` of that export (target: under a
minute at 1M) and prints both. The signing key is a fixed throwaway seed;
nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safereport.settings")
os.environ.setdefault("SAFEREPORT_DATA_DIR", tempfile.mkdtemp(prefix="sr-ledger-bench-"))
os.environ["SAFEREPORT_LEDGER_SIGNING_KEY"] = "be" * 32

BLOCK = 100  # appends, then as many bare inserts, then again
FILL_CHUNK = 50_000  # entries made and inserted at a time while filling
BARE_BASE = 10**12  # bare rows sit far past the log's end; nothing below reads them


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--appends", type=int, default=1000, help="timed appends per size")
    parser.add_argument("--proofs", type=int, default=200)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        None if connection.vendor == "sqlite" else f"test_{connection.settings_dict['NAME']}"
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(sizes, args.appends, args.proofs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def sample_entries(start: int, count: int) -> list[bytes]:
    """Canonical entries shaped like real disclosure entries, each with its own commitment."""
    from safereport.core.events import EventKind
    from safereport.core.ledger import Decision, Entry, encode_entry, make_commitment
    from safereport.core.vocabulary import OrgKind, Purpose, Section

    rng = random.Random(start)
    kinds = list(OrgKind)[:-1]
    key = bytes(32)
    return [
        encode_entry(
            Entry(
                kind=EventKind.DISCLOSURE_ALLOWED,
                week=f"2026-W{1 + (start + i) * 52 // 2_000_000:02d}",
                org="kalayaan",
                recipient_kind=rng.choice(kinds),
                purpose=Purpose.SUPPORT_REFERRAL,
                sections=(Section.INCIDENT, Section.SUPPORT_NEEDS),
                decision=Decision.ALLOW,
                policy_hash=bytes(32),
                rule_ids=("permit-consent",),
                commitment=make_commitment(key, rng.randbytes),
            )
        )
        for i in range(count)
    ]


def entry_rows(start: int, data: Sequence[bytes]) -> Iterable[tuple[Any, ...]]:
    from safereport.core.ledger import decode_entry, leaf_hash
    from safereport.transparency.actions import month_of_week

    for offset, raw in enumerate(data):
        entry = decode_entry(raw)
        yield (
            start + offset,
            raw,
            leaf_hash(raw),
            str(entry.kind),
            str(entry.recipient_kind or ""),
            month_of_week(entry.week),
        )


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL, batched INSERT on SQLite."""
    from django.db import connection

    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # noqa: S608 - names from this file
                batch.clear()
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # noqa: S608 - names from this file


def bulk_fill(tree: Any, target: int) -> float:
    """Grow the stored log to ``target`` entries without appending; return seconds taken.

    ``tree`` is the in-memory ``MerkleTree`` of the log so far; it grows too.
    """
    from django.db import transaction

    from safereport.transparency import selectors
    from safereport.transparency.actions import do_sign_tree_head
    from safereport.transparency.models import LogState

    start_time = time.perf_counter()
    size = selectors.appended_size()
    assert size == tree.size, (size, tree.size)
    with transaction.atomic():
        for chunk in range(size, target, FILL_CHUNK):
            rows = list(entry_rows(chunk, sample_entries(chunk, min(FILL_CHUNK, target - chunk))))
            bulk_insert(
                "transparency_logentry",
                ["index", "data", "leaf_hash", "kind", "recipient_kind", "month"],
                rows,
            )
            for row in rows:
                tree.append_leaf_hash(row[2])
        # The nodes the larger tree holds that the smaller one did not.
        new_nodes = (
            (node.level, node.index, node.hash)
            for node in tree.nodes()
            if node.index >= size >> node.level
        )
        bulk_insert("transparency_merklenode", ["level", "index", "hash"], new_nodes)
        LogState.objects.filter(id=1).update(size=target, frontier=tree.frontier().to_bytes())
    head = do_sign_tree_head()
    assert head is not None and head.root_hash == tree.root()
    return time.perf_counter() - start_time


def measure_appends(tree: Any, count: int) -> tuple[float, float]:
    """Seconds for ``count`` appends and for ``count`` bare inserts of the same rows."""
    from django.db import transaction

    from safereport.core.ledger import decode_entry, leaf_hash
    from safereport.transparency.actions import append_entry, month_of_week
    from safereport.transparency.models import LogEntry

    data = sample_entries(tree.size + 7, count)
    entries = [decode_entry(raw) for raw in data]
    bare_start = BARE_BASE + LogEntry.objects.filter(index__gte=BARE_BASE).count()
    append_s = bare_s = 0.0
    for block in range(0, count, BLOCK):
        start = time.perf_counter()
        for entry in entries[block : block + BLOCK]:
            with transaction.atomic():
                append_entry(entry)
        append_s += time.perf_counter() - start
        start = time.perf_counter()
        for offset, (entry, raw) in enumerate(
            zip(entries[block : block + BLOCK], data[block : block + BLOCK], strict=True)
        ):
            with transaction.atomic():
                LogEntry.objects.create(
                    index=bare_start + block + offset,
                    data=raw,
                    leaf_hash=leaf_hash(raw),
                    kind=str(entry.kind),
                    recipient_kind=str(entry.recipient_kind or ""),
                    month=month_of_week(entry.week),
                )
        bare_s += time.perf_counter() - start
    for raw in data:
        tree.append(raw)
    return append_s, bare_s


def check_proofs(tree: Any, proofs: int) -> None:
    from safereport.transparency import selectors

    size = selectors.log_size()
    rng = random.Random(size)
    for _ in range(proofs):
        index, first = rng.randrange(size), rng.randrange(1, size)
        assert selectors.inclusion_proof_for(index, size) == tree.inclusion_proof(index, size)
        assert selectors.consistency_proof_for(first, size) == tree.consistency_proof(first, size)


def run(sizes: list[int], appends: int, proofs: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from safereport.core.ledger import MerkleTree
    from safereport.transparency import selectors
    from safereport.transparency.actions import do_sign_tree_head
    from safereport.transparency.models import LogEntry

    existing = [
        bytes(d)
        for d in LogEntry.objects.order_by("index").values_list("data", flat=True)  # policy entry
    ]
    tree = MerkleTree.from_entries(existing)
    print(f"Transparency log on {connection.vendor}; {appends:,} timed appends per size")
    print(f"{'log size':>12}{'fill (s)':>10}{'append/s':>11}{'insert/s':>11}{'ratio':>8}")
    for size in sizes:
        fill_s = bulk_fill(tree, size - appends if size > appends else size)
        append_s, bare_s = measure_appends(tree, appends)
        head = do_sign_tree_head()
        assert head is not None and head.root_hash == tree.root(), "signed root differs"
        check_proofs(tree, proofs)
        ratio = append_s / bare_s
        print(
            f"{selectors.log_size():>12,}{fill_s:>10.1f}{appends / append_s:>11,.0f}"
            f"{appends / bare_s:>11,.0f}{ratio:>7.2f}x"
        )
    size = selectors.log_size()
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "log.jsonl"
        export_s = timed(
            lambda: call_command("ledger", "export", str(export), stdout=io.StringIO())
        )
        out = io.StringIO()
        verify_s = timed(
            lambda: call_command("ledger", "verify", "--export", str(export), "--quiet", stdout=out)
        )
        assert f"OK: {size} entries" in out.getvalue(), out.getvalue()
        megabytes = export.stat().st_size / 1e6
    print(f"ledger export of {size:,} entries: {export_s:.1f} s ({megabytes:,.0f} MB)")
    print(f"ledger verify --export of {size:,} entries: {verify_s:.1f} s")
    print("(append = append_entry in its own transaction; insert = the same row, bare, same table)")


if __name__ == "__main__":
    main()
