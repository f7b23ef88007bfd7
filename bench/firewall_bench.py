"""Firewall benchmark: the latency of one disclosure decision, and the whole-space check.

Usage::

    PYTHONPATH=src .venv/bin/python bench/firewall_bench.py \
        [--iterations N] [--workers N] [--skip-full]

Rows, all measured in this one run:

* baseline: a bare ``cedarpy.is_authorized`` call on a one-line
  ``permit (principal, action, resource);`` policy, parsed once, empty context;
* baseline with our context: the same one-line policy, given the context
  ``decide`` builds (so the gap to the baseline is Cedar reading the request);
* ``decide``: one disclosure decision through the published policy, for three
  requests (allowed with consent; refused, immigration authority; allowed
  under an override), each timed ``--iterations`` times one call at a time;
* ``decide_many``: the same requests in batches of 1,000, CPU time per decision.

Each row shows p50 and p99 in microseconds and the ratio of its p50 to the
bare baseline's p50. Then the checker, with CPU time (this process and its
workers) beside wall time:

* bare cedarpy per decision in batches, CPU: the one-line policy given the
  contexts of the check's own requests, the floor a check pays per request;
* ``run_check`` over the whole decision space (one representative per symmetry
  class), with its CPU per evaluated request against that floor;
* the command ``dev.py test`` runs (``python -m safereport.core.policy.check
  --workers 2``), wall time from start to exit, and the management command
  ``safereport firewall check --workers 2`` (which also starts Django);
* ``run_check --full``: all 2,195,200 decisions evaluated one by one
  (minutes; ``--skip-full`` leaves it out), against the default.
"""

from __future__ import annotations

import argparse
import io
import itertools
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import cedarpy

from safereport.core.policy import (
    Actor,
    Consent,
    DisclosureRequest,
    Override,
    Recipient,
    decide,
    decide_many,
    load_policy,
)
from safereport.core.policy.check import Translator, cases_for, reduced_space, run_check
from safereport.core.policy.firewall import NO_ENTITIES, cedar_request
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section

ROOT = Path(__file__).resolve().parent.parent
CASEWORKER = Actor("staff-amina", "org-lawrs", Role.CASEWORKER)
POLICE = Recipient("org-met", OrgKind.POLICE_FORCE)
SECTIONS = frozenset({Section.INCIDENT, Section.PERPETRATOR, Section.CONTACT})

WITH_CONSENT = DisclosureRequest(
    actor=CASEWORKER,
    custodian_organisation_id="org-lawrs",
    recipient=POLICE,
    purpose=Purpose.CRIME_INVESTIGATION,
    sections=SECTIONS,
    consents=(
        Consent("org-met", Purpose.CRIME_INVESTIGATION, SECTIONS | {Section.IDENTITY}),
        Consent("org-refuge", Purpose.SUPPORT_REFERRAL, frozenset(Section), withdrawn=True),
    ),
)
TO_HOME_OFFICE = replace(
    WITH_CONSENT, recipient=Recipient("org-home-office", OrgKind.IMMIGRATION_AUTHORITY)
)
UNDER_OVERRIDE = replace(
    WITH_CONSENT,
    purpose=Purpose.SAFEGUARDING,
    consents=(),
    override=Override("Threat to kill tonight.", "staff-bea", "org-lawrs"),
)


