# ruff: noqa: RUF002  (docstrings write the mathematics with Greek letters and signs)
"""Reporting under each regime: people with their own coefficients, in strata, with
parameter uncertainty.

What is computed
----------------
A victim ``n`` in stratum ``s`` is offered one way of reporting, coded ``x_sr``
under regime ``r`` (the stratum's context with the regime's ``data_sharing``
level), against not reporting (``x_0``). She has her own coefficients ``β_n``,
drawn independently from the estimated mixing distribution ``F(β | θ)`` (each
random coefficient ``μ + σz``, or ``±exp(μ + σz)`` for the lognormal ones, the
others fixed, exactly as :mod:`safereport.core.choice.estimation` defines them),
and she reports with the binary logit probability of that option against not
reporting,

    P(report | β_n) = 1 / (1 + exp(−β_n·(x_sr − x_0))),

her decision independent of everybody else's given ``β_n``. The parameters
``θ`` are uncertain: ``n_parameter_draws`` vectors ``θ_d`` are drawn from the
multivariate normal with the estimates as mean and their robust covariance
(Krinsky & Robb, 1986). For each draw ``θ_d`` and each regime ``r`` the
simulator gives, for a :class:`~safereport.core.simulate.regimes.Population`
of ``N = Σ_s N_s`` victims in strata:

* the **expected reports** ``E_dr = Σ_s N_s p̄_sr(θ_d)`` with
  ``p̄_sr(θ) = ∫ P(report | β) dF(β | θ)``, the share of stratum ``s`` that
  reports (a weighted sum over strata; no chance in it but ``θ_d``);
* the **realised reports** ``R_dr``, the number of the ``N`` victims who do
  report when each draws her own coefficients and her own decision. Given
  ``θ_d``, a person of stratum ``s`` reports with probability ``p̄_sr(θ_d)``
  independently of the others, so ``R_dr = Σ_s Binomial(N_s, p̄_sr(θ_d))``
  exactly; that is how it is drawn, whatever ``N``.

The figure reported is the expected count at the estimates; its 95% interval
is the 2.5th and 97.5th percentiles over the parameter draws: of ``E_dr`` for
expected reports (parameter uncertainty only), of ``R_dr`` for reported and
unreported victims (parameter uncertainty and which individuals report).
Each regime is its own world; the regimes share the parameter draws and the
mixing points, so differences between regimes (:meth:`PopulationResult.difference`)
are computed on expected reports. Prosecutions are reports times the
conversion rate, which is held fixed (its own uncertainty is not in the
interval).

Per-scenario figures (:class:`ScenarioOutcome`, one way of reporting against
not reporting) are the population share ``p̄`` and that share times
``victims``: an expected rate per ``victims`` victims, not a count of
simulated people.

How it is computed exactly and fast
-----------------------------------
People are never enumerated: everything that differs between two people of
the same stratum is their ``β`` and their decision, and both are integrated
out exactly above, so the work does not grow with ``N``. The only
approximation is the integral ``p̄_sr(θ)``, taken by randomised quasi-Monte
Carlo: ``n_population_draws`` points of a scrambled Sobol sequence (rounded
up to a power of two, mapped to normals by the inverse normal CDF), the same
points for every parameter draw, regime and stratum. Its error is estimated
at the estimates from independent scramblings and reported
(:attr:`PopulationResult.integration_sd`). Options whose utility the random
coefficients do not enter need no integral (``p̄`` is the logit of the fixed
utility); the others are grouped by their random part ``r``, and
``expit(r + a) = 1 / (1 + e^−r e^−a)`` takes one exponential per draw, point
and group, not per option. The work is float64 NumPy in chunks of parameter
draws of at most :data:`CHUNK_BYTES` (cache-sized), on both cores (NumPy
releases the GIL), ``O(draws × mixing points × distinct report options)``.
:mod:`safereport.core.simulate.reference` simulates every person one by one;
the tests check the two agree within the Monte Carlo error of that sample.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import special
from scipy.stats import qmc

from safereport.core.choice.errors import EstimationError
from safereport.core.choice.estimation import Distribution
from safereport.core.simulate.parameters import (
    ILLUSTRATIVE_CONVERSION,
    ChoiceModel,
    ConversionRates,
)
from safereport.core.simulate.regimes import Population, Regime, Scenario, report_profile

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
ProgressCallback = Callable[[int, int], None]

CHUNK_BYTES = 1024 * 1024
"""Largest (draws x options x mixing points) float64 block one worker works on at a
time: small enough to stay in the processor's cache (8 MiB was twice as slow)."""
SCRAMBLINGS = 8
"""Independent scramblings used to estimate the integration error."""
MAX_PARAMETER_DRAWS = 20_000
MAX_MIXING_POINTS = 65_536
"""Limits on a request, so that a mistyped number is an error, not a machine out of
memory (the results hold draws x report options numbers)."""
_EXP_CAP = 50.0


