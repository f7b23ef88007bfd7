"""Panel mixed logit: simulated likelihood, analytic gradient and Hessian, blocks, draws."""

from __future__ import annotations

import numpy as np
import pytest

from safereport.core.choice import (
    Distribution,
    EstimationError,
    ModelSpec,
    Panel,
    estimate_conditional_logit,
    estimate_mixed_logit,
    halton_normal_draws,
)
from safereport.core.choice.estimation import (
    MixedLogLikelihood,
    _Layout,
    mixed_loglik,
    mnl_hessian,
    mnl_loglik,
)

NAMES = ("b0", "b1", "b2", "b3")
SPEC = ModelSpec(
    {
        "b1": Distribution.NORMAL,
        "b2": Distribution.LOGNORMAL,
        "b3": Distribution.NEGATIVE_LOGNORMAL,
    }
)


def _panel(seed: int, n_resp: int = 30, tasks: int = 4, *, unbalanced: bool = False) -> Panel:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_resp * tasks, 3, 4))
    chosen = rng.integers(0, 3, n_resp * tasks)
    respondent = np.repeat(np.arange(n_resp), tasks)
    if unbalanced:  # respondents answer between 1 and all tasks
        keep = np.arange(n_resp * tasks) % tasks < rng.integers(1, tasks + 1, n_resp)[respondent]
        x, chosen, respondent = x[keep], chosen[keep], respondent[keep]
    return Panel.from_arrays(x, chosen, respondent, NAMES)


def _brute_force_loglik(panel: Panel, theta: np.ndarray, draws: np.ndarray) -> float:
    """Σ_n log( mean_r Π_t P_t(β_nr) ), written with plain loops."""
    total = 0.0
    for n in range(panel.n_respondents):
        tasks = np.flatnonzero(panel.respondent == n)
        sims = []
        for r in range(draws.shape[1]):
            z = draws[n, r]
            beta = np.array(
                [
                    theta[0],
                    theta[1] + theta[4] * z[0],
                    np.exp(theta[2] + theta[5] * z[1]),
                    -np.exp(theta[3] + theta[6] * z[2]),
                ]
            )
            prob = 1.0
            for t in tasks:  # the same β_nr for every task of respondent n
                v = panel.x[t] @ beta
                prob *= np.exp(v[panel.chosen[t]]) / np.exp(v).sum()
            sims.append(prob)
        total += np.log(np.mean(sims))
    return total


THETA = np.array([0.3, -0.2, -0.5, -1.0, 0.7, 0.4, 0.3])


@pytest.mark.parametrize("unbalanced", [False, True])
def test_simulated_likelihood_shares_draws_across_a_respondents_tasks(unbalanced: bool) -> None:
    panel = _panel(1, n_resp=8, unbalanced=unbalanced)
    draws = halton_normal_draws(8, 13, 3, seed=2)
    layout = _Layout.build(SPEC, NAMES)
    ll, _, _ = mixed_loglik(panel, layout, THETA, draws, chunk=5)
    assert ll == pytest.approx(_brute_force_loglik(panel, THETA, draws), rel=1e-10)


@pytest.mark.parametrize(("chunk", "threads"), [(1, 1), (4, 2), (7, 2), (30, 1)])
def test_blocks_and_threads_do_not_change_anything(chunk: int, threads: int) -> None:
    panel = _panel(2, unbalanced=True)
    draws = halton_normal_draws(panel.n_respondents, 13, 3, seed=3)
    layout = _Layout.build(SPEC, NAMES)
    ref = MixedLogLikelihood(panel, layout, draws, chunk=30, threads=1)
    got = MixedLogLikelihood(panel, layout, draws, chunk=chunk, threads=threads)
    assert len(got.blocks) == -(-30 // chunk)
    for a, b in zip(
        got.evaluate(THETA, hessian=True), ref.evaluate(THETA, hessian=True), strict=True
    ):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)  # type: ignore[arg-type]


