"""Our estimator against biogeme 3.3.5 on the same synthetic data.

Conditional logit: estimates must agree to 1e-3 and robust standard errors
to 1%, both with per-task scores (biogeme's plain ``loglogit``) and with
per-respondent scores (biogeme's panel ``PanelLikelihoodTrajectory``).

Panel mixed logit: exact agreement *is* possible, because biogeme accepts
user-defined draws. We hand biogeme our scrambled-Halton normals (one column
per random coefficient, rows in the sorted order of the respondent ids that
biogeme's panel flattening uses), so both packages maximise the same
simulated log-likelihood; the tolerance is then the same as for the
conditional logit (1e-3 on estimates, 1% on robust standard errors) and the
simulated log-likelihoods must agree to 1e-6 relative. With *different*
draws (e.g. biogeme's own ``NORMAL_HALTON2``) the two simulated likelihoods
differ by simulation noise, and agreement to 1e-3 would not be a fair
requirement; we do not test that case.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _choice_testdata import MIXED_SPEC, TRUE_MIXED, TRUE_MNL, barriers_design

from safereport.core.choice import (
    ModelSpec,
    estimate_conditional_logit,
    estimate_mixed_logit,
    halton_normal_draws,
    panel_from_data,
)
from safereport.core.choice.estimation import mixed_start_values
from safereport.core.choice.synthetic import synthetic_responses

pytest.importorskip("biogeme", reason="biogeme 3.3.5 is a test dependency (pyproject [test])")

from _biogeme_reference import fit_with_biogeme  # after importorskip: biogeme is there


def _assert_agree(ours_names, ours_est, ours_se, fit) -> None:  # type: ignore[no-untyped-def]
    for i, name in enumerate(ours_names):
        assert ours_est[i] == pytest.approx(fit.estimates[name], abs=1e-3), name
        assert ours_se[i] == pytest.approx(fit.robust_se[name], rel=0.01), name


@pytest.mark.slow  # importing biogeme and JAX compilation take ~15 s
@pytest.mark.parametrize("cluster", ["task", "respondent"])
def test_conditional_logit_agrees_with_biogeme(cluster: str, tmp_path: Path) -> None:
    data = synthetic_responses(barriers_design(), 150, TRUE_MNL, seed=11)
    panel = panel_from_data(data)
    ours = estimate_conditional_logit(panel, cluster=cluster)  # type: ignore[arg-type]
    fit = fit_with_biogeme(
        panel, ModelSpec(), workdir=tmp_path, cluster_by_respondent=cluster == "respondent"
    )
    _assert_agree(ours.parameter_names, ours.estimates, ours.robust_se, fit)
    assert ours.log_likelihood == pytest.approx(fit.log_likelihood, rel=1e-8)


@pytest.mark.slow  # ~40 s, mostly biogeme's JAX compilation
def test_panel_mixed_logit_agrees_with_biogeme_given_the_same_draws(tmp_path: Path) -> None:
    data = synthetic_responses(barriers_design(), 90, TRUE_MIXED, spec=MIXED_SPEC, seed=12)
    panel = panel_from_data(data)
    draws = halton_normal_draws(panel.n_respondents, 30, 2, seed=5)
    mnl = estimate_conditional_logit(panel)
    start = mixed_start_values(
        MIXED_SPEC,
        panel.coefficient_names,
        dict(zip(mnl.parameter_names, mnl.estimates, strict=True)),
    )
    ours = estimate_mixed_logit(panel, MIXED_SPEC, draws=draws, start=start)
    fit = fit_with_biogeme(panel, MIXED_SPEC, workdir=tmp_path, draws=draws, start=start)
    assert ours.log_likelihood == pytest.approx(fit.log_likelihood, rel=1e-6)
    _assert_agree(ours.parameter_names, ours.estimates, ours.robust_se, fit)
    # the random coefficients really are random in both
    assert abs(ours.estimate("data_sharing:firewall.sd")) > 0.2
    assert np.isfinite(fit.estimates["time_hours.log_sd"])