@dataclass(frozen=True)
class Figure95:
    point: float
    low: float
    high: float


def _figure(point: float, draws: FloatArray, scale: float = 1.0) -> Figure95:
    return Figure95(
        point * scale,
        float(np.percentile(draws, 2.5)) * scale,
        float(np.percentile(draws, 97.5)) * scale,
    )


@dataclass(frozen=True)
class ScenarioOutcome:
    scenario: Scenario
    probability: Figure95
    reported: Figure95
    unreported: Figure95
    prosecutions: Figure95


@dataclass(frozen=True)
class RegimeOutcome:
    """One regime over the whole population (see the module docstring)."""

    regime: Regime
    expected: Figure95  # expected reports; interval over parameter draws
    reported: Figure95  # realised reports; interval over parameters and individuals
    unreported: Figure95
    prosecutions: Figure95
    share: Figure95  # expected reports / population


@dataclass(frozen=True)
class PopulationResult:
    population: Population
    outcomes: tuple[RegimeOutcome, ...]
    theta: FloatArray  # (D, P) the parameter draws
    probability: FloatArray  # (D, regimes, strata) p̄_sr(θ_d)
    point_probability: FloatArray  # (regimes, strata) at the estimates
    expected_draws: FloatArray  # (D, regimes) Σ_s N_s p̄_sr(θ_d)
    reported_draws: IntArray  # (D, regimes) Σ_s Binomial(N_s, p̄_sr(θ_d))
    integration_sd: FloatArray  # (regimes,) sd of the expected count at θ̂ over scramblings

    @property
    def people(self) -> int:
        return self.population.people

    def outcome(self, regime: Regime) -> RegimeOutcome:
        for o in self.outcomes:
            if o.regime is regime:
                return o
        raise KeyError(f"no regime {regime.value}")

    def difference(self, a: Regime, b: Regime) -> Figure95:
        """Extra expected reports under regime ``a`` over regime ``b``; the interval
        is over the parameter draws (the same people, the same draws)."""
        ia, ib = (self._regime_index(r) for r in (a, b))
        point = self.outcomes[ia].expected.point - self.outcomes[ib].expected.point
        return _figure(point, self.expected_draws[:, ia] - self.expected_draws[:, ib])

    def _regime_index(self, regime: Regime) -> int:
        return [o.regime for o in self.outcomes].index(regime)

    def table(self) -> str:
        strata = self.population.strata
        lines = [
            f"Population: {self.people:,} victims in {len(strata)} strata"
            + (" (ILLUSTRATIVE shares, not measured)" if self.population.illustrative else ""),
            "Each victim draws her own coefficients from the mixing distribution and her own "
            "decision; 95% intervals over the parameter draws (expected) and over the draws "
            "and the individuals' decisions (reported, unreported).",
        ]
        header = (
            f"{'regime':<12} {'expected reports':>30} {'reported':>30} {'unreported':>30}"
            f" {'prosecutions':>26}"
        )
        lines += ["", header, "-" * len(header)]

        def cell(f: Figure95, width: int) -> str:
            return f"{f.point:,.0f} [{f.low:,.0f}, {f.high:,.0f}]".rjust(width)

        for o in self.outcomes:
            lines.append(
                f"{o.regime.value:<12} {cell(o.expected, 30)} {cell(o.reported, 30)}"
                f" {cell(o.unreported, 30)} {cell(o.prosecutions, 26)}"
            )
        lines.append("")
        base = self.outcomes[0].regime
        for o in self.outcomes[1:]:
            gain = self.difference(o.regime, base)
            lines.append(
                f"{o.regime.value} minus {base.value}: {gain.point:+,.0f} expected reports "
                f"[{gain.low:+,.0f}, {gain.high:+,.0f}]"
            )
        worst = float(self.integration_sd.max())
        lines += [
            "",
            f"Integration error of the expected reports at the estimates: sd {worst:,.1f} "
            f"people over {SCRAMBLINGS} scramblings of the mixing points.",
        ]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "people": self.people,
            "illustrative": self.population.illustrative,
            "source": self.population.source,
            "strata": [
                {
                    "name": s.name,
                    "people": s.people,
                    "context": dict(s.context),
                    "probability_at_estimates": {
                        o.regime.value: float(self.point_probability[r, i])
                        for r, o in enumerate(self.outcomes)
                    },
                }
                for i, s in enumerate(self.population.strata)
            ],
            "regimes": [
                {
                    "regime": o.regime.value,
                    "expected": _fig(o.expected),
                    "reported": _fig(o.reported),
                    "unreported": _fig(o.unreported),
                    "prosecutions": _fig(o.prosecutions),
                    "share": _fig(o.share),
                    "integration_sd": float(self.integration_sd[r]),
                }
                for r, o in enumerate(self.outcomes)
            ],
        }


