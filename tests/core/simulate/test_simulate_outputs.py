"""Plots and the simulate command function."""

from __future__ import annotations

import io
import json
from pathlib import Path

from safereport.core.choice import estimate_command, export_command
from safereport.core.choice.design import generate_design
from safereport.core.choice.synthetic import synthetic_responses
from safereport.core.simulate import (
    illustrative_model,
    regime_scenarios,
    simulate_command,
    simulate_reporting,
    write_regime_plots,
)

TRUE = {
    "data_sharing:protocol": 0.3,
    "data_sharing:firewall": 1.1,
    "channel:online": 0.1,
    "channel:support_org": 0.4,
    "interpreter:yes": 0.5,
    "specialist_worker:yes": 0.5,
    "believed:yes": 0.8,
    "time_hours": -0.12,
    "no_report": 0.6,
}


def test_plots_are_written_as_png_and_svg(tmp_path: Path) -> None:
    result = simulate_reporting(illustrative_model(), regime_scenarios(), n_parameter_draws=50)
    paths = write_regime_plots(result, tmp_path / "plots")
    assert [p.name for p in paths] == ["regime_comparison.png", "regime_comparison.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = paths[1].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "ILLUSTRATIVE" in svg  # the warning is part of the figure


def test_simulate_command_without_survey_data_uses_illustrative_parameters(
    tmp_path: Path,
) -> None:
    result, text, paths = simulate_command(tmp_path, n_parameter_draws=60, n_population_draws=50)
    assert result.illustrative and "ILLUSTRATIVE PARAMETERS" in text
    assert {p.name for p in paths} == {
        "regime_comparison.png",
        "regime_comparison.svg",
        "simulation.json",
    }
    stored = json.loads((tmp_path / "simulation.json").read_text(encoding="utf-8"))
    assert stored["illustrative"] is True and len(stored["scenarios"]) == 9


def test_simulate_command_on_estimates(tmp_path: Path) -> None:
    design = generate_design(n_sets=12, n_blocks=2, seed=1, starts=1)
    data = synthetic_responses(design, 300, TRUE, seed=3)
    csv_text = io.StringIO()
    export_command(data, csv_text)
    results_json = io.StringIO()
    estimate_command(io.StringIO(csv_text.getvalue()), results_out=results_json)
    result, text, _ = simulate_command(
        tmp_path,
        results_json=io.StringIO(results_json.getvalue()),
        n_parameter_draws=100,
        victims=500,
    )
    assert not result.illustrative
    assert "conditional logit estimated on 300 respondents" in text
    assert "Per 500 victims" in text
    svg = (tmp_path / "regime_comparison.svg").read_text(encoding="utf-8")
    assert "ILLUSTRATIVE PARAMETERS" not in svg
