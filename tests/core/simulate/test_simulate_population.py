"""The population simulation against people simulated one by one.

The fast engine never enumerates people; these tests simulate every person
(own coefficients, own decision) with :mod:`safereport.core.simulate.reference`
and require agreement within the Monte Carlo error of that sample, and show
that the same comparison rejects fast paths with a known mistake in them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy import special

from safereport.core.choice import BARRIERS_EXPERIMENT, Distribution, ModelSpec
from safereport.core.simulate import (
    ChoiceModel,
    Population,
    PopulationResult,
    Regime,
    Stratum,
    illustrative_model,
    illustrative_population,
    regime_scenarios,
    simulate_reporting,
)
from safereport.core.simulate.engine import (
    CoefficientLayout,
    mixed_probabilities,
    mixing_normals,
    report_differences,
)
from safereport.core.simulate.reference import BruteForceCounts, simulate_people
from safereport.core.simulate.regimes import DEFAULT_CONTEXT, report_profile

FloatArray = NDArray[np.float64]
REGIMES = tuple(Regime)
TOLERANCE = 4.0  # standard errors
VALUES = {
    "data_sharing:protocol": 0.3,
    "data_sharing:firewall": 1.5,
    "data_sharing:firewall.sd": 2.0,
    "channel:online": -0.4,
    "channel:support_org": 0.9,
    "interpreter:yes": 0.6,
    "specialist_worker:yes": 0.7,
    "believed:yes": 1.0,
    "time_hours.log_mean": np.log(0.15),
    "time_hours.log_sd": 0.8,
    "no_report": 1.2,
}
SPEC = ModelSpec(
    {"data_sharing:firewall": Distribution.NORMAL, "time_hours": Distribution.NEGATIVE_LOGNORMAL}
)


def _model(scale: float) -> ChoiceModel:
    names = SPEC.parameter_names(BARRIERS_EXPERIMENT.coefficient_names)
    estimates = np.array([VALUES[n] for n in names])
    return ChoiceModel(
        experiment=BARRIERS_EXPERIMENT,
        spec=SPEC,
        parameter_names=names,
        estimates=estimates,
        covariance=np.diag((scale * np.abs(estimates)) ** 2),
        illustrative=False,
        source="test values",
    )


def _population(people: int) -> Population:
    # uneven sizes and very different reporting shares, so that weights matter
    return Population.from_shares(
        people,
        [
            ("station, alone, a day", 0.55, {"channel": "police_station", "time_hours": "8"}),
            ("online", 0.25, {"channel": "online", "time_hours": "1"}),
            (
                "support org, interpreter",
                0.15,
                {**DEFAULT_CONTEXT, "channel": "support_org", "specialist_worker": "yes"},
            ),
            ("believed", 0.05, {"believed": "yes", "interpreter": "yes", "time_hours": "2"}),
        ],
        illustrative=False,
        source="test strata",
    )


MODEL = _model(0.15)
POPULATION = _population(200_000)
POPULATION_DX = report_differences(
    MODEL,
    [report_profile(BARRIERS_EXPERIMENT, r, s.context) for r in REGIMES for s in POPULATION.strata],
)
"""x_report - x_none of every regime x stratum, regime-major like the engine."""


@pytest.fixture(scope="module")
def fast() -> PopulationResult:
    result = simulate_reporting(
        MODEL,
        [],
        population=POPULATION,
        n_parameter_draws=50,
        seed=3,  # and the default number of mixing points
    )
    assert result.population is not None
    return result.population


@pytest.fixture(scope="module")
def brute(fast: PopulationResult) -> list[BruteForceCounts]:
    """Every person of the population, under the first four parameter draws."""
    rng = np.random.default_rng(11)
    return [simulate_people(MODEL, POPULATION, REGIMES, fast.theta[d], rng) for d in range(4)]


def _z_scores(
    expected: FloatArray, brute: list[BruteForceCounts], extra_sd: FloatArray
) -> FloatArray:
    """(brute-force count - fast expected count) / standard error, per draw and regime;
    the standard error is the brute-force sample's own, with the engine's
    integration error added."""
    return np.stack(
        [(b.total - expected[d]) / np.sqrt(b.variance + extra_sd**2) for d, b in enumerate(brute)]
    )


def test_expected_reports_agree_with_people_simulated_one_by_one(
    fast: PopulationResult, brute: list[BruteForceCounts]
) -> None:
    z = _z_scores(fast.expected_draws, brute, fast.integration_sd)
    assert np.abs(z).max() < TOLERANCE, z
    pooled = z.sum() / np.sqrt(z.size)  # the 12 comparisons together
    assert abs(pooled) < TOLERANCE
    # each stratum on its own as well
    for d, b in enumerate(brute):
        share = b.reported / b.people
        se = np.sqrt(share * (1 - share) / b.people)
        assert (np.abs(share - fast.probability[d]) < TOLERANCE * se + 1e-4).all()
    # and the comparison has power: the brute-force error is small against the counts
    assert np.sqrt(brute[0].variance).max() < 0.005 * POPULATION.people


def _weights_dropped(fast: PopulationResult) -> FloatArray:
    n_strata = len(POPULATION.strata)
    equal: FloatArray = fast.probability.sum(axis=2) * (POPULATION.people / n_strata)
    return equal


def _one_stratum_left_out(fast: PopulationResult) -> FloatArray:
    sizes = np.array([s.people for s in POPULATION.strata], dtype=np.float64)
    sizes[-1] = 0.0  # the smallest stratum, 5% of the people
    left_out: FloatArray = fast.probability @ sizes
    return left_out


def _everybody_at_the_mean(fast: PopulationResult) -> FloatArray:
    layout = CoefficientLayout.of(MODEL)
    theta = fast.theta.copy()
    theta[:, layout.spread_pos] = 0.0  # no mixing: expit of the mean utility
    p = mixed_probabilities(MODEL, POPULATION_DX, theta, mixing_normals(64, 2, 0))
    sizes = np.array([s.people for s in POPULATION.strata], dtype=np.float64)
    at_mean: FloatArray = p.reshape(len(theta), len(REGIMES), -1) @ sizes
    return at_mean


@pytest.mark.parametrize("wrong", [_weights_dropped, _one_stratum_left_out, _everybody_at_the_mean])
def test_the_comparison_rejects_a_wrong_fast_path(
    fast: PopulationResult,
    brute: list[BruteForceCounts],
    wrong: Callable[[PopulationResult], FloatArray],
) -> None:
    z = _z_scores(wrong(fast), brute, fast.integration_sd)
    assert np.abs(z).max() > TOLERANCE


def test_realised_counts_spread_like_people_simulated_one_by_one() -> None:
    """With θ held (no parameter uncertainty) the realised counts are the
    population's chance alone: mean and variance must match brute-force
    replicates of the same population, and expected counts (no chance) must not."""
    model = replace(MODEL, covariance=np.zeros_like(MODEL.covariance))
    population = _population(3_000)
    result = simulate_reporting(
        model, [], population=population, n_parameter_draws=1000, n_population_draws=1024
    )
    assert result.population is not None
    fast_counts = result.population.reported_draws.astype(np.float64)  # (1000, regimes)
    rng = np.random.default_rng(17)
    brute_counts = np.stack(
        [
            simulate_people(model, population, REGIMES, model.estimates, rng).total
            for _ in range(300)
        ]
    ).astype(np.float64)
    n_f, n_b = len(fast_counts), len(brute_counts)
    mean_se = np.sqrt(
        fast_counts.var(axis=0, ddof=1) / n_f + brute_counts.var(axis=0, ddof=1) / n_b
    )
    assert (
        np.abs(fast_counts.mean(axis=0) - brute_counts.mean(axis=0)) < TOLERANCE * mean_se
    ).all()
    log_ratio_se = np.sqrt(2 / (n_f - 1) + 2 / (n_b - 1))  # normal theory; counts are near normal
    log_ratio = np.log(fast_counts.var(axis=0, ddof=1) / brute_counts.var(axis=0, ddof=1))
    assert (np.abs(log_ratio) < TOLERANCE * log_ratio_se).all(), log_ratio
    # a fast path that reported expected counts as if they were people would fail
    no_chance = result.population.expected_draws
    assert (no_chance.var(axis=0, ddof=1) < 0.01 * brute_counts.var(axis=0, ddof=1)).all()


def test_chunks_and_threads_do_not_change_a_number() -> None:
    dx = POPULATION_DX
    theta = np.random.default_rng(1).normal(MODEL.estimates, 0.1, (37, len(MODEL.estimates)))
    z = mixing_normals(256, 2, 4)
    one = mixed_probabilities(MODEL, dx, theta, z, chunk=37, workers=1)
    many = mixed_probabilities(MODEL, dx, theta, z, chunk=5, workers=2)
    np.testing.assert_array_equal(one, many)
    assert ((one > 0) & (one < 1)).all()


def test_a_conditional_logit_population_is_a_weighted_sum_of_logits() -> None:
    spec = ModelSpec()
    names = spec.parameter_names(BARRIERS_EXPERIMENT.coefficient_names)
    fixed = {**VALUES, "time_hours": -0.15}
    model = ChoiceModel(
        experiment=BARRIERS_EXPERIMENT,
        spec=spec,
        parameter_names=names,
        estimates=np.array([fixed[n] for n in names]),
        covariance=np.eye(len(names)) * 0.01,
        illustrative=False,
        source="test values",
    )
    population = _population(1_000)
    result = simulate_reporting(model, [], population=population, n_parameter_draws=20)
    assert result.population is not None
    for r, regime in enumerate(REGIMES):
        expected = 0.0
        for stratum in population.strata:
            x = BARRIERS_EXPERIMENT.code_profile(
                report_profile(BARRIERS_EXPERIMENT, regime, stratum.context)
            )
            expected += stratum.people / (1 + np.exp(-(x @ model.estimates - fixed["no_report"])))
        assert result.population.outcome(regime).expected.point == pytest.approx(
            expected, rel=1e-12
        )
        assert result.population.integration_sd[r] == 0.0  # nothing to integrate


def test_illustrative_population_result_says_what_it_is() -> None:
    population = illustrative_population(1_000_000)
    assert population.people == 1_000_000 and population.illustrative
    result = simulate_reporting(
        illustrative_model(), regime_scenarios(), population=population, n_parameter_draws=100
    )
    pop = result.population
    assert pop is not None
    fw, sq = pop.outcome(Regime.FIREWALL), pop.outcome(Regime.STATUS_QUO)
    assert fw.expected.point > sq.expected.point
    gain = pop.difference(Regime.FIREWALL, Regime.STATUS_QUO)
    assert gain.low < gain.point < gain.high and gain.low > 0
    # realised counts scatter around the expected ones by the individuals' chance
    sizes = np.array([s.people for s in population.strata], dtype=np.float64)
    chance_sd = np.sqrt((pop.probability * (1 - pop.probability)) @ sizes)  # (draws, regimes)
    standardised = (pop.reported_draws - pop.expected_draws) / chance_sd
    assert abs(standardised.mean()) < 4 / np.sqrt(standardised.size)
    assert 0.8 < standardised.std() < 1.2
    for o in pop.outcomes:
        assert o.unreported.point == pytest.approx(1_000_000 - o.expected.point)
        assert o.prosecutions.point == pytest.approx(0.07 * o.expected.point)
    assert (pop.integration_sd < 1e-3 * 1_000_000).all()
    text = result.table()
    assert "Population: 1,000,000 victims in 6 strata (ILLUSTRATIVE shares" in text
    assert f"firewall minus status_quo: {gain.point:+,.0f} expected reports" in text
    stored = result.to_dict()["population"]
    assert stored["people"] == 1_000_000 and stored["illustrative"] is True
    assert [r["regime"] for r in stored["regimes"]] == ["status_quo", "protocol", "firewall"]
    assert sum(s["people"] for s in stored["strata"]) == 1_000_000


def test_shares_become_whole_people_that_add_up() -> None:
    population = Population.from_shares(
        10, [("a", 1.0, {}), ("b", 1.0, {}), ("c", 1.0, {})], illustrative=False
    )
    assert [s.people for s in population.strata] == [4, 3, 3]
    assert population.people == 10


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Population(()), "at least one stratum"),
        (lambda: Population((Stratum("a", 1, {}), Stratum("a", 2, {}))), "names must differ"),
        (lambda: Population((Stratum("a", 0, {}),)), "at least one person"),
        (lambda: Stratum("a", -1, {}), "0 or more"),
        (lambda: Population.from_shares(0, [("a", 1.0, {})]), "at least one person"),
        (lambda: Population.from_shares(10**12 + 1, [("a", 1.0, {})]), "at most"),
        (lambda: Population.from_shares(5, [("a", -1.0, {})]), "shares"),
        (lambda: Population.from_shares(5, [("a", 0.0, {})]), "shares"),
    ],
)
def test_bad_populations_are_refused(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_an_unknown_level_in_a_stratum_is_refused() -> None:
    population = Population((Stratum("a", 5, {"channel": "carrier_pigeon"}),))
    with pytest.raises(Exception, match="carrier_pigeon"):
        simulate_reporting(illustrative_model(), [], population=population, n_parameter_draws=5)


def _direct(model: ChoiceModel, dx: FloatArray, theta: FloatArray, z: FloatArray) -> FloatArray:
    """The mean over the mixing points of expit(β·dx), with every coefficient drawn."""
    layout = CoefficientLayout.of(model)
    beta = layout.coefficients(theta, z, dx.shape[1])  # (D, M, K)
    direct: FloatArray = special.expit(beta @ dx.T).mean(axis=1)
    return direct


@pytest.mark.parametrize("extreme", [False, True])
def test_the_grouped_product_is_the_mean_of_the_logits(extreme: bool) -> None:
    """expit(r + a) as 1 / (1 + e^-r e^-a), grouped by random part, equals the
    plain average; also where the random and fixed parts are each near ±800 and
    their sum is moderate (the product would overflow: the engine must fall
    back to expit itself)."""
    dx = POPULATION_DX
    theta = np.random.default_rng(2).normal(MODEL.estimates, 0.1, (6, len(MODEL.estimates)))
    if extreme:
        names = MODEL.parameter_names
        theta[:, names.index("data_sharing:firewall")] += 800.0
        theta[:, names.index("no_report")] += 800.0
    z = mixing_normals(128, 2, 9)
    fast = mixed_probabilities(MODEL, dx, theta, z)
    np.testing.assert_allclose(fast, _direct(MODEL, dx, theta, z), rtol=1e-12, atol=1e-300)
    firewall = fast.reshape(len(theta), len(REGIMES), -1)[:, 2]
    assert ((firewall > 1e-3) & (firewall < 1 - 1e-3)).any()  # moderate where it matters
