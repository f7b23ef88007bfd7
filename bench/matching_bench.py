"""Matching at 1M entries: tag computation and match lookup against a bare indexed lookup.

Usage::

    .venv/bin/python bench/matching_bench.py [--entries 1000000] [--lookups 2000]

One SQLite file in a temporary folder holds a table shaped like
``matching.MatchEntry`` (``lookup`` indexed, ``x``, ``y``, ``sealed``) plus a
``plain`` column, indexed too, holding the identifier in the clear: the
baseline an escrow-less design would query. It is filled with ``--entries``
rows: most are filler of the right shape (random bytes; the lookup never
reads them), and ``--lookups`` real entries made by ``core.matching`` from
distinct employers (each with its plain identifier in the same row).

Then, in one run and interleaved in blocks so machine load falls on both:

* **tag**: normalise an employer typed on one line and compute its tag and
  lookup value (what the server does per identifier before any query);
* **match lookup**: tag + seal a second entry + ``SELECT ... WHERE lookup = ?``
  + ``open_pair`` with the row found (the whole of finding a match);
* **bare lookup**: ``SELECT ... WHERE plain = ?`` for the same identifier.

It prints each per operation and the ratios to the bare lookup. Nothing
leaves the machine; the key is a fresh random one.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from safereport.core.matching import (  # noqa: E402 - after the path is set
    MatchingKey,
    SealedEntry,
    new_matching_key,
    normalise_business_line,
    open_pair,
    seal_entry,
)
from safereport.core.matching.escrow import SEALED_BYTES  # noqa: E402

BLOCK = 100
FILL_CHUNK = 50_000


def employer(i: int) -> str:
    return f"Employer Number {i} Ltd, E{i % 20 + 1} {i % 10}AB"


def fill(db: sqlite3.Connection, key: MatchingKey, entries: int, real: int) -> None:
    db.execute(
        "CREATE TABLE entry (id INTEGER PRIMARY KEY, lookup BLOB NOT NULL, x BLOB NOT NULL,"
        " y BLOB NOT NULL, sealed BLOB NOT NULL, plain TEXT NOT NULL)"
    )
    made = 0
    while made < entries - real:
        n = min(FILL_CHUNK, entries - real - made)
        rows = [
            (
                os.urandom(16),
                os.urandom(32),
                os.urandom(32),
                os.urandom(SEALED_BYTES),
                f"filler|{made + i}",
            )
            for i in range(n)
        ]
        db.executemany("INSERT INTO entry (lookup, x, y, sealed, plain) VALUES (?,?,?,?,?)", rows)
        made += n
    for i in range(real):
        identifier = normalise_business_line(employer(i))
        entry = seal_entry(key.tag(identifier), holder=b"first-%d" % i, payload=b"report %d" % i)
        db.execute(
            "INSERT INTO entry (lookup, x, y, sealed, plain) VALUES (?,?,?,?,?)",
            (entry.index, entry.x, entry.y, entry.sealed, identifier.value),
        )
    db.execute("CREATE INDEX entry_lookup ON entry (lookup)")
    db.execute("CREATE INDEX entry_plain ON entry (plain)")
    db.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    key = MatchingKey(new_matching_key())
    with tempfile.TemporaryDirectory(prefix="sr-matching-bench-") as folder:
        db = sqlite3.connect(Path(folder) / "bench.sqlite3")
        start = time.perf_counter()
        fill(db, key, args.entries, args.lookups)
        print(f"filled {args.entries:,} entries in {time.perf_counter() - start:.1f} s")

        def tag_only(i: int) -> None:
            key.tag(
                normalise_business_line(employer(i).lower().replace(" ltd", " limited"))
            ).index()

        def match_lookup(i: int) -> None:
            tag = key.tag(normalise_business_line(employer(i).lower().replace(" ltd", " limited")))
            entry = seal_entry(tag, holder=b"second-%d" % i, payload=b"report x")
            rows = db.execute(
                "SELECT lookup, x, y, sealed FROM entry WHERE lookup = ?", (entry.index,)
            ).fetchall()
            opened = [open_pair(entry, SealedEntry(*row)) for row in rows]
            assert len(opened) == 1 and opened[0][1] == b"report %d" % i

        def bare_lookup(i: int) -> None:
            plain = normalise_business_line(employer(i)).value
            rows = db.execute(
                "SELECT lookup, x, y, sealed FROM entry WHERE plain = ?", (plain,)
            ).fetchall()
            assert len(rows) == 1

        timings = {"tag": 0.0, "match lookup": 0.0, "bare lookup": 0.0}
        work = {"tag": tag_only, "match lookup": match_lookup, "bare lookup": bare_lookup}
        for block in range(0, args.lookups, BLOCK):
            for name, fn in work.items():
                start = time.perf_counter()
                for i in range(block, min(block + BLOCK, args.lookups)):
                    fn(i)
                timings[name] += time.perf_counter() - start
        db.close()
    per = {name: total / args.lookups * 1e6 for name, total in timings.items()}
    print(f"at {args.entries:,} entries, {args.lookups:,} lookups each:")
    for name, micros in per.items():
        print(f"  {name:<13} {micros:9.1f} µs/op  ({1e6 / micros:,.0f}/s)")
    bare = per["bare lookup"]
    print(f"  tag / bare lookup:          {per['tag'] / bare:.2f}x")
    print(f"  match lookup / bare lookup: {per['match lookup'] / bare:.2f}x")


if __name__ == "__main__":
    main()
