"""Transparency-log benchmark: safereport.core.ledger beside pymerkle 7.0.0.

Usage::

    PYTHONPATH=src /tmp/probe-venv/bin/python bench/ledger_bench.py [--entries N] [--proofs P]

For a log of N entries (default 1,000,000) both libraries do the same work
on the same bytes, in the same run, and the table shows the ratio
(pymerkle time / our time; above 1 means ours is faster):

* append: every entry appended one by one (each hashes the raw entry bytes
  as an RFC 9162 leaf, then updates interior nodes);
* inclusion / consistency proofs: generation and verification, mean over P
  random leaves or earlier sizes against the full tree;
* root from leaf hashes: the root recomputed from the N stored leaf hashes,
  with no interior node reused.

Both libraries use RFC 9162 hashing, so they must agree on every root: the
benchmark checks that before printing anything.

pymerkle 7.0.0 pins cachetools 7.2.1, which the project's test stack cannot
share, so its half runs in its own virtual environment,
``bench/.venv-pymerkle`` (created on first use from
``bench/requirements-pymerkle.txt``), as a subprocess of this same file that
prints JSON. That half imports nothing from SafeReport.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import venv
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPEATS = 3  # proof loops are timed this many times; the fastest run is reported
PYMERKLE_VENV = HERE / ".venv-pymerkle"
PYMERKLE_REQUIREMENTS = HERE / "requirements-pymerkle.txt"

OPERATIONS = [
    ("append", "append one entry (s per entry)"),
    ("build_from_entries", "build from N raw entries (s total)"),
    ("root_from_leaf_hashes", "root from N leaf hashes (s total)"),
    ("inclusion_prove", "inclusion proof, generate (s each)"),
    ("inclusion_verify", "inclusion proof, verify (s each)"),
    ("consistency_prove", "consistency proof, generate (s each)"),
    ("consistency_verify", "consistency proof, verify (s each)"),
]


# --- the workload: identical on both sides ---------------------------------


def make_entries(n: int) -> list[bytes]:
    """Entries shaped like real canonical log entries (about 110 bytes each)."""
    kinds = ("referral_sent", "referral_accepted", "referral_declined", "organisation_created")
    return [
        (
            f'{{"count":{i},"decision":"{"deny" if i % 7 == 0 else "allow"}",'
            f'"kind":"{kinds[i % 4]}","org":"org-{i % 97}","v":1,'
            f'"week":"2026-W{1 + i % 52:02d}"}}'
        ).encode()
        for i in range(n)
    ]


def make_queries(n: int, proofs: int, seed: int) -> tuple[list[int], list[int]]:
    rng = random.Random(seed)
    leaves = [rng.randrange(n) for _ in range(proofs)]
    earlier = [rng.randrange(1, n) for _ in range(proofs)] if n > 1 else []
    return leaves, earlier


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def best_of(repeats: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of a few runs: on a shared machine the minimum is the least noisy."""
    runs = [timed(action) for _ in range(repeats)]
    return min(seconds for seconds, _ in runs), runs[-1][1]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- our side ----------------------------------------------------------------


def run_ours(n: int, proofs: int, seed: int) -> dict[str, Any]:
    from safereport.core.ledger import MerkleTree, verify_consistency, verify_inclusion

    entries = make_entries(n)
    leaves, earlier = make_queries(n, proofs, seed)
    out: dict[str, Any] = {}

    def append_all() -> MerkleTree:
        tree = MerkleTree()
        append = tree.append
        for data in entries:
            append(data)
        return tree

    seconds, tree = timed(append_all)
    out["append"] = seconds / n
    root = tree.root()
    out["root"] = root.hex()

    seconds, built = timed(lambda: MerkleTree.from_entries(entries))
    assert built.root() == root
    out["build_from_entries"] = seconds
    del built

    stored = tree.leaf_hashes()
    seconds, rebuilt_root = timed(lambda: MerkleTree.from_leaf_hashes(stored).root())
    assert rebuilt_root == root
    out["root_from_leaf_hashes"] = seconds
    stored.clear()

    seconds, inclusion = best_of(REPEATS, lambda: [tree.inclusion_proof(i) for i in leaves])
    out["inclusion_prove"] = seconds / len(leaves)
    leaf_hashes = [tree.leaf_hash(i) for i in leaves]

    def verify_inclusions() -> None:
        for proof, leaf in zip(inclusion, leaf_hashes, strict=True):
            verify_inclusion(leaf, proof.leaf_index, proof.tree_size, proof.path, root)

    out["inclusion_verify"] = best_of(REPEATS, verify_inclusions)[0] / len(leaves)

    if earlier:
        seconds, consistency = best_of(
            REPEATS, lambda: [tree.consistency_proof(m) for m in earlier]
        )
        out["consistency_prove"] = seconds / len(earlier)
        earlier_roots = [tree.root(m) for m in earlier]

        def verify_consistencies() -> None:
            for proof, first_root in zip(consistency, earlier_roots, strict=True):
                verify_consistency(proof.first, proof.second, first_root, root, proof.path)

        out["consistency_verify"] = best_of(REPEATS, verify_consistencies)[0] / len(earlier)
        out["check_roots"] = {
            str(m): r.hex() for m, r in zip(earlier[:5], earlier_roots, strict=False)
        }
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# --- pymerkle's side (runs inside bench/.venv-pymerkle) ---------------------