def latencies(
    action: Callable[[], object], iterations: int, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    """Seconds per call, one call at a time, after a short warm-up."""
    for _ in range(min(200, iterations)):
        action()
    times = []
    for _ in range(iterations):
        start = clock()
        action()
        times.append(clock() - start)
    return times


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def row(name: str, times: list[float], baseline_p50: float) -> None:
    p50, p99 = percentile(times, 50), percentile(times, 99)
    print(
        f"{name:<48} p50 {p50 * 1e6:8.1f} us   p99 {p99 * 1e6:8.1f} us   "
        f"x{p50 / baseline_p50:5.1f} baseline"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument(
        "--skip-full", action="store_true", help="leave out the check of every decision"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    policy = load_policy()
    bare = cedarpy.PolicySet.from_str("permit (principal, action, resource);")
    principal = {"type": "Staff", "id": "staff-amina"}
    action = {"type": "Action", "id": "disclose"}
    resource = {"type": "Report", "id": "report"}
    bare_request = {"principal": principal, "action": action, "resource": resource}
    our_context = cedar_request(WITH_CONSENT)

    assert cedarpy.is_authorized(bare_request, bare, "[]").allowed
    assert decide(WITH_CONSENT).allowed and decide(UNDER_OVERRIDE).allowed
    assert not decide(TO_HOME_OFFICE).allowed

    n = args.iterations
    print(f"Firewall decision latency, {n:,} calls each (policy sha256 {policy.sha256[:16]}...)")
    base = latencies(lambda: cedarpy.is_authorized(bare_request, bare, "[]"), n)
    base_p50 = percentile(base, 50)
    row("baseline: bare cedarpy, one-line permit", base, base_p50)
    row(
        "baseline: one-line permit, our context",
        latencies(lambda: cedarpy.is_authorized(our_context, bare, "[]"), n),
        base_p50,
    )
    for name, request in [
        ("decide: allowed with consent", WITH_CONSENT),
        ("decide: refused, immigration authority", TO_HOME_OFFICE),
        ("decide: allowed under an override", UNDER_OVERRIDE),
    ]:
        row(name, latencies(lambda r=request: decide(r), n), base_p50)

    batch = [WITH_CONSENT, TO_HOME_OFFICE, UNDER_OVERRIDE] * 334
    # CPU time: a batch takes long enough that, on a busy machine, its wall time
    # mostly measures the other processes.
    batches = latencies(lambda: decide_many(batch), 20, time.process_time)
    per_decision = [t / len(batch) for t in batches]
    row(f"decide_many: batches of {len(batch):,}, CPU per decision", per_decision, base_p50)

    print()
    return check_rows(args.workers, full=not args.skip_full)


def cpu_seconds() -> float:
    """CPU time of this process and of its waited-for children (the workers)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed_check(*, full: bool, workers: int) -> tuple[float, float, int, str]:
    """Wall and CPU seconds of one run_check, its exit code and its summary line."""
    out = io.StringIO()
    wall, cpu = time.perf_counter(), cpu_seconds()
    code = run_check(out=out, full=full, workers=workers)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    summary = next(line for line in out.getvalue().splitlines() if line.startswith("Checked"))
    return wall, cpu, code, summary


def command_wall(command: list[str]) -> float:
    """Wall seconds from starting a command to its exit (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)  # noqa: S603
    return time.perf_counter() - start


def check_rows(workers: int, *, full: bool) -> int:
    policy = load_policy()
    space = reduced_space(policy.text)
    cases = [
        case
        for (kind, kw), (purpose, pw) in itertools.product(
            space.kinds.items(), space.purposes.items()
        )
        for case in cases_for(kind, purpose, space.choices, space.roles, kw * pw)
    ]
    translator = Translator()
    requests = [translator.cedar(case) for case in cases]
    bare = cedarpy.PolicySet.from_str("permit (principal, action, resource);")
    start = time.process_time()
    for at in range(0, len(requests), 2000):
        cedarpy.is_authorized_batch(requests[at : at + 2000], bare, NO_ENTITIES)
    floor = (time.process_time() - start) / len(requests)
    print(
        f"bare cedarpy, one-line permit, the check's {len(requests):,} contexts in batches: "
        f"{floor * 1e6:.1f} us CPU a decision"
    )

    wall, cpu, code, summary = timed_check(full=False, workers=workers)
    evaluated = int(summary.split(": ")[1].split(" evaluated")[0].replace(",", ""))
    print(
        f"run_check (symmetry classes, {workers} worker(s)): {wall:.2f} s wall, {cpu:.2f} s CPU, "
        f"exit {code}; {evaluated:,} evaluated, {cpu / evaluated * 1e6:.1f} us CPU each, "
        f"x{cpu / evaluated / floor:.2f} bare cedarpy"
    )
    print(f"  {summary.split('. ')[-1]}")
    python = str(ROOT / ".venv" / "bin" / "python")
    module = [python, "-m", "safereport.core.policy.check", "--workers", "2"]
    print(f"dev.py test's step ({' '.join(module[1:])}): {command_wall(module):.2f} s wall")
    managed = [str(ROOT / ".venv" / "bin" / "safereport"), "firewall", "check", "--workers", "2"]
    print(f"{' '.join(managed[-4:])} (starts Django too): {command_wall(managed):.2f} s wall")
    if full:
        wall_full, cpu_full, code_full, summary_full = timed_check(full=True, workers=workers)
        print(
            f"run_check --full (every decision evaluated, {workers} worker(s)): "
            f"{wall_full:.1f} s wall, {cpu_full:.1f} s CPU, exit {code_full}; "
            f"{cpu_full / 1_568_000 * 1e6:.1f} us CPU a decision; "
            f"x{wall_full / wall:.1f} the default's wall"
        )
        print(f"  {summary_full.split('. ')[-1]}")
        code = code or code_full
    return code


if __name__ == "__main__":
    sys.exit(main())
