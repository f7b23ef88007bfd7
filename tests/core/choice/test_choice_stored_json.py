"""Stored designs and stored results: corrupted JSON only ever raises typed errors."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from _choice_testdata import TRUE_MNL, barriers_design
from hypothesis import given, settings
from hypothesis import strategies as st

from safereport.core.choice import (
    ChoiceError,
    Coding,
    Design,
    EstimationResults,
    d_error,
    estimate,
    generate_design,
)
from safereport.core.choice.experiment import BARRIERS_EXPERIMENT
from safereport.core.choice.synthetic import synthetic_responses

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            out += _paths(v, (*prefix, i))
    return out


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = new
    return copy


STORED_DESIGN = json.loads(barriers_design().to_json())
STORED_RESULTS = estimate(synthetic_responses(barriers_design(), 30, TRUE_MNL, seed=1)).to_dict()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_paths(STORED_DESIGN)), JUNK)
def test_corrupted_designs_raise_only_choice_errors(path: tuple[Any, ...], junk: Any) -> None:
    with contextlib.suppress(ChoiceError):
        Design.from_dict(_replace(STORED_DESIGN, path, junk))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_paths(STORED_RESULTS)), JUNK)
def test_corrupted_results_raise_only_choice_errors(path: tuple[Any, ...], junk: Any) -> None:
    with contextlib.suppress(ChoiceError):
        EstimationResults.from_dict(_replace(STORED_RESULTS, path, junk))


def test_effects_coded_design_is_searched_under_its_own_coding() -> None:
    effects = BARRIERS_EXPERIMENT.with_coding(Coding.EFFECTS)
    design = generate_design(effects, n_sets=12, n_blocks=2, seed=3, starts=1)
    assert design.d_error == d_error(effects, design.levels)
    assert Design.from_json(design.to_json()).experiment.coding is Coding.EFFECTS


def test_a_huge_number_in_a_stored_design_is_a_design_error_not_a_crash() -> None:
    """Found by Hypothesis in CI: int(1e400-like values) raised OverflowError."""
    for path in _paths(STORED_DESIGN):
        with contextlib.suppress(ChoiceError):
            Design.from_dict(_replace(STORED_DESIGN, path, 10**400))
        with contextlib.suppress(ChoiceError):
            Design.from_dict(_replace(STORED_DESIGN, path, float("inf")))