def _fig(f: Figure95) -> dict[str, float]:
    return {"point": f.point, "low": f.low, "high": f.high}


@dataclass(frozen=True)
class SimulationResult:
    outcomes: tuple[ScenarioOutcome, ...]
    draws: FloatArray  # (parameter draws, scenarios) population reporting probability
    victims: int
    conversion: ConversionRates
    illustrative: bool
    source: str
    n_parameter_draws: int
    n_population_draws: int  # mixing (quasi-Monte Carlo) points actually used
    seed: int
    population: PopulationResult | None = None

    def outcome(self, regime: Regime, channel: str) -> ScenarioOutcome:
        for o in self.outcomes:
            if o.scenario.regime is regime and o.scenario.channel.value == channel:
                return o
        raise KeyError(f"no scenario {regime.value}/{channel}")

    def difference(self, a: int, b: int) -> Figure95:
        """Extra reports per ``victims`` victims in scenario ``a`` over scenario ``b``."""
        point = self.outcomes[a].probability.point - self.outcomes[b].probability.point
        return _figure(point, self.draws[:, a] - self.draws[:, b], self.victims)

    def table(self) -> str:
        lines: list[str] = []
        if self.illustrative:
            lines += ["*** " + self.source + " ***", ""]
        else:
            lines += [f"Parameters: {self.source}", ""]
        lines.append(
            f"Per {self.victims:,} victims (expected: the population share times "
            f"{self.victims:,}); 95% intervals from {self.n_parameter_draws} Krinsky-Robb draws"
            + (
                f", {self.n_population_draws} quasi-Monte Carlo points over the mixing distribution"
                if self.n_population_draws > 1
                else ""
            )
            + f"; prosecutions at {self.conversion.prosecution_per_report:.1%} of reports"
            + (" (illustrative rate)" if self.conversion.illustrative else "")
        )
        header = (
            f"{'scenario':<50} {'P(report)':>20} {'reported':>20} {'unreported':>20}"
            f" {'prosecutions':>18}"
        )
        lines += ["", header, "-" * len(header)]

        def cell(f: Figure95, fmt: str, width: int) -> str:
            return f"{format(f.point, fmt)} [{format(f.low, fmt)}, {format(f.high, fmt)}]".rjust(
                width
            )

        for o in self.outcomes:
            lines.append(
                f"{o.scenario.label:<50} {cell(o.probability, '.3f', 20)}"
                f" {cell(o.reported, '.0f', 20)} {cell(o.unreported, '.0f', 20)}"
                f" {cell(o.prosecutions, '.1f', 18)}"
            )
        if self.population is not None:
            lines += ["", self.population.table()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "illustrative": self.illustrative,
            "source": self.source,
            "victims": self.victims,
            "n_parameter_draws": self.n_parameter_draws,
            "n_population_draws": self.n_population_draws,
            "seed": self.seed,
            "conversion": {
                "prosecution_per_report": self.conversion.prosecution_per_report,
                "illustrative": self.conversion.illustrative,
                "source": self.conversion.source,
            },
            "scenarios": [
                {
                    "regime": o.scenario.regime.value,
                    "channel": o.scenario.channel.value,
                    "context": dict(o.scenario.context),
                    "probability": _fig(o.probability),
                    "reported": _fig(o.reported),
                    "unreported": _fig(o.unreported),
                    "prosecutions": _fig(o.prosecutions),
                }
                for o in self.outcomes
            ],
            "population": None if self.population is None else self.population.to_dict(),
        }


