"""The survey, estimate and simulate commands, with real files in tmp_path."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from survey_helpers import answer_surveys, store_small_design

from safereport.accounts.models import AuditEvent
from safereport.core.choice import BARRIERS_EXPERIMENT, read_long_csv, read_wide_csv
from safereport.core.events import EventKind
from safereport.survey.models import SurveyDesign
from safereport.survey.selectors import choice_data

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_survey_design_generates_stores_and_summarises(tmp_path):
    out, err = run(
        "survey",
        "design",
        "--sets",
        "6",
        "--blocks",
        "2",
        "--starts",
        "2",
        "--seed",
        "7",
        "--out",
        str(tmp_path / "design.json"),
    )
    stored = SurveyDesign.objects.get()
    assert (stored.n_sets, stored.n_blocks, stored.seed) == (6, 2, 7)
    assert "Choice design: 6 choice sets in 2 blocks" in out
    assert "data_sharing" in out and f"Stored as design {stored.pk}" in out
    assert "design search" in err  # the progress bar, on stderr
    written = json.loads((tmp_path / "design.json").read_text(encoding="utf-8"))
    assert written == stored.design
    assert AuditEvent.objects.filter(kind=EventKind.SURVEY_DESIGN_STORED.value).count() == 1


def test_survey_design_refuses_impossible_sizes():
    with pytest.raises(CommandError, match="multiple of n_blocks"):
        run("survey", "design", "--sets", "7", "--blocks", "2", "--no-progress")
    assert not SurveyDesign.objects.exists()


def test_export_needs_a_design_and_answers(tmp_path):
    with pytest.raises(CommandError, match="no design is stored"):
        run("survey", "export")
    store_small_design()
    with pytest.raises(CommandError, match="no answers"):
        run("survey", "export")


@pytest.mark.parametrize(("fmt", "reader"), [("long", read_long_csv), ("wide", read_wide_csv)])
def test_export_round_trips_through_the_core_readers(tmp_path, fmt, reader):
    stored = store_small_design()
    answer_surveys(7, seed=1)
    answer_surveys(2, complete=False, seed=2)
    path = tmp_path / f"answers-{fmt}.csv"
    _out, err = run("survey", "export", "--format", fmt, "--out", str(path))
    assert f"written to {path}" in err
    expected = choice_data(stored)
    assert expected is not None
    with path.open(encoding="utf-8", newline="") as stream:
        data = reader(stream, BARRIERS_EXPERIMENT)
    assert data.respondents == expected.respondents
    np.testing.assert_array_equal(data.levels, expected.levels)
    np.testing.assert_array_equal(data.choices, expected.choices)
    np.testing.assert_array_equal(data.blocks, expected.blocks)
    np.testing.assert_array_equal(data.tasks, expected.tasks)
    assert data.n_tasks == 7 * 3 + 2 * 2
    event = AuditEvent.objects.get(kind=EventKind.SURVEY_RESPONSES_EXPORTED.value)
    assert event.detail == {"design": stored.pk, "format": fmt, "tasks": 25}


def test_export_of_completed_responses_only_to_standard_output():
    store_small_design()
    answer_surveys(3)
    answer_surveys(2, complete=False, seed=5)
    out, _err = run("survey", "export", "--completed-only")
    data = read_long_csv(io.StringIO(out), BARRIERS_EXPERIMENT)
    assert len(data.respondent_ids) == 3 and data.n_tasks == 9
    # respondents are numbered, never their stored random ids
    assert set(data.respondent_ids) == {"r0001", "r0002", "r0003"}


def test_estimate_writes_results_table_and_plots(tmp_path):
    store_small_design(n_sets=6, n_blocks=2)
    answer_surveys(80, seed=6)
    csv = tmp_path / "answers.csv"
    run("survey", "export", "--format", "wide", "--out", str(csv))
    out, err = run("estimate", str(csv), "--out", str(tmp_path / "est"))
    assert "Model: conditional logit" in out and "data_sharing:firewall" in out
    assert "Trade-offs" in out
    for name in ("results.json", "estimates.txt", "estimates.png", "estimates.svg"):
        assert (tmp_path / "est" / name).stat().st_size > 0
    assert (tmp_path / "est" / "estimates.png").read_bytes().startswith(b"\x89PNG")
    results = json.loads((tmp_path / "est" / "results.json").read_text(encoding="utf-8"))
    assert results["n_respondents"] == 80
    assert "estimation iterations" in err

    # the results feed the simulator
    sim_out, _ = run(
        "simulate",
        "--results",
        str(tmp_path / "est" / "results.json"),
        "--out",
        str(tmp_path / "sim"),
        "--draws",
        "200",
        "--population-draws",
        "50",
    )
    assert "ILLUSTRATIVE" not in sim_out.split("\n")[0]
    assert "conditional logit estimated on 80 respondents" in sim_out
    for name in ("regime_comparison.png", "regime_comparison.svg", "simulation.json"):
        assert (tmp_path / "sim" / name).exists()


def test_a_mixed_logit_is_estimated_with_random_coefficients(tmp_path):
    store_small_design(n_sets=6, n_blocks=2)
    answer_surveys(80, seed=8)
    csv = tmp_path / "answers.csv"
    run("survey", "export", "--out", str(csv))
    out, _ = run(
        "estimate",
        str(csv),
        "--random",
        "data_sharing:firewall=normal",
        "--draws",
        "50",
        "--out",
        str(tmp_path / "mixed"),
        "--no-progress",
    )
    assert "panel mixed logit" in out.lower() and "data_sharing:firewall.sd" in out


def test_estimate_names_the_line_of_a_bad_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "respondent,block,task,choice,"
        + ",".join(f"{o}_{a.name}" for o in "AB" for a in BARRIERS_EXPERIMENT.attributes)
        + "\nr1,1,1,A,firewall,online,yes,no,yes,1,shared,online,no,no,yes,8\n"
        + "r1,1,2,B,firewall,by_pigeon,yes,no,yes,1,shared,online,no,no,yes,8\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"bad\.csv: line 3: 'by_pigeon' is not a level"):
        run("estimate", str(bad), "--no-progress")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "cannot read"),
        (["x.csv", "--random", "firewall"], "COEFFICIENT=DISTRIBUTION"),
        (["x.csv", "--random", "nothing=normal"], "no coefficient 'nothing'"),
        (["x.csv", "--random", "time_hours=uniform"], "distribution must be one of"),
    ],
)
def test_estimate_refuses_bad_arguments_clearly(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run("estimate", *[str(tmp_path / a) if a.endswith(".csv") else a for a in args])


def test_simulate_without_results_uses_labelled_illustrative_parameters(tmp_path):
    out, _ = run("simulate", "--out", str(tmp_path), "--draws", "100", "--no-progress")
    assert out.startswith("*** ILLUSTRATIVE PARAMETERS - NOT ESTIMATES")
    summary = json.loads((tmp_path / "simulation.json").read_text(encoding="utf-8"))
    assert summary["illustrative"] is True
    assert (
        (tmp_path / "regime_comparison.svg")
        .read_text(encoding="utf-8")
        .lstrip()
        .startswith("<?xml")
    )


def test_simulate_reports_a_population_of_people(tmp_path):
    out, _ = run(
        "simulate", "--out", str(tmp_path), "--draws", "50", "--people", "2500", "--no-progress"
    )
    assert "Population: 2,500 victims in 6 strata (ILLUSTRATIVE shares, not measured)" in out
    summary = json.loads((tmp_path / "simulation.json").read_text(encoding="utf-8"))
    assert sum(s["people"] for s in summary["population"]["strata"]) == 2500
    for regime in summary["population"]["regimes"]:
        assert 0 <= regime["reported"]["low"] <= regime["reported"]["high"] <= 2500


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--people", "0", "--people must be 1 or more"),
        ("--people", str(10**13), "--people must be at most"),
        ("--draws", "20001", "--draws must be at most 20,000"),
        ("--population-draws", "100000", "--population-draws must be at most 65,536"),
    ],
)
def test_simulate_refuses_sizes_out_of_range(tmp_path, option, value, message):
    with pytest.raises(CommandError, match=message):
        run("simulate", "--out", str(tmp_path), option, value, "--no-progress")
    assert not (tmp_path / "simulation.json").exists()


def test_simulate_refuses_a_file_that_is_not_results(tmp_path):
    bad = tmp_path / "results.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid results JSON"):
        run("simulate", "--results", str(bad), "--out", str(tmp_path / "o"), "--no-progress")
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(CommandError, match="not stored results"):
        run("simulate", "--results", str(bad), "--out", str(tmp_path / "o"), "--no-progress")


def test_the_installed_command_exits_non_zero_on_a_bad_file(tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_text("", encoding="utf-8")
    env = {**os.environ, "SAFEREPORT_DATA_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    finished = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "safereport.manage", "estimate", str(bad), "--no-progress"],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parent,
        check=False,
    )
    assert finished.returncode == 1
    assert "empty.csv: line 1: header is neither the long format" in finished.stderr
