"""Differentially private counts (core.privacy): noise always, budget respected."""

from __future__ import annotations

import math
import statistics as stats

import pytest

from safereport.core import privacy


def test_the_mechanism_spends_exactly_the_epsilon_it_is_given():
    for epsilon in (0.1, 0.5, 1.0, 2.0):
        assert privacy.spent(epsilon) == pytest.approx(epsilon)


def test_every_released_count_carries_noise():
    # The noise cannot be seeded (OpenDP draws it from the system), so each
    # bound below is six standard deviations wide: a chance failure is about
    # one run in 500 million. Discrete Laplace with scale 1: P(noise = 0) =
    # tanh(1/2) ~ 0.46, variance 2e / (e - 1)^2 ~ 1.84, fourth moment ~ 22.2.
    n = 4000
    true = [50] * n
    noisy = privacy.noisy_counts(true, 1.0)
    assert len(noisy) == len(true)
    p_zero = math.tanh(0.5)
    changed = sum(1 for t, n_ in zip(true, noisy, strict=True) if t != n_)
    assert abs(changed - n * (1 - p_zero)) < 6 * math.sqrt(n * p_zero * (1 - p_zero))
    deviations = [n_ - t for t, n_ in zip(true, noisy, strict=True)]
    variance = 2 * math.e / (math.e - 1) ** 2
    assert abs(stats.mean(deviations)) < 6 * math.sqrt(variance / n)  # centred on the truth
    fourth = sum(k**4 * _discrete_laplace_mass(k) for k in range(-60, 61))
    spread = math.sqrt((fourth - variance**2) / n)
    assert abs(stats.pvariance(deviations) - variance) < 6 * spread


def _discrete_laplace_mass(k: int, scale: float = 1.0) -> float:
    """P(noise = k) for the discrete Laplace of this scale."""
    q = math.exp(-1 / scale)
    return (1 - q) / (1 + q) * q ** abs(k)


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
