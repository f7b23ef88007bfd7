# ruff: noqa: RUF002  (docstrings write the mathematics with Greek letters and signs)
"""Brute force: every person simulated one by one. Slow on purpose.

The reference the fast engine (:mod:`.engine`) is checked against, in the
tests and in ``bench/simulate_bench.py``. For one parameter vector ``θ``,
each of the population's people gets her own coefficients ``β_n`` from the
mixing distribution (pseudo-random normals, not the engine's quasi-Monte
Carlo points), and under each regime her own uniform number decides whether
she reports (``u < P(report | β_n)``). Nothing is integrated, nothing is
weighted: the counts are counts of simulated people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

from safereport.core.simulate.engine import CoefficientLayout, report_differences
from safereport.core.simulate.parameters import ChoiceModel
from safereport.core.simulate.regimes import Population, Regime, report_profile

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class BruteForceCounts:
    """Simulated people who report, per regime and stratum (regimes, strata)."""

    reported: IntArray
    people: IntArray  # (strata,)

    @property
    def total(self) -> IntArray:
        total: IntArray = self.reported.sum(axis=1)
        return total

    @property
    def variance(self) -> FloatArray:
        """Estimated variance of each regime's total given θ, from the sample itself:
        people report independently given θ, so it is ``Σ_s N_s p̂_s (1 − p̂_s)``
        with ``p̂_s`` the stratum's observed share."""
        share = self.reported / np.maximum(self.people, 1)[None, :]
        variance: FloatArray = (self.people[None, :] * share * (1.0 - share)).sum(axis=1)
        return variance


def simulate_people(
    model: ChoiceModel,
    population: Population,
    regimes: Sequence[Regime],
    theta: FloatArray,
    rng: np.random.Generator,
    *,
    batch: int = 65_536,
) -> BruteForceCounts:
    """Simulate each person of ``population`` under ``theta`` (P,)."""
    layout = CoefficientLayout.of(model)
    n_coef = len(model.experiment.coefficient_names)
    reported = np.zeros((len(regimes), len(population.strata)), dtype=np.int64)
    for s, stratum in enumerate(population.strata):
        dx = report_differences(
            model, [report_profile(model.experiment, r, stratum.context) for r in regimes]
        )
        for start in range(0, stratum.people, batch):
            n = min(batch, stratum.people - start)
            z = rng.standard_normal((n, layout.n_random))
            beta = layout.coefficients(theta[None, :], z, n_coef)[0]  # (n, K): one per person
            p_person = special.expit(beta @ dx.T)  # (n, regimes)
            decides = rng.random((n, len(regimes))) < p_person
            reported[:, s] += decides.sum(axis=0)
    return BruteForceCounts(
        reported=reported,
        people=np.asarray([s.people for s in population.strata], dtype=np.int64),
    )
