"""Firewall benchmark: the latency of one disclosure decision, and the full check.

Usage::

    PYTHONPATH=src /tmp/probe-venv/bin/python bench/firewall_bench.py \
        [--iterations N] [--full] [--workers N]

Rows, all measured in this one run:

* baseline: a bare ``cedarpy.is_authorized`` call on a one-line
  ``permit (principal, action, resource);`` policy, parsed once, empty context;
* baseline with our context: the same one-line policy, given the context
  ``decide`` builds (so the gap to the baseline is Cedar reading the request);
* ``decide``: one disclosure decision through the published policy, for three
  requests (allowed with consent; refused, immigration authority; allowed
  under an override), each timed ``--iterations`` times one call at a time;
* ``decide_many``: the same requests in batches of 1,000, per decision.

Each row shows p50 and p99 in microseconds and the ratio of its p50 to the
bare baseline's p50. Then the checker: ``run_check`` over the whole decision
space (one representative per symmetry class), and with ``--full`` the
1,568,000 decisions one by one as well (several minutes; ``--workers``
processes). The default run takes well under a minute on two cores.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace

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
from safereport.core.policy.check import run_check
from safereport.core.policy.firewall import cedar_request
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section

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


def latencies(action: Callable[[], object], iterations: int) -> list[float]:
    """Seconds per call, one call at a time, after a short warm-up."""
    for _ in range(min(200, iterations)):
        action()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
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
    parser.add_argument("--full", action="store_true", help="also check all decisions one by one")
    parser.add_argument("--workers", type=int, default=1)
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
    per_decision = [t / len(batch) for t in latencies(lambda: decide_many(batch), 20)]
    row(f"decide_many: batches of {len(batch):,}, per decision", per_decision, base_p50)

    print()
    out = io.StringIO()
    start = time.perf_counter()
    code = run_check(out=out, workers=args.workers)
    elapsed = time.perf_counter() - start
    summary = next(line for line in out.getvalue().splitlines() if line.startswith("Checked"))
    print(f"run_check (symmetry classes, {args.workers} worker(s)): {elapsed:.1f} s, exit {code}")
    print(f"  {summary.split(': ')[0]}; {summary.split('; ')[0].split(': ')[1]}")
    print(f"  {summary.split('. ')[-1]}")
    if args.full:
        out = io.StringIO()
        start = time.perf_counter()
        code_full = run_check(out=out, full=True, workers=args.workers)
        elapsed_full = time.perf_counter() - start
        print(
            f"run_check --full (every decision evaluated, {args.workers} worker(s)): "
            f"{elapsed_full:.1f} s, exit {code_full}, x{elapsed_full / elapsed:.1f} the default"
        )
        code = code or code_full
    return code


if __name__ == "__main__":
    sys.exit(main())