def _central_differences(f, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.array([(f(theta + h * e) - f(theta - h * e)) / (2 * h) for e in np.eye(theta.size)])


@pytest.mark.parametrize("unbalanced", [False, True])
def test_analytic_gradient_matches_finite_differences_for_every_distribution(
    unbalanced: bool,
) -> None:
    panel = _panel(3, unbalanced=unbalanced)
    draws = halton_normal_draws(panel.n_respondents, 20, 3, seed=4)
    layout = _Layout.build(SPEC, NAMES)
    _, grad, scores = mixed_loglik(panel, layout, THETA, draws, chunk=6, want_scores=True)
    numeric = _central_differences(
        lambda t: mixed_loglik(panel, layout, t, draws, chunk=6)[0], THETA
    )
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(scores.sum(axis=0), grad, rtol=1e-12)  # type: ignore[union-attr]


@pytest.mark.parametrize("unbalanced", [False, True])
def test_analytic_hessian_matches_differences_of_the_gradient(unbalanced: bool) -> None:
    """The exact Hessian (used for the standard errors) against central
    differences of the analytic gradient, for normal, lognormal and negative
    lognormal coefficients together, with padded (unbalanced) panels."""
    panel = _panel(12, n_resp=25, unbalanced=unbalanced)
    draws = halton_normal_draws(panel.n_respondents, 17, 3, seed=8)
    problem = MixedLogLikelihood(panel, _Layout.build(SPEC, NAMES), draws, chunk=4)
    _, _, _, hessian = problem.evaluate(THETA, hessian=True)
    numeric = _central_differences(lambda t: problem.evaluate(t)[1], THETA, h=1e-5)
    np.testing.assert_allclose(hessian, 0.5 * (numeric + numeric.T), rtol=1e-6, atol=1e-6)


def test_long_panels_do_not_underflow() -> None:
    panel = _panel(4, n_resp=5, tasks=400)  # Π_t P_t ≈ 3^-400 underflows a double
    draws = halton_normal_draws(5, 10, 3, seed=5)
    layout = _Layout.build(SPEC, NAMES)
    ll, grad, _ = mixed_loglik(panel, layout, THETA, draws, chunk=3)
    assert np.isfinite(ll) and np.all(np.isfinite(grad))
    assert ll < 5 * 400 * np.log(1 / 3) / 2  # and it is a real, very negative number


def test_zero_spread_reduces_to_the_conditional_logit() -> None:
    panel = _panel(5)
    spec = ModelSpec({"b1": Distribution.NORMAL})
    layout = _Layout.build(spec, NAMES)
    beta = np.array([0.2, -0.4, 0.1, 0.5])
    draws = halton_normal_draws(panel.n_respondents, 9, 1, seed=6)
    problem = MixedLogLikelihood(panel, layout, draws, chunk=4)
    ll, grad, _, hessian = problem.evaluate(np.r_[beta, 0.0], hessian=True)
    mnl_ll, mnl_grad, _ = mnl_loglik(panel, beta)
    assert ll == pytest.approx(mnl_ll, rel=1e-12)
    np.testing.assert_allclose(grad[:4], mnl_grad, rtol=1e-10)
    assert hessian is not None
    np.testing.assert_allclose(hessian[:4, :4], mnl_hessian(panel, beta), rtol=1e-10)


def test_halton_draws_are_seeded_normals() -> None:
    a = halton_normal_draws(50, 40, 2, seed=1)
    b = halton_normal_draws(50, 40, 2, seed=1)
    c = halton_normal_draws(50, 40, 2, seed=2)
    assert a.shape == (50, 40, 2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert abs(a.mean()) < 0.02 and abs(a.std() - 1) < 0.02


def test_estimation_reports_draws_and_converges() -> None:
    rng = np.random.default_rng(7)
    n_resp, tasks = 150, 6
    x = rng.normal(size=(n_resp * tasks, 3, 4))
    beta_n = np.column_stack(
        [
            np.full(n_resp, 0.5),
            -0.5 + 0.8 * rng.standard_normal(n_resp),
            np.full(n_resp, 0.3),
            np.full(n_resp, -0.7),
        ]
    )
    v = np.einsum("tjk,tk->tj", x, np.repeat(beta_n, tasks, axis=0))
    chosen = (v + rng.gumbel(size=v.shape)).argmax(axis=1)
    panel = Panel.from_arrays(x, chosen, np.repeat(np.arange(n_resp), tasks), NAMES)
    spec = ModelSpec({"b1": Distribution.NORMAL})
    calls: list[int] = []
    results = estimate_mixed_logit(
        panel, spec, n_draws=60, seed=3, progress=lambda i, _n: calls.append(i)
    )
    assert results.converged and results.n_draws == 60 and results.draw_seed == 3
    assert results.parameter_names == ("b0", "b1", "b2", "b3", "b1.sd")
    assert calls and calls[-1] == results.iterations
    assert results.log_likelihood > estimate_conditional_logit(panel).log_likelihood
    assert "panel mixed logit" in results.table() and "60 (scrambled Halton" in results.table()


def test_mixed_logit_refuses_bad_input() -> None:
    panel = _panel(8)
    with pytest.raises(EstimationError, match="no random coefficient"):
        estimate_mixed_logit(panel, ModelSpec())
    with pytest.raises(EstimationError, match="not in the model"):
        estimate_mixed_logit(panel, ModelSpec({"zz": Distribution.NORMAL}))
    with pytest.raises(EstimationError, match="draws must have shape"):
        estimate_mixed_logit(
            panel, ModelSpec({"b1": Distribution.NORMAL}), draws=np.zeros((3, 5, 1))
        )


def test_supplied_draws_are_reported_as_such() -> None:
    panel = _panel(9, n_resp=40)
    spec = ModelSpec({"b1": Distribution.NORMAL})
    draws = halton_normal_draws(40, 11, 1, seed=1)
    results = estimate_mixed_logit(panel, spec, draws=draws, seed=123)
    assert results.n_draws == 11 and results.draw_seed is None
    assert "11 (supplied by the caller)" in results.table()


def test_memory_is_bounded_by_the_respondent_block_not_by_the_panel() -> None:
    import tracemalloc

    panel = _panel(10, n_resp=250, tasks=8)  # 2,000 tasks x 3 alternatives
    n_draws = 400
    draws = halton_normal_draws(250, n_draws, 3, seed=1)
    layout = _Layout.build(SPEC, NAMES)
    all_at_once = panel.n_tasks * panel.n_alternatives * n_draws * 8  # bytes of one full array

    def peak(chunk: int) -> int:
        problem = MixedLogLikelihood(panel, layout, draws, chunk=chunk)
        tracemalloc.start()
        problem.evaluate(THETA, hessian=True)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, full = peak(5), peak(250)
    assert small < all_at_once / 3
    assert full > all_at_once  # the measurement has teeth: one block of everyone does cost that


@pytest.mark.parametrize("method", ["BFGS", "L-BFGS-B"])
def test_gradient_only_searches_find_the_newton_optimum(method: str) -> None:
    """The default search (Newton steps with the exact Hessian) and the
    gradient-only ones reach the same optimum and the same standard errors."""
    panel = _panel(11, n_resp=80)
    spec = ModelSpec({"b1": Distribution.NORMAL, "b3": Distribution.NEGATIVE_LOGNORMAL})
    draws = halton_normal_draws(80, 25, 2, seed=4)
    start = {"b0": 0.0, "b1": 0.0, "b2": 0.0, "b3.log_mean": -1.0, "b1.sd": 0.5, "b3.log_sd": 0.3}
    newton = estimate_mixed_logit(panel, spec, draws=draws, start=start)
    other = estimate_mixed_logit(panel, spec, draws=draws, start=start, method=method)
    assert newton.converged and other.converged
    assert newton.iterations < other.iterations
    assert other.log_likelihood == pytest.approx(newton.log_likelihood, abs=1e-6)
    np.testing.assert_allclose(other.estimates, newton.estimates, atol=1e-3)
    np.testing.assert_allclose(other.robust_se, newton.robust_se, rtol=1e-2)
    with pytest.raises(EstimationError, match="method"):
        estimate_mixed_logit(panel, spec, draws=draws, start=start, method="Nelder-Mead")


def test_scores_belong_to_their_respondents_in_unbalanced_panels() -> None:
    """Respondents are regrouped into blocks by their number of tasks; each
    score row must still be that respondent's own gradient."""
    panel = _panel(13, n_resp=9, tasks=5, unbalanced=True)
    draws = halton_normal_draws(9, 11, 3, seed=9)
    layout = _Layout.build(SPEC, NAMES)
    _, _, scores, _ = MixedLogLikelihood(panel, layout, draws, chunk=2).evaluate(THETA)
    for n in range(9):
        own = panel.respondent == n
        alone = Panel.from_arrays(panel.x[own], panel.chosen[own], panel.respondent[own], NAMES)
        _, grad, _ = mixed_loglik(alone, layout, THETA, draws[n : n + 1])
        np.testing.assert_allclose(scores[n], grad, rtol=1e-10, atol=1e-12)


def test_one_long_panel_does_not_pad_everyone() -> None:
    """A respondent with 400 tasks among respondents with 4: padding is per
    block of respondents with similar panels, not to the longest panel."""
    rng = np.random.default_rng(14)
    tasks = np.r_[np.full(60, 4), 400]
    respondent = np.repeat(np.arange(tasks.size), tasks)
    x = rng.normal(size=(respondent.size, 3, 4))
    panel = Panel.from_arrays(x, rng.integers(0, 3, respondent.size), respondent, NAMES)
    draws = halton_normal_draws(tasks.size, 20, 3, seed=1)
    problem = MixedLogLikelihood(panel, _Layout.build(SPEC, NAMES), draws, max_chunk_elements=4000)
    padded = sum(block.offset.size for block in problem.blocks)
    assert padded <= 1.2 * panel.n_tasks * 2  # (J - 1) = 2 other alternatives per task
    ll, grad, _, _ = problem.evaluate(THETA)
    ref = MixedLogLikelihood(panel, _Layout.build(SPEC, NAMES), draws, chunk=tasks.size)
    assert ll == pytest.approx(ref.evaluate(THETA)[0], rel=1e-12)
    np.testing.assert_allclose(grad, ref.evaluate(THETA)[1], rtol=1e-10)