# -- the mixing distribution -----------------------------------------------------------


def mixing_normals(n: int, d: int, seed: int) -> FloatArray:
    """Scrambled Sobol standard normals, (2^⌈log2 n⌉, d); one row when ``d`` is 0."""
    if d == 0:
        return np.zeros((1, 0))
    m = max(int(np.ceil(np.log2(max(n, 1)))), 0)
    sampler = qmc.Sobol(d=d, scramble=True, rng=np.random.default_rng(seed))
    u = np.clip(sampler.random_base2(m), 1e-12, 1.0 - 1e-12)
    normals: FloatArray = np.asarray(special.ndtri(u), dtype=np.float64)
    return normals


@dataclass(frozen=True)
class CoefficientLayout:
    """Where each coefficient's parameters sit in θ, split fixed / random."""

    fixed_cols: IntArray  # coefficient columns with one value for everybody
    fixed_pos: IntArray  # their θ index
    random_cols: IntArray
    kinds: tuple[Distribution, ...]
    mean_pos: IntArray  # θ index of μ (or log-mean) of each random coefficient
    spread_pos: IntArray  # θ index of the spread (or log-sd)

    @classmethod
    def of(cls, model: ChoiceModel) -> CoefficientLayout:
        index = {n: i for i, n in enumerate(model.parameter_names)}
        fixed: list[tuple[int, int]] = []
        random: list[tuple[int, Distribution, int, int]] = []
        for k, c in enumerate(model.experiment.coefficient_names):
            dist = model.spec.distribution(c)
            if dist is Distribution.FIXED:
                fixed.append((k, index[c]))
            elif dist is Distribution.NORMAL:
                random.append((k, dist, index[c], index[f"{c}.sd"]))
            else:
                random.append((k, dist, index[f"{c}.log_mean"], index[f"{c}.log_sd"]))
        return cls(
            fixed_cols=np.asarray([f[0] for f in fixed], dtype=np.int64),
            fixed_pos=np.asarray([f[1] for f in fixed], dtype=np.int64),
            random_cols=np.asarray([r[0] for r in random], dtype=np.int64),
            kinds=tuple(r[1] for r in random),
            mean_pos=np.asarray([r[2] for r in random], dtype=np.int64),
            spread_pos=np.asarray([r[3] for r in random], dtype=np.int64),
        )

    @property
    def n_random(self) -> int:
        return len(self.kinds)

    def random_coefficients(self, theta: FloatArray, z: FloatArray) -> FloatArray:
        """The random coefficients (D, M, d) of draws θ (D, P) at mixing normals z (M, d)."""
        mu = theta[:, self.mean_pos][:, None, :]
        sigma = theta[:, self.spread_pos][:, None, :]
        beta: FloatArray = mu + sigma * z[None, :, :]
        for j, kind in enumerate(self.kinds):
            if kind is not Distribution.NORMAL:
                sign = 1.0 if kind is Distribution.LOGNORMAL else -1.0
                beta[:, :, j] = sign * np.exp(np.minimum(beta[:, :, j], _EXP_CAP))
        return beta

    def coefficients(self, theta: FloatArray, z: FloatArray, n_coef: int) -> FloatArray:
        """Every coefficient (D, M, K): fixed ones broadcast, random ones drawn."""
        beta = np.empty((theta.shape[0], z.shape[0], n_coef))
        beta[:, :, self.fixed_cols] = theta[:, self.fixed_pos][:, None, :]
        beta[:, :, self.random_cols] = self.random_coefficients(theta, z)
        return beta


