"""Coordinate-exchange designs: D-error, determinism, blocks, JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest
from _choice_testdata import barriers_design

from safereport.core.choice import (
    BARRIERS_EXPERIMENT,
    Design,
    DesignError,
    d_error,
    generate_design,
)


def _naive_d_error(levels: np.ndarray, beta: np.ndarray) -> float:
    """D-error written out set by set, alternative by alternative."""
    x = BARRIERS_EXPERIMENT.design_matrix(levels)
    k = x.shape[2]
    info = np.zeros((k, k))
    for s in range(x.shape[0]):
        v = x[s] @ beta
        p = np.exp(v) / np.exp(v).sum()
        mean = sum(p[j] * x[s, j] for j in range(x.shape[1]))
        for j in range(x.shape[1]):
            d = x[s, j] - mean
            info += p[j] * np.outer(d, d)
    return float(np.linalg.det(info) ** (-1.0 / k))


def _random_levels(seed: int, n_sets: int = 24) -> np.ndarray:
    rng = np.random.default_rng(seed)
    e = BARRIERS_EXPERIMENT
    return np.stack(
        [
            np.stack([rng.integers(0, len(a.levels), n_sets) for a in e.attributes], axis=-1)
            for _ in range(e.n_options)
        ],
        axis=1,
    )


def test_d_error_matches_the_textbook_formula_with_and_without_priors() -> None:
    levels = _random_levels(1)
    zero = np.zeros(len(BARRIERS_EXPERIMENT.coefficient_names))
    assert d_error(BARRIERS_EXPERIMENT, levels) == pytest.approx(_naive_d_error(levels, zero))
    priors = {"data_sharing:firewall": 1.0, "time_hours": -0.2, "no_report": 0.5}
    beta = np.array([priors.get(n, 0.0) for n in BARRIERS_EXPERIMENT.coefficient_names])
    assert d_error(BARRIERS_EXPERIMENT, levels, priors) == pytest.approx(
        _naive_d_error(levels, beta)
    )


def test_search_beats_random_designs() -> None:
    design = barriers_design()
    random_errors = [d_error(BARRIERS_EXPERIMENT, _random_levels(s)) for s in range(20)]
    assert design.d_error < min(random_errors)
    assert design.d_error == pytest.approx(d_error(BARRIERS_EXPERIMENT, design.levels))


def test_same_seed_same_design_other_seed_other_design() -> None:
    a = generate_design(n_sets=12, n_blocks=2, seed=7, starts=1)
    b = generate_design(n_sets=12, n_blocks=2, seed=7, starts=1)
    c = generate_design(n_sets=12, n_blocks=2, seed=8, starts=1)
    assert np.array_equal(a.levels, b.levels) and np.array_equal(a.blocks, b.blocks)
    assert not np.array_equal(a.levels, c.levels)


def test_blocks_are_equal_and_no_set_repeats_an_option() -> None:
    design = barriers_design()
    assert np.bincount(design.blocks)[1:].tolist() == [8, 8, 8]
    for s in range(design.n_sets):
        assert not np.array_equal(design.levels[s, 0], design.levels[s, 1])


def test_priors_change_the_design() -> None:
    neutral = generate_design(n_sets=12, n_blocks=2, seed=2, starts=1)
    informed = generate_design(
        n_sets=12,
        n_blocks=2,
        seed=2,
        starts=1,
        priors={"data_sharing:firewall": 1.5, "time_hours": -0.3, "no_report": 1.0},
    )
    assert not np.array_equal(neutral.levels, informed.levels)


def test_design_round_trips_through_json() -> None:
    design = barriers_design()
    text = design.to_json()
    again = Design.from_json(text)
    assert np.array_equal(again.levels, design.levels)
    assert np.array_equal(again.blocks, design.blocks)
    assert again.d_error == pytest.approx(design.d_error)
    stored = json.loads(text)
    assert stored["blocks"][0]["tasks"][0]["options"][0]["data_sharing"] in {
        "shared",
        "protocol",
        "firewall",
    }


def test_task_lookup_gives_level_codes() -> None:
    design = barriers_design()
    options = design.task(2, 1)
    s = design.set_indices(2)[0]
    assert (
        options[0]["channel"]
        == BARRIERS_EXPERIMENT.attribute("channel").codes[int(design.levels[s, 0, 1])]
    )
    with pytest.raises(DesignError):
        design.task(2, 9)


def test_summary_table_reports_d_error_and_blocks() -> None:
    table = barriers_design().summary_table()
    assert "24 choice sets in 3 blocks" in table
    assert f"{barriers_design().d_error:.4f}" in table
    assert "block 3" in table


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_sets": 10, "n_blocks": 3}, "multiple"),
        ({"n_sets": 2, "n_blocks": 1}, "cannot identify"),
        ({"priors": {"nonsense": 1.0}}, "unknown coefficients"),
    ],
)
def test_bad_requests_raise_design_error(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DesignError, match=message):
        generate_design(**kwargs)  # type: ignore[arg-type]


def test_bad_stored_design_raises_design_error() -> None:
    with pytest.raises(DesignError):
        Design.from_json("[]")
    with pytest.raises(DesignError):
        Design.from_json('{"format": "other"}')
    stored = json.loads(barriers_design().to_json())
    stored["blocks"][0]["tasks"][0]["options"][0]["channel"] = "carrier_pigeon"
    with pytest.raises(DesignError, match="carrier_pigeon"):
        Design.from_json(json.dumps(stored))


def test_balanced_search_shows_every_level_equally_often() -> None:
    free = generate_design(n_sets=12, n_blocks=2, seed=5, starts=1)
    balanced = generate_design(n_sets=12, n_blocks=2, seed=5, starts=1, balanced=True)
    time = [a.name for a in BARRIERS_EXPERIMENT.attributes].index("time_hours")
    assert set(np.unique(free.levels[:, :, time])) < {0, 1, 2, 3}  # extremes only
    for a, attribute in enumerate(BARRIERS_EXPERIMENT.attributes):
        for o in range(BARRIERS_EXPERIMENT.n_options):
            counts = np.bincount(balanced.levels[:, o, a], minlength=len(attribute.levels))
            assert counts.max() - counts.min() <= 1, attribute.name
    for s in range(balanced.n_sets):
        assert not np.array_equal(balanced.levels[s, 0], balanced.levels[s, 1])
    assert free.d_error <= balanced.d_error  # balance costs a little efficiency
    assert Design.from_json(balanced.to_json()).balanced
    assert "level-balanced" in balanced.summary_table()
    assert balanced.d_error < min(
        d_error(BARRIERS_EXPERIMENT, _random_levels(s, 12)) for s in range(20)
    )


def test_describe_task_gives_the_plain_english_labels() -> None:
    design = barriers_design()
    described = design.describe_task(1, 2)
    codes = design.task(1, 2)
    assert len(described) == BARRIERS_EXPERIMENT.n_options
    first_label, first_level = described[0][0]
    assert first_label == "What the police do with your details"
    expected = {
        "shared": "Shared with immigration enforcement",
        "protocol": "Shared with immigration enforcement, but no action while your case is open",
        "firewall": "Never shared with immigration enforcement",
    }[codes[0]["data_sharing"]]
    assert first_level == expected
    assert [label for label, _ in described[1]] == [a.label for a in BARRIERS_EXPERIMENT.attributes]