def run_pymerkle(n: int, proofs: int, seed: int) -> dict[str, Any]:
    from pymerkle import BaseMerkleTree, InmemoryTree  # type: ignore[import-not-found]

    entries = make_entries(n)
    leaves, earlier = make_queries(n, proofs, seed)
    out: dict[str, Any] = {}

    def append_all() -> Any:
        tree = InmemoryTree(algorithm="sha256")
        append = tree.append_entry
        for data in entries:
            append(data)
        return tree

    seconds, tree = timed(append_all)
    out["append"] = seconds / n
    root = tree.get_root()
    out["root"] = root.hex()

    # Building from raw entries is the same append loop in pymerkle
    # (InmemoryTree.init_from_entries calls append_entry for each).
    seconds, built = timed(lambda: InmemoryTree.init_from_entries(entries, algorithm="sha256"))
    assert built.get_root() == root
    out["build_from_entries"] = seconds
    del built

    # Root from the stored leaf hashes with no interior node reused: the base
    # class's root computation with the subroot cache turned off (the same
    # switch pymerkle's disable_cache option flips), which hashes up from
    # the leaves. InmemoryTree.get_root would just read its root node.
    tree._get_subroot = tree._get_subroot_uncached
    seconds, rebuilt_root = timed(lambda: BaseMerkleTree.get_root(tree, n))
    del tree._get_subroot
    assert rebuilt_root == root
    out["root_from_leaf_hashes"] = seconds

    # pymerkle counts leaves from one.
    seconds, inclusion = best_of(REPEATS, lambda: [tree.prove_inclusion(i + 1, n) for i in leaves])
    out["inclusion_prove"] = seconds / len(leaves)
    leaf_hashes = [tree.get_leaf(i + 1) for i in leaves]

    def verify_inclusions() -> None:
        for proof, leaf in zip(inclusion, leaf_hashes, strict=True):
            proof.verify(leaf, root)

    out["inclusion_verify"] = best_of(REPEATS, verify_inclusions)[0] / len(leaves)

    if earlier:
        seconds, consistency = best_of(
            REPEATS, lambda: [tree.prove_consistency(m, n) for m in earlier]
        )
        out["consistency_prove"] = seconds / len(earlier)
        earlier_roots = [tree.get_root(m) for m in earlier]

        def verify_consistencies() -> None:
            for proof, first_root in zip(consistency, earlier_roots, strict=True):
                proof.verify(first_root, root)

        out["consistency_verify"] = best_of(REPEATS, verify_consistencies)[0] / len(earlier)
        out["check_roots"] = {
            str(m): r.hex() for m, r in zip(earlier[:5], earlier_roots, strict=False)
        }
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def pymerkle_python() -> Path | None:
    """The venv's interpreter, creating the venv on first use; None if impossible."""
    python = PYMERKLE_VENV / "bin" / "python"
    if python.exists():
        return python
    print(f"creating {PYMERKLE_VENV.relative_to(HERE.parent)} for pymerkle ...", flush=True)
    try:
        venv.create(PYMERKLE_VENV, with_pip=True)
        subprocess.run(  # noqa: S603 - fixed arguments, our own venv
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(PYMERKLE_REQUIREMENTS)],
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"could not set up pymerkle ({error}); reporting our side only", flush=True)
        return None
    return python


