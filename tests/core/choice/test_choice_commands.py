"""The functions the management commands call: design, export, estimate."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from _choice_testdata import MIXED_SPEC, TRUE_MIXED, TRUE_MNL, barriers_design

from safereport.core.choice import (
    Design,
    EstimationResults,
    design_command,
    estimate_command,
    export_command,
    read_long_csv,
)
from safereport.core.choice.synthetic import synthetic_responses


def test_design_command_writes_json_and_returns_the_summary() -> None:
    out = io.StringIO()
    progress: list[tuple[int, int]] = []
    design, table = design_command(
        out, n_sets=12, n_blocks=2, seed=4, starts=2, progress=lambda a, b: progress.append((a, b))
    )
    stored = Design.from_json(out.getvalue())
    assert np.array_equal(stored.levels, design.levels)
    assert table == design.summary_table() and "12 choice sets in 2 blocks" in table
    assert progress == [(1, 2), (2, 2)]


@pytest.mark.parametrize("fmt", ["long", "wide"])
def test_export_then_estimate_round_trip(fmt: str) -> None:
    data = synthetic_responses(barriers_design(), 120, TRUE_MNL, seed=41)
    csv_out = io.StringIO()
    assert export_command(data, csv_out, fmt=fmt) == 120 * 8  # type: ignore[arg-type]
    results_out = io.StringIO()
    results, text = estimate_command(io.StringIO(csv_out.getvalue()), results_out=results_out)
    stored = EstimationResults.from_dict(json.loads(results_out.getvalue()))
    np.testing.assert_array_equal(stored.estimates, results.estimates)
    assert "conditional logit" in text
    assert "data_sharing:firewall / time_hours" in text  # default trade-offs in hours
    assert results.n_respondents == 120


def test_estimate_command_fits_a_mixed_logit_on_request() -> None:
    data = synthetic_responses(barriers_design(), 80, TRUE_MIXED, spec=MIXED_SPEC, seed=42)
    csv_out = io.StringIO()
    export_command(data, csv_out)
    results, text = estimate_command(
        io.StringIO(csv_out.getvalue()),
        random={"data_sharing:firewall": "normal", "time_hours": "negative_lognormal"},
        n_draws=30,
        seed=3,
        trade_offs=[("believed:yes", "time_hours")],
    )
    assert results.model == "panel mixed logit" and results.n_draws == 30
    assert "believed:yes / time_hours" in text
    assert "data_sharing:firewall.sd" in text


def test_export_refuses_unknown_format() -> None:
    data = synthetic_responses(barriers_design(), 3, TRUE_MNL, seed=1)
    with pytest.raises(ValueError, match="long"):
        export_command(data, io.StringIO(), fmt="xml")  # type: ignore[arg-type]


def test_exported_long_csv_reads_back_identically() -> None:
    data = synthetic_responses(barriers_design(), 4, TRUE_MNL, seed=2)
    out = io.StringIO()
    export_command(data, out, fmt="long")
    again = read_long_csv(io.StringIO(out.getvalue()), data.experiment)
    assert again.respondents == data.respondents
    assert np.array_equal(again.choices, data.choices)
