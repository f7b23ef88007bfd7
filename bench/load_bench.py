"""Load benchmark: the real app servers over HTTP, one server against two.

Usage::

    REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/load_bench.py [--reports 60] [--concurrency 12] \\
        [--workers 3] [--port 8340] [--requests 1500] [--log-sizes 10000,100000,1000000]

    # on PostgreSQL (a fresh database <name>_bench is made and dropped):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sr_load REDIS_URL=... \\
        .venv/bin/python bench/load_bench.py

It migrates a fresh database (a SQLite file in a temporary folder, or
PostgreSQL when ``DATABASE_URL`` is set), seeds the demo, and starts the
production gunicorn configuration (``--workers`` workers each, sharing the
Redis at ``REDIS_URL``: give it a database number nobody else uses) on
loopback ports from ``--port``. A bounded pool of ``--concurrency`` client
threads (no new dependency: urllib) then drives, in one run:

* **reports**: ``--reports`` complete public journeys (start page, the nine
  question pages GET and POST, review, submit with the production Argon2id
  receipt cost), first against one server, then alternating request by
  request between two. Printed: completed reports per second and the p50/p99
  time of a page request;
* **pages against a static file**: ``--requests`` GETs of the public home
  page, then as many of the transparency page (with twelve months of
  released statistics, as a year-old site shows them), then of a static file
  served by the same server (WhiteNoise in the same gunicorn, by the hashed
  name the pages link to), and their requests per second with the ratios
  to the home page. With ``wrk`` installed (``apt-get install wrk``) it
  drives these for ``--seconds`` each, on ``--concurrency`` connections;
  otherwise the Python client threads do, ``--requests`` GETs each (the
  client then takes much of the CPU itself, and large pages cost it more).

``--phases`` picks some of ``reports``, ``pages`` and ``log`` (all by default).

Each phase stops at ``--time-limit`` seconds (what finished is counted and
the shortfall printed). The client runs on the same machine as the servers
and takes some of its cores: compare the figures within one run, not across
machines.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from sr_testing.proofs import solved  # noqa: E402 - after the path is set
from sr_testing.servers import (  # noqa: E402 - after the path is set
    Browser,
    Server,
    app_database,
    journey_steps,
    manage,
    passphrase_in,
    server_env,
    token_in,
)

PUBLIC_PAGE = "/en/"
TRANSPARENCY_PAGE = "/en/transparency/"
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/[^"]+)"')

# Twelve finished months of each table's categories, stored as a release
# stores them (the demo's log is days old, so nothing is releasable yet).
RELEASED_YEAR = """
from safereport.transparency.models import StatisticCell
from safereport.transparency.statistics import EPSILON, TABLES
StatisticCell.objects.bulk_create(
    StatisticCell(table=t.key, category=c, month=f"2025-{m:02d}",
                  noisy_count=(7 * m + len(c)) % 40, epsilon=EPSILON)
    for t in TABLES for c in sorted(t.labels()) for m in range(1, 13)
)
"""


class Timings:
    """Page request times from every client thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: list[float] = []

    def timed(self, request: Callable[[], tuple[int, str, str]]) -> tuple[int, str, str]:
        start = time.perf_counter()
        answer = request()
        with self.lock:
            self.seconds.append(time.perf_counter() - start)
        return answer

    def percentile(self, p: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def one_report(n: int, ports: list[int], timings: Timings) -> None:
    """One reporter's whole journey, each request on the next server in turn."""
    browser = Browser(timeout=60)
    turn = iter(range(10_000))

    def get(path: str) -> tuple[int, str, str]:
        port = ports[(n + next(turn)) % len(ports)]
        return timings.timed(lambda: browser.get(port, path))

    def post(path: str, data: dict[str, str], page: str) -> tuple[int, str, str]:
        """POST the form of ``page`` with its proof of work solved (as proof.js
        does) before the clock starts: the bench times the server."""
        port = ports[(n + next(turn)) % len(ports)]
        proof = solved(page) if "pow_challenge" in page else {}
        return timings.timed(lambda: browser.post(port, path, {**data, **proof}, token_in(page)))

    assert get("/en/report/")[0] == 200
    for slug, data in journey_steps(f"Bench report {n}."):
        status, page, _ = get(f"/en/report/{slug}/")
        assert status == 200, (slug, status)
        status, _, location = post(f"/en/report/{slug}/", data, page)
        assert status == 302, (slug, status, location)
    status, page, _ = get("/en/report/review/")
    assert status == 200
    draft = page.split('name="draft" value="', 1)[1].split('"', 1)[0]
    status, page, _ = post("/en/report/submit/", {"draft": draft}, page)
    assert status == 200 and passphrase_in(page), page[:1000]


def run_bounded(
    jobs: Sequence[Callable[[], None]], concurrency: int, time_limit: float
) -> tuple[int, float]:
    """Run ``jobs`` on ``concurrency`` threads for at most ``time_limit`` seconds.
    Returns how many finished and the seconds taken."""
    start = time.perf_counter()
    pool = ThreadPoolExecutor(concurrency)
    futures = [pool.submit(job) for job in jobs]
    done, _ = wait_for_futures(futures, timeout=time_limit)
    pool.shutdown(wait=False, cancel_futures=True)
    for future in done:
        future.result()
    return len(done), time.perf_counter() - start


def reports_phase(label: str, ports: list[int], args: argparse.Namespace) -> None:
    timings = Timings()
    jobs = [partial(one_report, n, ports, timings) for n in range(args.reports)]
    finished, seconds = run_bounded(jobs, args.concurrency, args.time_limit)
    note = "" if finished == args.reports else f"  (only {finished} of {args.reports} in time)"
    print(
        f"{label:<16} {finished / seconds:7.2f} reports/s   page p50 "
        f"{timings.percentile(0.50) * 1000:6.0f} ms   p99 {timings.percentile(0.99) * 1000:6.0f} ms"
        f"   ({len(timings.seconds)} requests){note}"
    )


def requests_per_second(port: int, path: str, args: argparse.Namespace) -> float:
    browser = Browser(timeout=60)

    def fetch() -> None:
        status, _, _ = browser.get(port, path)
        assert status == 200, (path, status)

    finished, seconds = run_bounded([fetch] * args.requests, args.concurrency, args.time_limit)
    return finished / seconds


def wrk_requests_per_second(port: int, path: str, args: argparse.Namespace) -> float:
    """``wrk`` (when installed) for ``--seconds`` on ``--concurrency`` connections."""
    wrk = shutil.which("wrk")
    assert wrk is not None
    done = subprocess.run(  # noqa: S603 - the system's wrk on a loopback URL
        [
            wrk,
            "-t2",
            f"-c{args.concurrency}",
            f"-d{args.seconds:g}s",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Non-2xx" not in done.stdout, done.stdout
    found = re.search(r"Requests/sec:\s+([0-9.]+)", done.stdout)
    assert found, done.stdout
    return float(found.group(1))


def pages_phase(port: int, args: argparse.Namespace) -> None:
    status, home, _ = Browser().get(port, PUBLIC_PAGE)
    assert status == 200
    found = STYLESHEET.search(home)
    assert found, "no stylesheet link on the home page"
    static_file = found.group(1)
    # Each worker renders the page once per release (the first process to
    # render it draws the charts and stores them for all): a first request
    # per worker, not what is measured here.
    warm = Browser(timeout=600)
    paths = [PUBLIC_PAGE, TRANSPARENCY_PAGE] * (args.workers * 4)
    with ThreadPoolExecutor(args.workers * 2) as pool:
        statuses = set(pool.map(lambda path: warm.get(port, path)[0], paths))
    assert statuses == {200}, statuses
    measure = wrk_requests_per_second if shutil.which("wrk") else requests_per_second
    page = measure(port, PUBLIC_PAGE, args)
    transparency = measure(port, TRANSPARENCY_PAGE, args)
    static = measure(port, static_file, args)
    client = (
        f"wrk, {args.seconds:g} s each"
        if shutil.which("wrk")
        else f"Python threads (wrk not installed), {args.requests} requests each"
    )
    print(f"{'GET (' + client + ')':<60} {'requests/s':>10} {'x home page':>12}")
    for label, rate in (
        (f"home page {PUBLIC_PAGE} (baseline)", page),
        (f"transparency page {TRANSPARENCY_PAGE}", transparency),
        (f"static file {static_file.rsplit('/', 1)[-1]}", static),
    ):
        print(f"{label:<60} {rate:10.1f} {rate / page:11.2f}x")


def _loopback(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=60)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=12)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8340)
    parser.add_argument("--time-limit", type=float, default=180)
    parser.add_argument("--phases", default="reports,pages,log")
    parser.add_argument("--seconds", type=float, default=10, help="per page, with wrk")
    parser.add_argument(
        "--log-sizes",
        default="10000,100000,1000000",
        help="log sizes for the append phase (bench/ledger_db_bench.py); empty to skip",
    )
    args = parser.parse_args()
    phases = set(args.phases.split(","))
    redis_url = os.environ.get("REDIS_URL", "")
    if not _loopback(redis_url):
        sys.exit("Set REDIS_URL to a loopback Redis database this benchmark may use.")
    if os.environ.get("DATABASE_URL") and not _loopback(os.environ["DATABASE_URL"]):
        sys.exit("DATABASE_URL must name a loopback PostgreSQL server.")

    tmp_path = Path(tempfile.mkdtemp(prefix="safereport-load-bench-"))
    with app_database(server_env(tmp_path), tmp_path, "bench") as env:
        env.update(REDIS_URL=redis_url, SAFEREPORT_WORKERS=str(args.workers))
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "demo")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "shell", "-c", RELEASED_YEAR)
        servers = [Server(args.port + i, env, tmp_path / f"server{i}.log") for i in range(2)]
        database = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
        print(
            f"{database}, Redis, {args.workers} gunicorn "
            f"workers per server, {args.concurrency} client threads, {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        try:
            servers[0].start()
            if "reports" in phases:
                reports_phase("one server", [servers[0].port], args)
            if "pages" in phases:
                pages_phase(servers[0].port, args)
            if "reports" in phases:
                servers[1].start()
                reports_phase("two servers", [s.port for s in servers], args)
        finally:
            for server in servers:
                server.stop()
    if args.log_sizes and "log" in phases:
        print("log appends against a bare insert of the same row (bench/ledger_db_bench.py):")
        sys.stdout.flush()
        ledger = [sys.executable, str(Path(__file__).with_name("ledger_db_bench.py"))]
        subprocess.run([*ledger, "--sizes", args.log_sizes], check=True)  # noqa: S603 - our own bench


if __name__ == "__main__":
    main()
