"""Proof-of-work benchmark: how long a proof takes to solve, in Python and in Chromium.

Usage::

    PYTHONPATH=src .venv/bin/python bench/pow_bench.py [--bits 16] [--challenges 40]

Rows, all in one run on this machine:

* Python: the core's reference solver (``core.pow.solve``, what the test
  client uses), over ``--challenges`` fresh challenges of ``--bits`` bits,
  next to a baseline measured in the same run: the time of one SHA-256 of the
  same 40-byte input, times the number of hashes the solves needed. The
  ratio says how much of a solve is loop overhead.
* Chromium (if installed): the site's own ``proof.js`` in the system Chromium
  on the same challenges, timed inside the page from the script's start to
  the answer, against a baseline in the same run: the same page with a
  0-bit challenge (script fetch and start-up, no work), after three warm-up
  pages. Each browser answer is checked
  against the Python solver's (both search from 0, so they must be equal).

The solve time of one challenge is random (geometric, mean 2**bits hashes),
so the median and the 90th percentile are printed. A cheap phone runs
JavaScript several times slower than this machine; see docs/threat-model.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import time
from pathlib import Path

from safereport.core.pow import ProofPurpose, issue_challenge, solve

KEY = hashlib.sha256(b"bench").digest()
SCRIPT = (Path(__file__).parent.parent / "src/safereport/static/safereport/proof.js").read_text()


def _challenges(count: int, bits: int) -> list[str]:
    now = time.time()
    return [
        issue_challenge(KEY, ProofPurpose.RETURN, bits=bits, now=now, ttl=600) for _ in range(count)
    ]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def python_row(tokens: list[str], bits: int) -> dict[str, list[int] | list[float]]:
    counters, times = [], []
    for token in tokens:
        start = time.perf_counter()
        counters.append(solve(token, bits))
        times.append(time.perf_counter() - start)
    seed = hashlib.sha256(b"x").digest()
    n = 200_000
    start = time.perf_counter()
    for i in range(n):
        hashlib.sha256(seed + i.to_bytes(8, "big")).digest()
    per_hash = (time.perf_counter() - start) / n
    hashes = sum(c + 1 for c in counters)
    baseline = per_hash * hashes / len(tokens)
    print(
        f"python   {bits} bits: median {statistics.median(times) * 1000:7.1f} ms, "
        f"p90 {_pct(times, 0.9) * 1000:7.1f} ms, mean {statistics.mean(times) * 1000:7.1f} ms "
        f"({hashes / sum(times) / 1e6:.2f} M hashes/s); baseline (bare SHA-256 x same hashes) "
        f"{baseline * 1000:.1f} ms mean; ratio {statistics.mean(times) / baseline:.2f}x"
    )
    return {"counters": counters, "times": times}


PAGE = """<!doctype html><html><head><title>bench</title></head><body>
<form><input type="hidden" name="pow_challenge" value="{token}" data-proof-seed="{seed}"
data-proof-bits="{bits}"><input type="hidden" name="pow_solution" value=""></form>
<script>window.benchStart = performance.now();</script><script src="/proof.js"></script>
</body></html>"""


def chromium_row(tokens: list[str], bits: int, expected: list[int]) -> None:
    path = os.environ.get("SAFEREPORT_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        print("chromium: not installed, skipped")
        return
    from playwright.sync_api import sync_playwright

    def run(page, token: str, b: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
        seed = hashlib.sha256(token.encode()).hexdigest()
        html = PAGE.format(token=token, seed=seed, bits=b)

        def serve(route):  # type: ignore[no-untyped-def]
            if route.request.url.endswith("/proof.js"):
                route.fulfill(status=200, content_type="text/javascript", body=SCRIPT)
            else:
                route.fulfill(status=200, content_type="text/html", body=html)

        page.unroute("**/*")
        page.route("**/*", serve)
        page.goto("http://bench.invalid/")
        page.wait_for_function(
            "document.querySelector('[name=pow_solution]').value !== ''", timeout=120_000
        )
        took, answer = page.evaluate(
            "[performance.now() - window.benchStart,"
            " document.querySelector('[name=pow_solution]').value]"
        )
        return float(took) / 1000, int(answer)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        page = browser.new_page()
        for token in tokens[:3]:  # warm up: the first pages pay the browser's start-up
            run(page, token, 0)
        base_times = [run(page, token, 0)[0] for token in tokens[:10]]
        times = []
        for token, want in zip(tokens, expected, strict=True):
            took, answer = run(page, token, bits)
            assert answer == want, f"browser answer {answer} differs from the solver's {want}"
            times.append(took)
        browser.close()
    hashes = sum(c + 1 for c in expected)
    print(
        f"chromium {bits} bits: median {statistics.median(times) * 1000:7.1f} ms, "
        f"p90 {_pct(times, 0.9) * 1000:7.1f} ms, mean {statistics.mean(times) * 1000:7.1f} ms "
        f"({hashes / sum(times) / 1e6:.2f} M hashes/s); baseline (0 bits, start-up only) "
        f"{statistics.median(base_times) * 1000:.1f} ms; "
        f"ratio {statistics.mean(times) / statistics.median(base_times):.0f}x; "
        f"all {len(times)} answers equal the Python solver's"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bits", type=int, default=16)
    parser.add_argument("--challenges", type=int, default=40)
    args = parser.parse_args()
    tokens = _challenges(args.challenges, args.bits)
    print(f"{args.challenges} challenges of {args.bits} bits ({2**args.bits} hashes on average)")
    result = python_row(tokens, args.bits)
    chromium_row(tokens, args.bits, [int(c) for c in result["counters"]])


if __name__ == "__main__":
    main()
