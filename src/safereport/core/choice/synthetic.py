"""Synthetic responses from known parameters, for tests, benchmarks and demos.

Nothing here is survey data. Respondents are assigned to blocks in turn and
answer every task of their block; each respondent's random coefficients are
drawn once (pseudo-random normals, independent of the Halton draws the
estimator uses) and kept for all of their tasks, as the panel mixed logit
assumes; the choice is the utility maximiser with Gumbel errors.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from safereport.core.choice.data import ChoiceData
from safereport.core.choice.design import Design
from safereport.core.choice.errors import EstimationError
from safereport.core.choice.estimation import Distribution, ModelSpec


def individual_coefficients(
    spec: ModelSpec,
    names: tuple[str, ...],
    true: Mapping[str, float],
    n: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Coefficients of ``n`` people (n, coefficients) from parameter values."""
    expected = spec.parameter_names(names)
    missing = [p for p in expected if p not in true]
    if missing:
        raise EstimationError(f"true values missing for: {', '.join(missing)}")
    beta = np.empty((n, len(names)))
    for k, c in enumerate(names):
        d = spec.distribution(c)
        if d is Distribution.FIXED:
            beta[:, k] = true[c]
        elif d is Distribution.NORMAL:
            beta[:, k] = true[c] + true[f"{c}.sd"] * rng.standard_normal(n)
        else:
            sign = 1.0 if d is Distribution.LOGNORMAL else -1.0
            beta[:, k] = sign * np.exp(
                true[f"{c}.log_mean"] + true[f"{c}.log_sd"] * rng.standard_normal(n)
            )
    return beta


def synthetic_responses(
    design: Design,
    n_respondents: int,
    true: Mapping[str, float],
    *,
    spec: ModelSpec | None = None,
    seed: int = 0,
    id_prefix: str = "r",
) -> ChoiceData:
    """Answers of ``n_respondents`` simulated people to ``design``."""
    spec = spec or ModelSpec()
    e = design.experiment
    names = e.coefficient_names
    rng = np.random.default_rng(seed)
    beta = individual_coefficients(spec, names, true, n_respondents, rng)
    width = len(str(n_respondents))
    rows = []
    for n in range(n_respondents):
        block = n % design.n_blocks + 1
        sets = design.set_indices(block)
        levels = design.levels[sets]
        x = e.design_matrix(levels)
        utility = x @ beta[n] + rng.gumbel(size=x.shape[:2])
        choices = utility.argmax(axis=1)
        for t, s in enumerate(sets):
            rows.append(
                (
                    f"{id_prefix}{n + 1:0{width}d}",
                    block,
                    t + 1,
                    design.levels[s].tolist(),
                    int(choices[t]),
                )
            )
    return ChoiceData.from_rows(e, rows)
