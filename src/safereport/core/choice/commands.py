"""Pure functions behind the ``safereport survey design``, ``survey export`` and
``estimate`` commands (and the analyst page). They take streams, never paths
or settings, and return the text to show.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TextIO

from safereport.core.choice.data import ChoiceData, read_csv, write_long_csv, write_wide_csv
from safereport.core.choice.design import Design, ProgressCallback, generate_design
from safereport.core.choice.errors import EstimationError
from safereport.core.choice.estimation import (
    Distribution,
    EstimationResults,
    ModelSpec,
    Panel,
    estimate_conditional_logit,
    estimate_mixed_logit,
)
from safereport.core.choice.experiment import BARRIERS_EXPERIMENT, ChoiceExperiment

TIME_ATTRIBUTE = "time_hours"


def panel_from_data(data: ChoiceData) -> Panel:
    return Panel.from_arrays(
        data.design_matrix(),
        data.choices,
        data.respondent_index(),
        data.experiment.coefficient_names,
    )


def estimate(
    data: ChoiceData,
    spec: ModelSpec | None = None,
    *,
    n_draws: int = 500,
    seed: int = 0,
    start: Mapping[str, float] | None = None,
    cluster: Literal["respondent", "task"] = "respondent",
    chunk: int | None = None,
    progress: ProgressCallback | None = None,
) -> EstimationResults:
    """Conditional logit when ``spec`` has no random coefficient, else panel mixed logit."""
    panel = panel_from_data(data)
    experiment = data.experiment.to_dict()
    if spec is None or not spec.is_mixed:
        return estimate_conditional_logit(
            panel, start=start, cluster=cluster, progress=progress, experiment=experiment
        )
    if cluster != "respondent":
        raise EstimationError("the panel mixed logit is always clustered by respondent")
    return estimate_mixed_logit(
        panel,
        spec,
        n_draws=n_draws,
        seed=seed,
        start=start,
        chunk=chunk,
        progress=progress,
        experiment=experiment,
    )


def default_trade_offs(results: EstimationResults) -> list[tuple[str, str]]:
    """Every attribute coefficient valued in hours of reporting time, if time is in the model."""
    if TIME_ATTRIBUTE not in results.coefficient_names:
        return []
    return [(c, TIME_ATTRIBUTE) for c in results.coefficient_names if c != TIME_ATTRIBUTE]


def design_command(json_out: TextIO, **search: Any) -> tuple[Design, str]:
    """Generate a design with ``generate_design(**search)`` (its keywords and
    defaults), write it as JSON to ``json_out``; return it and its summary table."""
    design = generate_design(**search)
    json_out.write(design.to_json())
    json_out.write("\n")
    return design, design.summary_table()


def export_command(data: ChoiceData, out: TextIO, *, fmt: Literal["long", "wide"] = "long") -> int:
    """Write responses as CSV; returns the number of answered tasks written."""
    if fmt == "long":
        write_long_csv(data, out)
    elif fmt == "wide":
        write_wide_csv(data, out)
    else:
        raise ValueError("fmt must be 'long' or 'wide'")
    return data.n_tasks


def estimate_command(
    csv_in: TextIO,
    *,
    experiment: ChoiceExperiment = BARRIERS_EXPERIMENT,
    random: Mapping[str, str] | None = None,
    n_draws: int = 500,
    seed: int = 0,
    results_out: TextIO | None = None,
    trade_offs: Sequence[tuple[str, str]] | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[EstimationResults, str]:
    """Read responses (long or wide CSV), estimate, optionally write results JSON.

    ``random`` maps coefficient names to ``normal``, ``lognormal`` or
    ``negative_lognormal``; without it a conditional logit is estimated.
    Returns the results and the text to print (estimates and trade-offs).
    """
    data = read_csv(csv_in, experiment)
    spec = ModelSpec({k: Distribution(v) for k, v in (random or {}).items()})
    results = estimate(data, spec, n_draws=n_draws, seed=seed, progress=progress)
    pairs = list(trade_offs) if trade_offs is not None else default_trade_offs(results)
    text = results.table()
    if pairs:
        text += "\n\nTrade-offs (-mean coefficient / mean coefficient of the denominator):\n"
        text += results.trade_off_table(pairs)
    if results_out is not None:
        json.dump(results.to_dict(), results_out, indent=2)
        results_out.write("\n")
    return results, text
