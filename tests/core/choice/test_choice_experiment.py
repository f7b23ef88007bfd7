"""The barriers experiment: attributes, levels and their coding."""

from __future__ import annotations

import numpy as np
import pytest

from safereport.core.choice import (
    BARRIERS_EXPERIMENT,
    NO_REPORT,
    Attribute,
    ChoiceExperiment,
    Coding,
    ExperimentError,
    Level,
)

FIREWALL_PROFILE = {
    "data_sharing": "firewall",
    "channel": "support_org",
    "interpreter": "yes",
    "specialist_worker": "no",
    "believed": "yes",
    "time_hours": "4",
}


def test_barriers_attributes_name_the_three_regimes_and_the_channels() -> None:
    e = BARRIERS_EXPERIMENT
    assert e.attribute("data_sharing").codes == ("shared", "protocol", "firewall")
    assert e.attribute("channel").codes == ("police_station", "online", "support_org")
    assert e.alternative_names == ("A", "B", NO_REPORT)
    assert e.opt_out_label == "I would not report"


def test_coefficient_names_follow_dummy_coding_with_first_level_as_reference() -> None:
    assert BARRIERS_EXPERIMENT.coefficient_names == (
        "data_sharing:protocol",
        "data_sharing:firewall",
        "channel:online",
        "channel:support_org",
        "interpreter:yes",
        "specialist_worker:yes",
        "believed:yes",
        "time_hours",
        NO_REPORT,
    )


def test_dummy_coding_of_a_profile() -> None:
    row = BARRIERS_EXPERIMENT.code_profile(FIREWALL_PROFILE)
    assert row.tolist() == [0, 1, 0, 1, 1, 0, 1, 4.0, 0]


def test_effects_coding_codes_the_reference_level_minus_one() -> None:
    e = BARRIERS_EXPERIMENT.with_coding(Coding.EFFECTS)
    shared = dict(FIREWALL_PROFILE, data_sharing="shared", specialist_worker="no")
    row = e.code_profile(shared)
    assert row[:2].tolist() == [-1.0, -1.0]
    assert row[5] == -1.0  # specialist_worker reference
    assert row[7] == 4.0  # numeric attributes are not effects-coded
    assert row[-1] == 0.0


def test_opt_out_row_is_only_the_constant() -> None:
    row = BARRIERS_EXPERIMENT.opt_out_row()
    assert row.sum() == 1.0 and row[-1] == 1.0


def test_design_matrix_matches_coding_profile_by_profile() -> None:
    e = BARRIERS_EXPERIMENT
    rng = np.random.default_rng(5)
    levels = np.stack(
        [
            np.stack([rng.integers(0, len(a.levels), 7) for a in e.attributes], axis=-1)
            for _ in range(e.n_options)
        ],
        axis=1,
    )
    x = e.design_matrix(levels)
    assert x.shape == (7, 3, len(e.coefficient_names))
    for t in range(7):
        for o in range(e.n_options):
            assert np.array_equal(x[t, o], e.code_indices(levels[t, o].tolist()))
        assert np.array_equal(x[t, 2], e.opt_out_row())


def test_unknown_level_and_missing_attribute_are_refused() -> None:
    with pytest.raises(ExperimentError, match="not a level"):
        BARRIERS_EXPERIMENT.code_profile(dict(FIREWALL_PROFILE, channel="by_pigeon"))
    partial = {k: v for k, v in FIREWALL_PROFILE.items() if k != "believed"}
    with pytest.raises(ExperimentError, match="missing attributes: believed"):
        BARRIERS_EXPERIMENT.code_profile(partial)


def test_invalid_definitions_are_refused() -> None:
    with pytest.raises(ExperimentError):
        Attribute("a", "A", (Level("x", "X"),))
    with pytest.raises(ExperimentError):
        Attribute("t", "T", (Level("1", "1"), Level("2", "2")), numeric=True)
    with pytest.raises(ExperimentError):
        ChoiceExperiment(attributes=(BARRIERS_EXPERIMENT.attributes[0],) * 2)


def test_experiment_round_trips_through_a_dict() -> None:
    e = BARRIERS_EXPERIMENT.with_coding(Coding.EFFECTS)
    assert ChoiceExperiment.from_dict(e.to_dict()) == e