def run_pymerkle_in_venv(n: int, proofs: int, seed: int) -> dict[str, Any] | None:
    python = pymerkle_python()
    if python is None:
        return None
    args = [str(python), str(Path(__file__).resolve()), "--pymerkle-worker"]
    args += ["--entries", str(n), "--proofs", str(proofs), "--seed", str(seed)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own venv
        args, capture_output=True, text=True, check=False, env=env
    )
    if result.returncode != 0:
        print("pymerkle worker failed:\n" + result.stderr, flush=True)
        return None
    payload: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return payload


# --- report ------------------------------------------------------------------


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} us"


def report(n: int, proofs: int, ours: dict[str, Any], theirs: dict[str, Any] | None) -> None:
    print()
    print(f"Transparency log benchmark: {n:,} entries, {proofs} random proofs per kind")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; same entries, same queries")
    print()
    header = f"{'operation':40} {'safereport':>12} {'pymerkle 7.0.0':>15} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for key, label in OPERATIONS:
        mine = ours.get(key)
        other = theirs.get(key) if theirs else None
        ratio = f"{other / mine:.1f}x" if mine and other else "-"
        print(f"{label:40} {_fmt(mine):>12} {_fmt(other):>15} {ratio:>8}")
    rate_ours = 1 / ours["append"]
    rate_theirs = f"{1 / theirs['append']:,.0f}" if theirs else "-"
    print(f"{'append rate (entries/s)':40} {rate_ours:>12,.0f} {rate_theirs:>15}")
    rss_theirs = f"{theirs['peak_rss_mb']:.0f} MB" if theirs else "-"
    print(f"{'peak RSS of the process':40} {ours['peak_rss_mb']:>9.0f} MB {rss_theirs:>15}")
    print()
    print("ratio = pymerkle time / safereport time (above 1: safereport is faster)")
    print(
        "What each side does per operation:\n"
        "  append    safereport MerkleTree.append(entry): SHA-256(0x00||entry), then on average\n"
        "            one interior hash; keeps hashes only, 32 bytes per node in flat bytearrays.\n"
        "            pymerkle InmemoryTree.append_entry(entry): SHA-256(0x00||entry), a Leaf\n"
        "            object keeping the entry and a Node object per interior node, rehashing\n"
        "            the ancestors on the right edge (O(log n) per append).\n"
        "  build     safereport MerkleTree.from_entries: hashes every entry, then each level\n"
        "            in one pass; pymerkle InmemoryTree.init_from_entries: the append loop.\n"
        "  root      both recompute every interior hash from the stored leaf hashes\n"
        "            (safereport MerkleTree.from_leaf_hashes(...).root(); pymerkle\n"
        "            BaseMerkleTree.get_root with its subroot cache off).\n"
        "  prove     safereport reads O(log n) stored subtree hashes; pymerkle walks its\n"
        "            node objects (its subroot cache on, default settings).\n"
        "  verify    both recompute the root from the leaf hash (or the earlier root) and\n"
        "            the path; safereport follows RFC 9162 2.1.3.2 / 2.1.4.2.\n"
        "Roots agree: both sides computed the same RFC 9162 root for every size checked."
        if theirs
        else "pymerkle was not run: only safereport's figures are shown."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="log size (1,000,000)")
    parser.add_argument("--proofs", type=int, default=300, help="random proofs per kind (300)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-pymerkle", action="store_true", help="run our side only")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--pymerkle-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.entries <= 5_000_000 or not 1 <= args.proofs <= 10_000:
        parser.error("--entries must be in [1, 5,000,000] and --proofs in [1, 10,000]")

    if args.pymerkle_worker:
        print(json.dumps(run_pymerkle(args.entries, args.proofs, args.seed)))
        return 0

    # One side at a time: the machine is shared, and each side gets it whole.
    # The load average before each side shows how busy the shared machine was.
    print(f"safereport: {args.entries:,} entries ... (load {_load()})", flush=True)
    ours = run_ours(args.entries, args.proofs, args.seed)
    theirs = None
    if not args.no_pymerkle:
        print(f"pymerkle:   {args.entries:,} entries ... (load {_load()})", flush=True)
        theirs = run_pymerkle_in_venv(args.entries, args.proofs, args.seed)
    print(f"done (load {_load()})", flush=True)
    if theirs is not None:
        assert theirs["root"] == ours["root"], "the two libraries disagree on the root"
        assert theirs.get("check_roots") == ours.get("check_roots"), "earlier roots disagree"
    report(args.entries, args.proofs, ours, theirs)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {"entries": args.entries, "proofs": args.proofs, "safereport": ours}
        figures["pymerkle"] = theirs
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
