"""Differentially private counts through OpenDP (no Django here).

One release is a vector of counts (one cell per category for one month);
adding or removing one unit (one report, or one log entry) changes one cell
by one, so the vector's L1 sensitivity is 1. OpenDP's Laplace mechanism on
integers (the discrete Laplace, or two-sided geometric, distribution) with
scale ``1 / epsilon`` then gives ``epsilon``-differential privacy for the
whole vector; the measurement's own privacy map is checked against the
budget before anything is drawn. Negative results are shown as 0, which is
post-processing and costs no privacy.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

SENSITIVITY = 1  # one unit changes one count by one


class BudgetExceeded(Exception):
    """The mechanism would spend more than the epsilon it was given."""


@functools.cache
def _opendp() -> Any:
    """OpenDP, imported when first needed (it is not small; most requests never count)."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return dp


def laplace_measurement(epsilon: float) -> Any:
    if not epsilon > 0:
        raise ValueError("epsilon must be positive")
    dp = _opendp()
    return dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=SENSITIVITY / epsilon
    )


def spent(epsilon: float) -> float:
    """The epsilon OpenDP's privacy map says one release of the measurement spends."""
    return float(laplace_measurement(epsilon).map(SENSITIVITY))


def noisy_counts(counts: Sequence[int], epsilon: float) -> list[int]:
    """Release ``counts`` with ``epsilon``-DP; every value returned carries noise."""
    if any(type(c) is not int or c < 0 for c in counts):
        raise ValueError("counts are non-negative integers")
    measurement = laplace_measurement(epsilon)
    if measurement.map(SENSITIVITY) > epsilon * (1 + 1e-9):
        raise BudgetExceeded(f"the mechanism spends more than epsilon={epsilon}")
    if not counts:
        return []
    return [max(0, int(value)) for value in measurement(list(counts))]