def report_differences(model: ChoiceModel, profiles: Sequence[dict[str, str]]) -> FloatArray:
    """``x_report − x_none`` (options, K) for report options given as level codes."""
    e = model.experiment
    return np.stack([e.code_profile(p) for p in profiles]) - e.opt_out_row()[None, :]


def _chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n, size):
        yield start, min(start + size, n)


def mixed_probabilities(
    model: ChoiceModel,
    dx: FloatArray,
    theta: FloatArray,
    z: FloatArray,
    *,
    chunk: int | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
) -> FloatArray:
    """``p̄_u(θ_d) = mean_m expit(β(θ_d, z_m)·dx_u)``, shape (D, options).

    Options whose random columns are all zero (the random coefficients do not
    enter their utility) get ``expit`` of the fixed utility exactly, with no
    integral. The others are grouped by their random columns: one matrix
    product gives the random part ``r`` of the utility at every mixing point
    for every group, and ``expit(r + a) = 1 / (1 + e^-r e^-a)`` with the
    fixed part ``a`` needs no exponential per option and point. ``chunk``
    parameter draws at a time (by default as many as fit :data:`CHUNK_BYTES`),
    on ``workers`` threads (default: the CPUs, at most 2); ``progress(done,
    total)`` after each chunk, in order.
    """
    layout = CoefficientLayout.of(model)
    n_draws, n_options = theta.shape[0], dx.shape[0]
    fixed_utility = theta[:, layout.fixed_pos] @ dx[:, layout.fixed_cols].T  # (D, U)
    groups, group_of = np.unique(dx[:, layout.random_cols], axis=0, return_inverse=True)
    group_of = group_of.reshape(-1)
    is_mixed = np.any(groups != 0.0, axis=1)
    plain = np.flatnonzero(~is_mixed[group_of])
    members = [(g, np.flatnonzero(group_of == g)) for g in np.flatnonzero(is_mixed)]
    random_rows = np.ascontiguousarray(groups[is_mixed].T)  # (d, G)
    n_points = z.shape[0]
    if chunk is None:
        widest = max((len(m) for _, m in members), default=1)
        chunk = max(1, CHUNK_BYTES // (8 * n_points * widest))
    out = np.empty((n_draws, n_options))
    ones = np.ones(n_points)

    def work(span: tuple[int, int]) -> int:
        start, stop = span
        out[start:stop, plain] = special.expit(fixed_utility[start:stop, plain])
        if members:
            c = stop - start
            beta = layout.random_coefficients(theta[start:stop], z).reshape(c * n_points, -1)
            random_part = (beta @ random_rows).reshape(c, n_points, -1).transpose(0, 2, 1)
            random_part = np.ascontiguousarray(random_part)  # (c, G, M): points along rows
            fixed = fixed_utility[start:stop]
            # expit(r + a) = 1 / (1 + e^-r e^-a): one exponential per (draw, group, point)
            # and per (draw, option), not per (draw, option, point). Exact while both
            # exponentials are finite; a chunk with a utility beyond ±700 (where they
            # might not be) takes expit(r + a) itself.
            exact = max(np.abs(random_part).max(), np.abs(fixed).max()) > 700.0
            e_random = np.exp(-random_part) if not exact else random_part
            e_fixed = np.exp(-fixed) if not exact else fixed
            for column, (_, options) in enumerate(members):
                if exact:
                    v = random_part[:, column, None, :] + fixed[:, options, None]
                    special.expit(v, out=v)
                else:
                    v = e_random[:, column, None, :] * e_fixed[:, options, None]  # (c, U_g, M)
                    v += 1.0
                    np.divide(1.0, v, out=v)
                out[start:stop, options] = (v @ ones) / n_points
        return stop

    spans = list(_chunks(n_draws, chunk))
    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if n_workers <= 1 or len(spans) == 1:
        done: Iterator[int] = map(work, spans)
        for stop in done:
            if progress is not None:
                progress(stop, n_draws)
        return out
    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        for stop in pool.map(work, spans):
            if progress is not None:
                progress(stop, n_draws)
    return out


def parameter_draws(model: ChoiceModel, n: int, rng: np.random.Generator) -> FloatArray:
    """``n`` Krinsky-Robb draws of θ from N(estimates, covariance), (n, P)."""
    k = len(model.estimates)
    try:
        chol = np.linalg.cholesky(model.covariance + 1e-12 * np.eye(k))
    except np.linalg.LinAlgError as exc:
        raise EstimationError("the covariance matrix is not positive definite") from exc
    normal = rng.standard_normal((n, k))
    theta: FloatArray = model.estimates[None, :] + normal @ chol.T
    return theta


# -- the simulation -----------------------------------------------------------------


def _population_result(
    model: ChoiceModel,
    population: Population,
    regimes: Sequence[Regime],
    *,
    theta: FloatArray,
    z: FloatArray,
    dx: FloatArray,
    probability: FloatArray,
    point: FloatArray,
    seed: int,
    conversion: ConversionRates,
) -> PopulationResult:
    n_regimes, n_strata = len(regimes), len(population.strata)
    sizes = np.asarray([s.people for s in population.strata], dtype=np.int64)
    people = int(sizes.sum())
    p = probability.reshape(len(theta), n_regimes, n_strata)
    p_point = point.reshape(n_regimes, n_strata)
    expected = p @ sizes.astype(np.float64)  # (D, R)
    expected_point = p_point @ sizes.astype(np.float64)
    rng = np.random.default_rng([seed, 2])
    realised = rng.binomial(sizes[None, None, :], np.clip(p, 0.0, 1.0)).sum(axis=2)

    if CoefficientLayout.of(model).n_random:
        replicas = np.stack(
            [
                mixed_probabilities(
                    model, dx, model.estimates[None, :], mixing_normals(len(z), z.shape[1], s)
                )[0].reshape(n_regimes, n_strata)
                @ sizes.astype(np.float64)
                for s in range(seed + 1000, seed + 1000 + SCRAMBLINGS)
            ]
        )
        integration_sd = replicas.std(axis=0, ddof=1)
    else:
        integration_sd = np.zeros(n_regimes)

    rate = conversion.prosecution_per_report
    outcomes = []
    for r, regime in enumerate(regimes):
        e_point = float(expected_point[r])
        outcomes.append(
            RegimeOutcome(
                regime=regime,
                expected=_figure(e_point, expected[:, r]),
                reported=_figure(e_point, realised[:, r].astype(np.float64)),
                unreported=_figure(people - e_point, (people - realised[:, r]).astype(np.float64)),
                prosecutions=_figure(e_point, realised[:, r].astype(np.float64), rate),
                share=_figure(e_point, expected[:, r], 1.0 / people),
            )
        )
    return PopulationResult(
        population=population,
        outcomes=tuple(outcomes),
        theta=theta,
        probability=p,
        point_probability=p_point,
        expected_draws=expected,
        reported_draws=realised.astype(np.int64),
        integration_sd=integration_sd,
    )


def _population_profiles(
    model: ChoiceModel, population: Population, regimes: Sequence[Regime]
) -> list[dict[str, str]]:
    """Report options regime-major: regime r, stratum s at index r·S + s."""
    return [
        report_profile(model.experiment, regime, stratum.context)
        for regime in regimes
        for stratum in population.strata
    ]


def simulate_reporting(
    model: ChoiceModel,
    scenarios: Sequence[Scenario],
    *,
    n_parameter_draws: int = 1000,
    n_population_draws: int = 512,
    seed: int = 0,
    victims: int = 1000,
    conversion: ConversionRates = ILLUSTRATIVE_CONVERSION,
    population: Population | None = None,
    regimes: Sequence[Regime] = tuple(Regime),
    chunk: int | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
) -> SimulationResult:
    """Each scenario's reporting share (and per ``victims``), and, given a
    ``population``, reports under each of ``regimes`` in it: see the module
    docstring for exactly what is computed. Scenarios and population share the
    parameter draws and the mixing points."""
    if not scenarios and population is None:
        raise EstimationError("no scenario to simulate")
    if n_parameter_draws < 2 or victims < 1 or n_population_draws < 1:
        raise EstimationError("need at least two parameter draws, one mixing point and one victim")
    if n_parameter_draws > MAX_PARAMETER_DRAWS or n_population_draws > MAX_MIXING_POINTS:
        raise EstimationError(
            f"at most {MAX_PARAMETER_DRAWS:,} parameter draws and {MAX_MIXING_POINTS:,} "
            "mixing points"
        )
    if chunk is not None and chunk < 1:
        raise EstimationError("chunk must be 1 or more")
    if population is not None and not regimes:
        raise EstimationError("no regime to simulate the population under")
    layout = CoefficientLayout.of(model)
    z = mixing_normals(n_population_draws, layout.n_random, seed)
    theta = parameter_draws(model, n_parameter_draws, np.random.default_rng(seed + 1))

    profiles = [s.profile(model.experiment) for s in scenarios]
    if population is not None:
        profiles += _population_profiles(model, population, regimes)
    dx = report_differences(model, profiles)
    probability = mixed_probabilities(
        model, dx, theta, z, chunk=chunk, workers=workers, progress=progress
    )
    point = mixed_probabilities(model, dx, model.estimates[None, :], z)[0]

    n_scen = len(scenarios)
    draws = probability[:, :n_scen]
    rate = conversion.prosecution_per_report
    outcomes = [
        ScenarioOutcome(
            scenario=scenario,
            probability=_figure(float(point[i]), draws[:, i]),
            reported=_figure(float(point[i]), draws[:, i], victims),
            unreported=_figure(1.0 - float(point[i]), 1.0 - draws[:, i], victims),
            prosecutions=_figure(float(point[i]), draws[:, i], victims * rate),
        )
        for i, scenario in enumerate(scenarios)
    ]
    population_result = None
    if population is not None:
        population_result = _population_result(
            model,
            population,
            regimes,
            theta=theta,
            z=z,
            dx=dx[n_scen:],
            probability=probability[:, n_scen:],
            point=point[n_scen:],
            seed=seed,
            conversion=conversion,
        )
    return SimulationResult(
        outcomes=tuple(outcomes),
        draws=draws,
        victims=victims,
        conversion=conversion,
        illustrative=model.illustrative,
        source=model.source,
        n_parameter_draws=n_parameter_draws,
        n_population_draws=z.shape[0] if layout.n_random else 1,
        seed=seed,
        population=population_result,
    )
