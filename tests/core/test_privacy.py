"""Differentially private counts (core.privacy): noise always, budget respected."""

from __future__ import annotations

import statistics as stats

import pytest

from safereport.core import privacy


def test_the_mechanism_spends_exactly_the_epsilon_it_is_given():
    for epsilon in (0.1, 0.5, 1.0, 2.0):
        assert privacy.spent(epsilon) == pytest.approx(epsilon)


def test_every_released_count_carries_noise():
    true = [50] * 400
    noisy = privacy.noisy_counts(true, 1.0)
    assert len(noisy) == len(true)
    changed = sum(1 for t, n in zip(true, noisy, strict=True) if t != n)
    # Discrete Laplace with scale 1: P(noise = 0) = tanh(1/2) ~ 0.46; 400 draws.
    assert 150 <= changed <= 290
    deviations = [n - t for t, n in zip(true, noisy, strict=True)]
    assert abs(stats.mean(deviations)) < 0.4  # centred on the truth
    # Variance of the discrete Laplace with scale 1: 2 e / (e - 1)^2 ~ 1.84.
    assert 1.2 < stats.pvariance(deviations) < 2.6


def test_smaller_epsilon_means_more_noise():
    true = [100] * 400
    wide = privacy.noisy_counts(true, 0.1)
    narrow = privacy.noisy_counts(true, 2.0)
    assert stats.pstdev(wide) > 3 * stats.pstdev(narrow)


def test_counts_are_checked_and_never_negative():
    with pytest.raises(ValueError, match="non-negative"):
        privacy.noisy_counts([1, -1], 1.0)
    with pytest.raises(ValueError, match="epsilon"):
        privacy.noisy_counts([1], 0.0)
    assert min(privacy.noisy_counts([0] * 200, 1.0)) == 0
