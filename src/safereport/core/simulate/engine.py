"""Sample enumeration of reporting under each regime, with Krinsky-Robb intervals.

For each scenario (one report option against "I would not report") the
probability that a victim reports is the logit probability of the report
option. Two sources of variation are enumerated:

* **the population** — for a mixed logit, a victim's coefficients are drawn
  from the estimated distribution (``n_population_draws`` scrambled Halton
  normals, the same draws for every parameter draw and scenario); the
  population reporting probability is the average over them. A conditional
  logit has one coefficient vector for everybody;
* **estimation uncertainty** (Krinsky & Robb, 1986) — ``n_parameter_draws``
  parameter vectors from the multivariate normal with the estimates as mean
  and the robust covariance; each gives a population reporting probability.

The point figure is computed at the estimates; the 95% interval is the 2.5th
and 97.5th percentiles over the parameter draws. Reported and unreported
incidents per ``victims`` victims and projected prosecutions are the same
probabilities scaled (prosecutions = reported x the conversion rate, which
is held fixed: its own uncertainty is not in the interval).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from safereport.core.simulate.regimes import Regime, Scenario

FloatArray = NDArray[np.float64]
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Figure95:
    point: float
    low: float
    high: float


@dataclass(frozen=True)
class ScenarioOutcome:
    scenario: Scenario
    probability: Figure95
    reported: Figure95
    unreported: Figure95
    prosecutions: Figure95


@dataclass(frozen=True)
class SimulationResult:
    outcomes: tuple[ScenarioOutcome, ...]
    draws: FloatArray  # (parameter draws, scenarios) population reporting probability
    victims: int
    conversion: ConversionRates
    illustrative: bool
    source: str
    n_parameter_draws: int
    n_population_draws: int
    seed: int

    def outcome(self, regime: Regime, channel: str) -> ScenarioOutcome:
        for o in self.outcomes:
            if o.scenario.regime is regime and o.scenario.channel.value == channel:
                return o
        raise KeyError(f"no scenario {regime.value}/{channel}")

    def difference(self, a: int, b: int) -> Figure95:
        """Extra reports per ``victims`` victims in scenario ``a`` over scenario ``b``."""
        point = (
            self.outcomes[a].probability.point - self.outcomes[b].probability.point
        ) * self.victims
        diff = (self.draws[:, a] - self.draws[:, b]) * self.victims
        return Figure95(point, float(np.percentile(diff, 2.5)), float(np.percentile(diff, 97.5)))

    def table(self) -> str:
        lines: list[str] = []
        if self.illustrative:
            lines += ["*** " + self.source + " ***", ""]
        else:
            lines += [f"Parameters: {self.source}", ""]
        lines.append(
            f"Per {self.victims:,} victims; 95% intervals from {self.n_parameter_draws} "
            f"Krinsky-Robb draws"
            + (
                f", {self.n_population_draws} population draws"
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
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        def fig(f: Figure95) -> dict[str, float]:
            return {"point": f.point, "low": f.low, "high": f.high}

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
                    "probability": fig(o.probability),
                    "reported": fig(o.reported),
                    "unreported": fig(o.unreported),
                    "prosecutions": fig(o.prosecutions),
                }
                for o in self.outcomes
            ],
        }


def _population_normals(n: int, d: int, seed: int) -> FloatArray:
    if d == 0:
        return np.zeros((1, 0))
    sampler = qmc.Halton(d=d, scramble=True, rng=np.random.default_rng(seed))
    u = np.clip(sampler.random(n), 1e-12, 1.0 - 1e-12)
    normals: FloatArray = np.asarray(special.ndtri(u), dtype=np.float64)
    return normals


def _coefficients(model: ChoiceModel, theta: FloatArray, z: FloatArray) -> FloatArray:
    """Coefficients (parameter draws, population, K) for parameter draws θ (D, P)."""
    names = model.experiment.coefficient_names
    index = {n: i for i, n in enumerate(model.parameter_names)}
    d_count, m_count = theta.shape[0], z.shape[0]
    beta = np.empty((d_count, m_count, len(names)))
    r = 0
    for k, c in enumerate(names):
        dist = model.spec.distribution(c)
        if dist is Distribution.FIXED:
            beta[:, :, k] = theta[:, index[c], None]
        elif dist is Distribution.NORMAL:
            beta[:, :, k] = theta[:, index[c], None] + theta[:, index[f"{c}.sd"], None] * z[:, r]
            r += 1
        else:
            sign = 1.0 if dist is Distribution.LOGNORMAL else -1.0
            exponent = (
                theta[:, index[f"{c}.log_mean"], None]
                + theta[:, index[f"{c}.log_sd"], None] * z[:, r]
            )
            beta[:, :, k] = sign * np.exp(np.minimum(exponent, 50.0))
            r += 1
    return beta


def _report_probability(beta: FloatArray, x_report: FloatArray, x_none: FloatArray) -> FloatArray:
    """Population-mean probability of reporting, (D, scenarios)."""
    v_report = np.einsum("dmk,sk->dms", beta, x_report)
    v_none = beta @ x_none  # (D, M)
    p: FloatArray = special.expit(v_report - v_none[:, :, None]).mean(axis=1)
    return p


def simulate_reporting(
    model: ChoiceModel,
    scenarios: Sequence[Scenario],
    *,
    n_parameter_draws: int = 1000,
    n_population_draws: int = 500,
    seed: int = 0,
    victims: int = 1000,
    conversion: ConversionRates = ILLUSTRATIVE_CONVERSION,
    chunk: int = 50,
    progress: ProgressCallback | None = None,
) -> SimulationResult:
    """Reporting probability and incidents per ``victims`` for each scenario."""
    if not scenarios:
        raise EstimationError("no scenario to simulate")
    if n_parameter_draws < 2 or victims < 1 or chunk < 1:
        raise EstimationError("need at least two parameter draws, one victim and chunk >= 1")
    e = model.experiment
    x_report = np.stack([e.code_profile(s.profile(e)) for s in scenarios])
    x_none = e.opt_out_row()
    n_random = sum(
        1 for c in e.coefficient_names if model.spec.distribution(c) is not Distribution.FIXED
    )
    z = _population_normals(n_population_draws, n_random, seed)
    rng = np.random.default_rng(seed + 1)
    try:
        chol = np.linalg.cholesky(model.covariance + 1e-12 * np.eye(len(model.estimates)))
    except np.linalg.LinAlgError as exc:
        raise EstimationError("the covariance matrix is not positive definite") from exc

    point = _report_probability(
        _coefficients(model, model.estimates[None, :], z), x_report, x_none
    )[0]
    draws = np.empty((n_parameter_draws, len(scenarios)))
    for start in range(0, n_parameter_draws, chunk):
        stop = min(start + chunk, n_parameter_draws)
        normal = rng.standard_normal((stop - start, len(model.estimates)))
        theta = model.estimates[None, :] + normal @ chol.T
        draws[start:stop] = _report_probability(_coefficients(model, theta, z), x_report, x_none)
        if progress is not None:
            progress(stop, n_parameter_draws)

    low = np.percentile(draws, 2.5, axis=0)
    high = np.percentile(draws, 97.5, axis=0)
    rate = conversion.prosecution_per_report
    outcomes = []
    for s, scenario in enumerate(scenarios):
        p, lo, hi = float(point[s]), float(low[s]), float(high[s])
        outcomes.append(
            ScenarioOutcome(
                scenario=scenario,
                probability=Figure95(p, lo, hi),
                reported=Figure95(p * victims, lo * victims, hi * victims),
                unreported=Figure95((1 - p) * victims, (1 - hi) * victims, (1 - lo) * victims),
                prosecutions=Figure95(p * victims * rate, lo * victims * rate, hi * victims * rate),
            )
        )
    return SimulationResult(
        outcomes=tuple(outcomes),
        draws=draws,
        victims=victims,
        conversion=conversion,
        illustrative=model.illustrative,
        source=model.source,
        n_parameter_draws=n_parameter_draws,
        n_population_draws=n_population_draws if n_random else 1,
        seed=seed,
    )
