"""Sample enumeration with Krinsky-Robb intervals."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from safereport.core.choice import BARRIERS_EXPERIMENT, Distribution, EstimationError, ModelSpec
from safereport.core.simulate import (
    ChoiceModel,
    ConversionRates,
    Regime,
    Scenario,
    illustrative_model,
    regime_scenarios,
    simulate_reporting,
)
from safereport.core.simulate.parameters import ILLUSTRATIVE_VALUES
from safereport.core.simulate.regimes import Channel

NAMES = BARRIERS_EXPERIMENT.coefficient_names
BETA = {
    "data_sharing:protocol": 0.2,
    "data_sharing:firewall": 1.0,
    "channel:online": 0.0,
    "channel:support_org": 0.4,
    "interpreter:yes": 0.5,
    "specialist_worker:yes": 0.5,
    "believed:yes": 0.7,
    "time_hours": -0.1,
    "no_report": 0.8,
}


def _mnl_model(scale: float) -> ChoiceModel:
    estimates = np.array([BETA[n] for n in NAMES])
    return ChoiceModel(
        experiment=BARRIERS_EXPERIMENT,
        spec=ModelSpec(),
        parameter_names=NAMES,
        estimates=estimates,
        covariance=np.eye(len(NAMES)) * scale**2,
        illustrative=False,
        source="test values",
    )


def _closed_form(scenario: Scenario) -> float:
    x = BARRIERS_EXPERIMENT.code_profile(scenario.profile(BARRIERS_EXPERIMENT))
    beta = np.array([BETA[n] for n in NAMES])
    return float(special.expit(x @ beta - BETA["no_report"]))


def test_conditional_logit_point_is_the_binary_logit_of_report_against_not() -> None:
    scenarios = regime_scenarios()
    result = simulate_reporting(_mnl_model(0.05), scenarios, n_parameter_draws=200, seed=1)
    for outcome, scenario in zip(result.outcomes, scenarios, strict=True):
        p = _closed_form(scenario)
        assert outcome.probability.point == pytest.approx(p, rel=1e-12)
        assert outcome.probability.low < p < outcome.probability.high
        assert outcome.reported.point == pytest.approx(1000 * p)
        assert outcome.unreported.point == pytest.approx(1000 * (1 - p))
        assert outcome.prosecutions.point == pytest.approx(1000 * p * 0.07)
        assert outcome.unreported.low == pytest.approx(1000 - outcome.reported.high)
    assert result.n_population_draws == 1  # no random coefficient, no population draws


def test_intervals_shrink_with_the_covariance() -> None:
    scenarios = regime_scenarios()[:1]
    wide = simulate_reporting(_mnl_model(0.2), scenarios, n_parameter_draws=400, seed=2)
    narrow = simulate_reporting(_mnl_model(0.02), scenarios, n_parameter_draws=400, seed=2)
    width = lambda r: r.outcomes[0].probability.high - r.outcomes[0].probability.low  # noqa: E731
    assert width(narrow) < width(wide) / 5


def test_population_average_over_a_normal_coefficient_matches_quadrature() -> None:
    model = illustrative_model()
    scenario = Scenario(Regime.FIREWALL, Channel.POLICE_STATION)
    result = simulate_reporting(model, [scenario], n_parameter_draws=10, n_population_draws=2000)
    x = BARRIERS_EXPERIMENT.code_profile(scenario.profile(BARRIERS_EXPERIMENT))
    fixed = dict(ILLUSTRATIVE_VALUES)
    mean_v = sum(fixed[n] * x[i] for i, n in enumerate(NAMES) if n != "no_report")
    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    expected = float(
        (weights * special.expit(mean_v + fixed["data_sharing:firewall.sd"] * nodes - 1.0)).sum()
        / weights.sum()
    )
    assert result.outcomes[0].probability.point == pytest.approx(expected, abs=2e-5)
    assert result.n_population_draws == 2048  # Sobol points: rounded up to a power of two


def test_illustrative_firewall_reports_more_than_protocol_more_than_status_quo() -> None:
    result = simulate_reporting(illustrative_model(), regime_scenarios(), n_parameter_draws=100)
    for channel in Channel:
        sq = result.outcome(Regime.STATUS_QUO, channel.value).probability.point
        pr = result.outcome(Regime.PROTOCOL, channel.value).probability.point
        fw = result.outcome(Regime.FIREWALL, channel.value).probability.point
        assert sq < pr < fw
    gain = result.difference(6, 0)  # firewall vs status quo at a police station
    assert gain.point > 0 and gain.low < gain.point < gain.high


def test_illustrative_results_say_so() -> None:
    result = simulate_reporting(illustrative_model(), regime_scenarios(), n_parameter_draws=50)
    assert result.illustrative
    assert result.table().startswith("*** ILLUSTRATIVE PARAMETERS - NOT ESTIMATES")
    assert result.to_dict()["illustrative"] is True
    estimated = simulate_reporting(_mnl_model(0.1), regime_scenarios(), n_parameter_draws=50)
    assert not estimated.illustrative
    assert "ILLUSTRATIVE PARAMETERS" not in estimated.table()
    assert "(illustrative rate)" in estimated.table()  # the default conversion rate still is


def test_same_seed_same_numbers_and_progress_is_reported() -> None:
    calls: list[tuple[int, int]] = []
    a = simulate_reporting(
        illustrative_model(),
        regime_scenarios(),
        n_parameter_draws=120,
        chunk=50,
        seed=5,
        progress=lambda d, n: calls.append((d, n)),
    )
    b = simulate_reporting(illustrative_model(), regime_scenarios(), n_parameter_draws=120, seed=5)
    np.testing.assert_array_equal(a.draws, b.draws)
    assert calls == [(50, 120), (100, 120), (120, 120)]


def test_lognormal_time_coefficient_is_simulated() -> None:
    spec = ModelSpec({"time_hours": Distribution.NEGATIVE_LOGNORMAL})
    names = spec.parameter_names(NAMES)
    values = {**BETA, "time_hours.log_mean": np.log(0.1), "time_hours.log_sd": 0.0}
    model = ChoiceModel(
        experiment=BARRIERS_EXPERIMENT,
        spec=spec,
        parameter_names=names,
        estimates=np.array([values[n] for n in names]),
        covariance=np.eye(len(names)) * 1e-6,
        illustrative=False,
        source="test values",
    )
    scenarios = regime_scenarios()
    result = simulate_reporting(model, scenarios, n_parameter_draws=20, n_population_draws=50)
    for outcome, scenario in zip(result.outcomes, scenarios, strict=True):
        # zero spread: identical to the conditional logit with time = -0.1
        assert outcome.probability.point == pytest.approx(_closed_form(scenario), rel=1e-9)


def test_custom_conversion_and_victims() -> None:
    result = simulate_reporting(
        _mnl_model(0.05),
        regime_scenarios()[:1],
        n_parameter_draws=50,
        victims=10_000,
        conversion=ConversionRates(0.2, illustrative=False, source="local figures"),
    )
    o = result.outcomes[0]
    assert o.prosecutions.point == pytest.approx(o.reported.point * 0.2)
    assert o.reported.point == pytest.approx(10_000 * o.probability.point)


def test_bad_requests_are_refused() -> None:
    with pytest.raises(EstimationError):
        simulate_reporting(illustrative_model(), [])
    with pytest.raises(EstimationError):
        simulate_reporting(illustrative_model(), regime_scenarios(), n_parameter_draws=1)
    with pytest.raises(EstimationError, match="at most 20,000 parameter draws"):
        simulate_reporting(illustrative_model(), regime_scenarios(), n_parameter_draws=20_001)
    with pytest.raises(EstimationError, match="65,536 mixing points"):
        simulate_reporting(illustrative_model(), regime_scenarios(), n_population_draws=65_537)
    with pytest.raises(ValueError):
        ConversionRates(1.5)
    with pytest.raises(EstimationError):
        ChoiceModel(
            experiment=BARRIERS_EXPERIMENT,
            spec=ModelSpec(),
            parameter_names=("a",),
            estimates=np.zeros(1),
            covariance=np.zeros((1, 1)),
            illustrative=True,
            source="",
        )
