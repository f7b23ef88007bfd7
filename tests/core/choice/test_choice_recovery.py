"""Parameter recovery: simulate answers from known values, estimate, find them again.

Tolerance: under a correctly specified model the standardised error
``(estimate - truth) / robust s.e.`` is approximately standard normal, so
each parameter must lie within 3 robust standard errors of the truth (a
0.27% false-alarm rate per parameter), and jointly the Wald statistic
``d' V^-1 d`` must stay below the 99.9% quantile of chi-squared with K
degrees of freedom. Seeds are fixed, so the test is deterministic. The
sample is large enough that the check has teeth: the standard errors of the
main coefficients are asserted to be small compared with the values.
"""

from __future__ import annotations

import numpy as np
from _choice_testdata import MIXED_SPEC, TRUE_MIXED, TRUE_MNL, barriers_design
from scipy import stats

from safereport.core.choice import EstimationResults, estimate
from safereport.core.choice.synthetic import synthetic_responses


def _check_recovery(results: EstimationResults, truth: dict[str, float]) -> None:
    assert results.converged, results.message
    true = np.array([truth[n] for n in results.parameter_names])
    diff = results.estimates - true
    z = diff / results.robust_se
    assert np.all(np.abs(z) < 3.0), dict(zip(results.parameter_names, z.round(2), strict=True))
    wald = float(diff @ np.linalg.solve(results.robust_covariance, diff))
    assert wald < stats.chi2.ppf(0.999, df=len(true))
    firewall = results.parameter_names.index("data_sharing:firewall")
    assert results.robust_se[firewall] < 0.15  # precise enough for the check to mean something


def test_conditional_logit_recovers_the_true_values() -> None:
    data = synthetic_responses(barriers_design(), 800, TRUE_MNL, seed=21)
    _check_recovery(estimate(data), TRUE_MNL)


def test_panel_mixed_logit_recovers_normal_and_lognormal_parameters() -> None:
    data = synthetic_responses(barriers_design(), 700, TRUE_MIXED, spec=MIXED_SPEC, seed=22)
    results = estimate(data, MIXED_SPEC, n_draws=200, seed=1)
    _check_recovery(results, TRUE_MIXED)
    sd = results.parameter_names.index("data_sharing:firewall.sd")
    assert results.robust_se[sd] < 0.15
