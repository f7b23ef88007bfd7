"""Simulator benchmark: 1,000,000 people x 3 regimes x 1,000 parameter draws.

Usage::

    .venv/bin/python bench/simulate_bench.py [--people N] [--draws N] [--mixing N]
        [--brute-people N] [--brute-draws N]

Rows, all measured in this one run:

* baseline: the brute-force simulation of every person
  (:mod:`safereport.core.simulate.reference`: each person draws her own
  coefficients and her own decision under each regime) for ``--brute-draws``
  parameter draws of a ``--brute-people`` population split like the large one,
  timed and scaled linearly to ``--people`` x ``--draws`` (its cost is
  proportional to both);
* the engine (:func:`simulate_reporting` with a population) on the whole
  problem, on one thread and on two, with ``--mixing`` quasi-Monte Carlo points
  over the mixing distribution;

with the ratio of the scaled baseline to each. Then the agreement: for the
baseline's parameter draws, the brute-force count of reporters under each
regime against the engine's expected count, in standard errors of the
brute-force sample; and the engine's integration error.

The model has three random coefficients (two normal, one negative
lognormal); the population has 96 strata (every channel, interpreter,
specialist worker, being believed and time), so each parameter draw needs
288 report options integrated over the mixing points.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time

import numpy as np

from safereport.core.choice import BARRIERS_EXPERIMENT, Distribution, ModelSpec
from safereport.core.simulate import (
    ChoiceModel,
    Population,
    PopulationResult,
    Regime,
    simulate_reporting,
)
from safereport.core.simulate.reference import simulate_people

REGIMES = tuple(Regime)
LOAD = os.getloadavg()[0]
VALUES = {
    "data_sharing:protocol": 0.3,
    "data_sharing:protocol.sd": 0.6,
    "data_sharing:firewall": 1.2,
    "data_sharing:firewall.sd": 1.0,
    "channel:online": 0.1,
    "channel:support_org": 0.5,
    "interpreter:yes": 0.5,
    "specialist_worker:yes": 0.6,
    "believed:yes": 0.8,
    "time_hours.log_mean": float(np.log(0.08)),
    "time_hours.log_sd": 0.5,
    "no_report": 1.0,
}
SPEC = ModelSpec(
    {
        "data_sharing:protocol": Distribution.NORMAL,
        "data_sharing:firewall": Distribution.NORMAL,
        "time_hours": Distribution.NEGATIVE_LOGNORMAL,
    }
)


def bench_model() -> ChoiceModel:
    names = SPEC.parameter_names(BARRIERS_EXPERIMENT.coefficient_names)
    estimates = np.array([VALUES[n] for n in names])
    rng = np.random.default_rng(0)
    a = rng.normal(size=(len(names), len(names)))
    correlation = np.corrcoef(a @ a.T + len(names) * np.eye(len(names)))
    se = 0.15 * np.abs(estimates)
    return ChoiceModel(
        experiment=BARRIERS_EXPERIMENT,
        spec=SPEC,
        parameter_names=names,
        estimates=estimates,
        covariance=correlation * np.outer(se, se),
        illustrative=True,
        source="benchmark values, not estimates",
    )


def bench_population(people: int) -> Population:
    shares = []
    rng = np.random.default_rng(1)
    for channel, interpreter, worker, believed, hours in itertools.product(
        ("police_station", "online", "support_org"),
        ("no", "yes"),
        ("no", "yes"),
        ("not_sure", "yes"),
        ("1", "2", "4", "8"),
    ):
        context = {
            "channel": channel,
            "interpreter": interpreter,
            "specialist_worker": worker,
            "believed": believed,
            "time_hours": hours,
        }
        shares.append(("/".join(context.values()), float(rng.uniform(0.2, 1.0)), context))
    return Population.from_shares(people, shares, illustrative=True, source="benchmark strata")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--mixing", type=int, default=1024)
    parser.add_argument("--brute-people", type=int, default=100_000)
    parser.add_argument("--brute-draws", type=int, default=3)
    args = parser.parse_args()
    model = bench_model()
    population = bench_population(args.people)
    small = bench_population(args.brute_people)
    print(
        f"{args.people:,} people in {len(population.strata)} strata x {len(REGIMES)} regimes x "
        f"{args.draws:,} parameter draws; {len(SPEC.random)} random coefficients"
    )

    def engine(workers: int) -> tuple[float, float, PopulationResult]:
        wall, cpu = time.perf_counter(), time.process_time()
        result = simulate_reporting(
            model,
            [],
            population=population,
            n_parameter_draws=args.draws,
            n_population_draws=args.mixing,
            workers=workers,
        )
        assert result.population is not None
        return time.perf_counter() - wall, time.process_time() - cpu, result.population

    engine(2)  # warm-up: imports, thread pool, caches
    one_wall, one_cpu, _ = engine(1)
    two_wall, two_cpu, pop = engine(2)

    rng = np.random.default_rng(7)
    wall, cpu = time.perf_counter(), time.process_time()
    brute = [
        simulate_people(model, small, REGIMES, pop.theta[d], rng) for d in range(args.brute_draws)
    ]
    brute_wall, brute_cpu = time.perf_counter() - wall, time.process_time() - cpu
    scale = (args.people / args.brute_people) * (args.draws / args.brute_draws)

    print(
        f"load average before the run: {LOAD:.1f} on {os.cpu_count()} CPUs"
        " (figures measured under load are slower than on an idle machine)"
    )
    print()
    print(f"{'what':<56} {'wall s':>9} {'ratio':>7} {'CPU s':>9} {'ratio':>7}")
    rows = [
        (
            f"baseline: every person ({args.brute_people:,} x {args.brute_draws} draws, "
            f"x{scale:,.0f})",
            brute_wall * scale,
            brute_cpu * scale,
        ),
        (f"engine, 1 thread ({args.mixing} mixing points)", one_wall, one_cpu),
        (f"engine, 2 threads ({args.mixing} mixing points)", two_wall, two_cpu),
    ]
    for label, seconds, cpu_seconds in rows:
        print(
            f"{label:<56} {seconds:>9,.2f} {brute_wall * scale / seconds:>6,.0f}x"
            f" {cpu_seconds:>9,.2f} {brute_cpu * scale / cpu_seconds:>6,.0f}x"
        )
    print(f"(the baseline is measured on {args.brute_people:,} people and scaled linearly)")

    # agreement on the small population under the same parameter draws
    sizes = np.array([s.people for s in small.strata], dtype=np.float64)
    print()
    print(f"agreement on {args.brute_people:,} people (brute-force count - engine expected count):")
    worst = 0.0
    for d, counts in enumerate(brute):
        expected = pop.probability[d] @ sizes
        z = (counts.total - expected) / np.sqrt(counts.variance)
        worst = max(worst, float(np.abs(z).max()))
        cells = ", ".join(
            f"{r.value} {int(counts.total[i]):,} vs {expected[i]:,.0f} ({z[i]:+.2f} se)"
            for i, r in enumerate(REGIMES)
        )
        print(f"  draw {d}: {cells}")
    print(f"  largest |z| {worst:.2f} (the test requires < 4)")
    print(
        f"integration error of the expected reports at the estimates (sd over 8 scramblings): "
        f"{float(pop.integration_sd.max()):,.2f} people of {args.people:,}"
    )
    for o in pop.outcomes:
        print(
            f"  {o.regime.value:<11} expected {o.expected.point:>11,.0f}"
            f" [{o.expected.low:,.0f}, {o.expected.high:,.0f}]"
            f"  reported [{o.reported.low:,.0f}, {o.reported.high:,.0f}]"
        )


if __name__ == "__main__":
    main()
