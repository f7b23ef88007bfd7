"""The pure function behind ``safereport simulate`` (and the analyst page plot)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from safereport.core.choice.estimation import EstimationResults
from safereport.core.simulate.engine import ProgressCallback, SimulationResult, simulate_reporting
from safereport.core.simulate.parameters import (
    ILLUSTRATIVE_CONVERSION,
    ChoiceModel,
    ConversionRates,
    illustrative_model,
)
from safereport.core.simulate.plots import write_regime_plots
from safereport.core.simulate.regimes import Population, illustrative_population, regime_scenarios


def simulate_command(
    out_dir: Path,
    *,
    results_json: TextIO | None = None,
    context: Mapping[str, str] | None = None,
    n_parameter_draws: int = 1000,
    n_population_draws: int = 512,
    seed: int = 0,
    victims: int = 1000,
    people: int = 1_000_000,
    population: Population | None = None,
    conversion: ConversionRates = ILLUSTRATIVE_CONVERSION,
    progress: ProgressCallback | None = None,
) -> tuple[SimulationResult, str, list[Path]]:
    """Simulate every regime x channel, and every regime over a population (by
    default ``people`` victims in the illustrative strata); write plots and
    ``simulation.json`` to ``out_dir``.

    Without ``results_json`` (stored :class:`EstimationResults`) the clearly
    labelled illustrative parameters are used. Returns the result, the table
    text and the written files.
    """
    if results_json is None:
        model = illustrative_model()
    else:
        model = ChoiceModel.from_results(EstimationResults.from_dict(json.load(results_json)))
    result = simulate_reporting(
        model,
        regime_scenarios(context),
        n_parameter_draws=n_parameter_draws,
        n_population_draws=n_population_draws,
        seed=seed,
        victims=victims,
        population=illustrative_population(people) if population is None else population,
        conversion=conversion,
        progress=progress,
    )
    paths = write_regime_plots(result, out_dir)
    summary = out_dir / "simulation.json"
    summary.write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")
    return result, result.table(), [*paths, summary]
