"""Regimes and channels map to attribute levels of the barriers experiment."""

from __future__ import annotations

from safereport.core.choice import BARRIERS_EXPERIMENT
from safereport.core.simulate import DEFAULT_CONTEXT, Channel, Regime, Scenario, regime_scenarios
from safereport.core.simulate.regimes import REGIME_DATA_SHARING


def test_each_regime_is_a_data_sharing_level() -> None:
    assert REGIME_DATA_SHARING == {
        Regime.STATUS_QUO: "shared",
        Regime.PROTOCOL: "protocol",
        Regime.FIREWALL: "firewall",
    }
    levels = BARRIERS_EXPERIMENT.attribute("data_sharing").codes
    assert set(REGIME_DATA_SHARING.values()) == set(levels)


def test_each_channel_is_a_channel_level() -> None:
    assert {c.value for c in Channel} == set(BARRIERS_EXPERIMENT.attribute("channel").codes)


def test_scenario_profile_holds_the_context_and_sets_regime_and_channel() -> None:
    scenario = Scenario(Regime.PROTOCOL, Channel.SUPPORT_ORG)
    profile = scenario.profile(BARRIERS_EXPERIMENT)
    assert profile == {
        **DEFAULT_CONTEXT,
        "data_sharing": "protocol",
        "channel": "support_org",
    }
    BARRIERS_EXPERIMENT.code_profile(profile)  # a valid profile: raises otherwise


def test_context_may_be_changed_and_ignores_regime_keys() -> None:
    context = {"believed": "yes", "data_sharing": "firewall"}
    profile = Scenario(Regime.STATUS_QUO, Channel.ONLINE, context).profile(BARRIERS_EXPERIMENT)
    assert profile["believed"] == "yes"
    assert profile["data_sharing"] == "shared"  # the regime decides, not the context
    assert profile["interpreter"] == "no"  # reference level when the context is silent


def test_regime_scenarios_cover_every_regime_and_channel_once() -> None:
    scenarios = regime_scenarios()
    assert len(scenarios) == 9
    assert {(s.regime, s.channel) for s in scenarios} == {(r, c) for r in Regime for c in Channel}
    assert [s.regime for s in scenarios[:3]] == [Regime.STATUS_QUO] * 3
    assert scenarios[0].label == "Status quo / Police station"
