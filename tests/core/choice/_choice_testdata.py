"""Shared test data for the choice tests: a design and true parameter values.

The values are chosen for the tests only (signs as the barriers research
suggests, magnitudes that give choice shares far from 0 and 1).
"""

from __future__ import annotations

import functools
import math

from safereport.core.choice import Design, Distribution, ModelSpec, generate_design

TRUE_MNL: dict[str, float] = {
    "data_sharing:protocol": 0.4,
    "data_sharing:firewall": 1.2,
    "channel:online": 0.1,
    "channel:support_org": 0.5,
    "interpreter:yes": 0.6,
    "specialist_worker:yes": 0.5,
    "believed:yes": 0.9,
    "time_hours": -0.15,
    "no_report": 0.3,
}

MIXED_SPEC = ModelSpec(
    {
        "data_sharing:firewall": Distribution.NORMAL,
        "time_hours": Distribution.NEGATIVE_LOGNORMAL,
    }
)

TRUE_MIXED: dict[str, float] = {
    **{k: v for k, v in TRUE_MNL.items() if k != "time_hours"},
    "data_sharing:firewall.sd": 0.8,
    "time_hours.log_mean": math.log(0.15),
    "time_hours.log_sd": 0.5,
}


@functools.cache
def barriers_design(seed: int = 3) -> Design:
    return generate_design(n_sets=24, n_blocks=3, seed=seed, starts=2)
