"""The same models written in biogeme 3.3.5, for the agreement tests and the bench.

Data go to biogeme as one row per task (``ID``, ``CHOICE`` and ``x{j}_{coef}``
for each alternative ``j`` and coefficient). For the panel mixed logit the
database is declared as panel on ``ID`` (biogeme then works per individual,
in sorted order of ``ID``) and biogeme is given *our* draws through a
user-defined random number generator, so both packages maximise the very
same simulated likelihood.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from safereport.core.choice import Distribution, ModelSpec, Panel


def _safe(name: str) -> str:
    return name.replace(":", "_")


@dataclass
class BiogemeFit:
    estimates: dict[str, float]  # keyed by our parameter names
    robust_se: dict[str, float]
    log_likelihood: float
    seconds: float


def fit_with_biogeme(
    panel: Panel,
    spec: ModelSpec,
    *,
    workdir: Path,
    draws: np.ndarray | None = None,
    start: Mapping[str, float] | None = None,
    cluster_by_respondent: bool = True,
    tolerance: float = 1e-10,
    parameters: Mapping[str, object] | None = None,
) -> BiogemeFit:
    import biogeme.database as bio_db
    import pandas as pd
    from biogeme.biogeme import BIOGEME
    from biogeme.draws import RandomNumberGeneratorTuple
    from biogeme.expressions import (
        Beta,
        Draws,
        MonteCarlo,
        PanelLikelihoodTrajectory,
        Variable,
        exp,
        log,
    )
    from biogeme.models import logit, loglogit

    names = panel.coefficient_names
    columns: dict[str, np.ndarray] = {"ID": panel.respondent + 1, "CHOICE": panel.chosen}
    for j in range(panel.n_alternatives):
        for k, name in enumerate(names):
            columns[f"x{j}_{_safe(name)}"] = panel.x[:, j, k]
    frame = pd.DataFrame(columns)
    start = dict(start or {})

    def beta(parameter: str, default: float) -> Beta:
        return Beta(_safe(parameter), float(start.get(parameter, default)), None, None, 0)

    generators: dict[str, RandomNumberGeneratorTuple] = {}
    coefficient = {}
    random_index = 0
    for name in names:
        dist = spec.distribution(name)
        if dist is Distribution.FIXED:
            coefficient[name] = beta(name, 0.0)
            continue
        if draws is None:
            raise ValueError("a mixed logit needs draws")
        column = np.ascontiguousarray(draws[:, :, random_index])

        def generator(
            sample_size: int, number_of_draws: int, column: np.ndarray = column
        ) -> np.ndarray:
            assert (sample_size, number_of_draws) == column.shape
            return column

        kind = f"SAFEREPORT{random_index}"
        generators[kind] = RandomNumberGeneratorTuple(generator, "SafeReport Halton normals")
        z = Draws(f"z_{_safe(name)}", kind)
        if dist is Distribution.NORMAL:
            coefficient[name] = beta(name, 0.0) + beta(f"{name}.sd", 0.1) * z
        else:
            sign = 1.0 if dist is Distribution.LOGNORMAL else -1.0
            coefficient[name] = sign * exp(
                beta(f"{name}.log_mean", 0.0) + beta(f"{name}.log_sd", 0.1) * z
            )
        random_index += 1

    utilities = {}
    for j in range(panel.n_alternatives):
        terms = [
            coefficient[name] * Variable(f"x{j}_{_safe(name)}")
            for k, name in enumerate(names)
            if np.any(panel.x[:, j, k] != 0.0)
        ]
        utilities[j] = sum(terms[1:], terms[0])

    database = bio_db.Database("safereport", frame)
    choice = Variable("CHOICE")
    kwargs: dict[str, object] = {
        "generate_html": False,
        "generate_yaml": False,
        "save_iterations": False,
        "tolerance": tolerance,
        **dict(parameters or {}),
    }
    if spec.is_mixed:
        database.panel("ID")
        assert draws is not None
        kwargs["number_of_draws"] = int(draws.shape[1])
        loglike = log(MonteCarlo(PanelLikelihoodTrajectory(logit(utilities, None, choice))))
    elif cluster_by_respondent:
        database.panel("ID")
        loglike = log(PanelLikelihoodTrajectory(logit(utilities, None, choice)))
    else:
        loglike = loglogit(utilities, None, choice)

    previous = Path.cwd()
    os.chdir(workdir)  # biogeme writes biogeme.toml into the working directory
    try:
        model = BIOGEME(database, loglike, random_number_generators=generators or None, **kwargs)
        model.model_name = "safereport_reference"
        began = time.perf_counter()
        results = model.estimate()
        seconds = time.perf_counter() - began
    finally:
        os.chdir(previous)

    values = results.get_beta_values()
    covariance = results.get_variance_covariance_matrix(
        results.get_default_variance_covariance_matrix()
    )
    se = dict(zip(results.beta_names, np.sqrt(np.diag(covariance)), strict=True))
    ours = spec.parameter_names(names)
    return BiogemeFit(
        estimates={p: float(values[_safe(p)]) for p in ours},
        robust_se={p: float(se[_safe(p)]) for p in ours},
        log_likelihood=float(results.raw_estimation_results.final_log_likelihood),
        seconds=seconds,
    )
