"""Conditional logit: analytic derivatives, sandwich errors, fit statistics, storage."""

from __future__ import annotations

import json

import numpy as np
import pytest
from _choice_testdata import TRUE_MNL, barriers_design

from safereport.core.choice import (
    EstimationError,
    EstimationResults,
    Panel,
    estimate,
    estimate_conditional_logit,
    panel_from_data,
)
from safereport.core.choice.estimation import mnl_hessian, mnl_loglik
from safereport.core.choice.synthetic import synthetic_responses


def _random_panel(seed: int, n_resp: int = 40, tasks: int = 5, alts: int = 3, k: int = 4) -> Panel:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_resp * tasks, alts, k))
    chosen = rng.integers(0, alts, n_resp * tasks)
    respondent = rng.permutation(np.repeat(np.arange(n_resp), tasks))  # unsorted on purpose
    return Panel.from_arrays(x, chosen, respondent, tuple(f"b{i}" for i in range(k)))


def _central_gradient(f, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:  # type: ignore[no-untyped-def]
    g = np.empty_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        g[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return g


def test_gradient_and_hessian_match_finite_differences() -> None:
    panel = _random_panel(1)
    theta = np.array([0.3, -0.5, 0.8, 0.1])
    _, grad, _ = mnl_loglik(panel, theta)
    numeric = _central_gradient(lambda t: mnl_loglik(panel, t)[0], theta)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-6)
    hessian = mnl_hessian(panel, theta)
    numeric_h = np.column_stack(
        [
            (mnl_loglik(panel, theta + e)[1] - mnl_loglik(panel, theta - e)[1]) / 2e-6
            for e in np.eye(4) * 1e-6
        ]
    )
    np.testing.assert_allclose(hessian, numeric_h, rtol=1e-5, atol=1e-5)


def test_log_likelihood_is_the_sum_of_log_choice_probabilities() -> None:
    panel = _random_panel(2)
    theta = np.array([0.2, 0.4, -0.3, 0.0])
    expected = 0.0
    for t in range(panel.n_tasks):
        v = panel.x[t] @ theta
        expected += v[panel.chosen[t]] - np.log(np.exp(v).sum())
    assert mnl_loglik(panel, theta)[0] == pytest.approx(expected, rel=1e-12)


def test_robust_covariance_is_the_sandwich_over_respondents() -> None:
    panel = _random_panel(3)
    results = estimate_conditional_logit(panel)
    theta = results.estimates
    h = mnl_hessian(panel, theta)
    scores = np.zeros((panel.n_respondents, theta.size))
    v = panel.x @ theta
    p = np.exp(v) / np.exp(v).sum(axis=1, keepdims=True)
    for t in range(panel.n_tasks):
        contribution = panel.x[t, panel.chosen[t]] - p[t] @ panel.x[t]
        scores[panel.respondent[t]] += contribution
    h_inv = np.linalg.inv(h)
    np.testing.assert_allclose(
        results.robust_covariance, h_inv @ scores.T @ scores @ h_inv, rtol=1e-8
    )
    np.testing.assert_allclose(results.covariance, -h_inv, rtol=1e-8)
    assert results.gradient_norm < 1e-4
    by_task = estimate_conditional_logit(panel, cluster="task")
    assert not np.allclose(by_task.robust_se, results.robust_se)  # clustering matters here
    np.testing.assert_allclose(by_task.estimates, results.estimates, atol=1e-6)


def test_fit_statistics() -> None:
    data = synthetic_responses(barriers_design(), 60, TRUE_MNL, seed=9)
    results = estimate(data)
    n_tasks = 60 * 8
    assert results.null_log_likelihood == pytest.approx(-n_tasks * np.log(3))
    k = 9
    assert results.rho_squared == pytest.approx(
        1 - results.log_likelihood / results.null_log_likelihood
    )
    assert results.adjusted_rho_squared == pytest.approx(
        1 - (results.log_likelihood - k) / results.null_log_likelihood
    )
    assert results.aic == pytest.approx(2 * k - 2 * results.log_likelihood)
    assert results.bic == pytest.approx(k * np.log(n_tasks) - 2 * results.log_likelihood)
    assert results.log_likelihood > results.null_log_likelihood


def test_results_round_trip_through_json_and_render_a_table() -> None:
    data = synthetic_responses(barriers_design(), 60, TRUE_MNL, seed=9)
    results = estimate(data)
    again = EstimationResults.from_dict(json.loads(json.dumps(results.to_dict())))
    np.testing.assert_array_equal(again.estimates, results.estimates)
    np.testing.assert_array_equal(again.robust_covariance, results.robust_covariance)
    assert again.parameter_names == results.parameter_names
    assert again.experiment == results.experiment
    table = results.table()
    assert "conditional logit" in table and "data_sharing:firewall" in table
    assert f"{results.log_likelihood:.4f}" in table
    firewall = results.parameter_names.index("data_sharing:firewall")
    assert f"{results.robust_se[firewall]:.4f}" in table


def test_unidentified_coefficient_is_a_typed_error() -> None:
    panel = _random_panel(4)
    x = panel.x.copy()
    x[:, :, 2] = 0.0  # a coefficient the data cannot identify
    broken = Panel.from_arrays(x, panel.chosen, panel.respondent, panel.coefficient_names)
    with pytest.raises(EstimationError, match="singular"):
        estimate_conditional_logit(broken)


def test_bad_arrays_are_refused() -> None:
    with pytest.raises(EstimationError):
        Panel.from_arrays(np.zeros((3, 2, 1)), np.array([0, 1, 2]), np.zeros(3, int), ("a",))
    with pytest.raises(EstimationError):
        Panel.from_arrays(np.full((1, 2, 1), np.nan), np.array([0]), np.zeros(1, int), ("a",))


def test_panel_from_data_groups_tasks_by_respondent() -> None:
    data = synthetic_responses(barriers_design(), 7, TRUE_MNL, seed=1)
    panel = panel_from_data(data)
    assert panel.n_respondents == 7 and panel.n_tasks == 56
    assert np.all(np.diff(panel.respondent) >= 0)
    assert np.array_equal(np.diff(np.r_[panel.starts, panel.n_tasks]), np.full(7, 8))


def test_lbfgsb_finds_the_same_optimum_and_unknown_methods_are_refused() -> None:
    panel = _random_panel(6)
    bfgs = estimate_conditional_logit(panel)
    lbfgsb = estimate_conditional_logit(panel, method="L-BFGS-B")
    assert lbfgsb.converged
    np.testing.assert_allclose(lbfgsb.estimates, bfgs.estimates, atol=1e-5)
    with pytest.raises(EstimationError, match="method"):
        estimate_conditional_logit(panel, method="Nelder-Mead")
