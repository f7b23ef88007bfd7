"""Trade-offs between attributes with delta-method standard errors."""

from __future__ import annotations

import numpy as np
import pytest
from _choice_testdata import MIXED_SPEC, TRUE_MIXED, TRUE_MNL, barriers_design

from safereport.core.choice import EstimationError, EstimationResults, estimate
from safereport.core.choice.commands import default_trade_offs
from safereport.core.choice.synthetic import synthetic_responses


@pytest.fixture(scope="module")
def mnl() -> EstimationResults:
    return estimate(synthetic_responses(barriers_design(), 300, TRUE_MNL, seed=31))


@pytest.fixture(scope="module")
def mixed() -> EstimationResults:
    data = synthetic_responses(barriers_design(), 200, TRUE_MIXED, spec=MIXED_SPEC, seed=32)
    return estimate(data, MIXED_SPEC, n_draws=50, seed=2)


def _numeric_delta_se(results: EstimationResults, f) -> float:  # type: ignore[no-untyped-def]
    theta = results.estimates
    grad = np.empty_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = 1e-6
        grad[i] = (f(theta + e) - f(theta - e)) / 2e-6
    return float(np.sqrt(grad @ results.robust_covariance @ grad))


def test_value_of_a_firewall_in_hours(mnl: EstimationResults) -> None:
    t = mnl.trade_off("data_sharing:firewall", "time_hours")
    i = mnl.parameter_names.index("data_sharing:firewall")
    j = mnl.parameter_names.index("time_hours")
    assert t.value == pytest.approx(-mnl.estimates[i] / mnl.estimates[j])
    assert t.value > 0  # a firewall is worth extra hours
    se = _numeric_delta_se(mnl, lambda th: -th[i] / th[j])
    assert t.se == pytest.approx(se, rel=1e-5)
    lo, hi = t.interval
    assert lo < t.value < hi and hi - lo == pytest.approx(2 * 1.959963984540054 * t.se)


def test_delta_method_agrees_with_krinsky_robb_simulation(mnl: EstimationResults) -> None:
    t = mnl.trade_off("believed:yes", "time_hours")
    i = mnl.parameter_names.index("believed:yes")
    j = mnl.parameter_names.index("time_hours")
    rng = np.random.default_rng(0)
    sims = rng.multivariate_normal(mnl.estimates, mnl.robust_covariance, 20000)
    ratio = -sims[:, i] / sims[:, j]
    assert t.se == pytest.approx(ratio.std(), rel=0.1)  # first-order approximation


def test_lognormal_coefficients_are_valued_at_their_population_mean(
    mixed: EstimationResults,
) -> None:
    mean, grad = mixed.coefficient_mean("time_hours")
    mu = mixed.estimate("time_hours.log_mean")
    sigma = mixed.estimate("time_hours.log_sd")
    assert mean == pytest.approx(-np.exp(mu + sigma**2 / 2))
    i = mixed.parameter_names.index("time_hours.log_mean")
    j = mixed.parameter_names.index("time_hours.log_sd")
    assert grad[i] == pytest.approx(mean) and grad[j] == pytest.approx(mean * sigma)
    t = mixed.trade_off("data_sharing:firewall", "time_hours")
    k = mixed.parameter_names.index("data_sharing:firewall")
    se = _numeric_delta_se(mixed, lambda th: th[k] / np.exp(th[i] + th[j] ** 2 / 2))
    assert t.value == pytest.approx(mixed.estimates[k] / -mean)
    assert t.se == pytest.approx(se, rel=1e-5)


def test_trade_off_table_and_defaults(mnl: EstimationResults) -> None:
    pairs = default_trade_offs(mnl)
    assert ("data_sharing:firewall", "time_hours") in pairs
    assert all(den == "time_hours" and num != "time_hours" for num, den in pairs)
    table = mnl.trade_off_table(pairs)
    t = mnl.trade_off("data_sharing:firewall", "time_hours")
    assert f"{t.value:.3f}" in table and f"{t.se:.3f}" in table


def test_unknown_coefficient_is_refused(mnl: EstimationResults) -> None:
    with pytest.raises(EstimationError):
        mnl.trade_off("weather:sunny", "time_hours")
