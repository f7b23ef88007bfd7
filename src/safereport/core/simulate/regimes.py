"""The three data-sharing regimes and the reporting channels, as attribute levels.

A simulated *scenario* is one way of reporting offered to a victim, who may
take it or not report. It is a regime (which fixes ``data_sharing``), a
channel (which fixes ``channel``) and a *context*: the levels of the other
attributes (interpreter, specialist worker, being believed, time), held the
same across regimes so that the comparison isolates data sharing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from safereport.core.choice.experiment import ChoiceExperiment
from safereport.core.i18n import gettext_noop as _


class Regime(StrEnum):
    STATUS_QUO = "status_quo"
    PROTOCOL = "protocol"
    FIREWALL = "firewall"


REGIME_LABELS: dict[Regime, str] = {
    Regime.STATUS_QUO: _("Status quo: shared with immigration enforcement"),
    Regime.PROTOCOL: _("Home Office protocol: shared, no enforcement while the case is open"),
    Regime.FIREWALL: _("Complete firewall: never shared"),
}

REGIME_SHORT_LABELS: dict[Regime, str] = {
    Regime.STATUS_QUO: _("Status quo"),
    Regime.PROTOCOL: _("Protocol"),
    Regime.FIREWALL: _("Firewall"),
}

REGIME_DATA_SHARING: dict[Regime, str] = {
    Regime.STATUS_QUO: "shared",
    Regime.PROTOCOL: "protocol",
    Regime.FIREWALL: "firewall",
}
"""Level of the ``data_sharing`` attribute under each regime."""


class Channel(StrEnum):
    POLICE_STATION = "police_station"
    ONLINE = "online"
    SUPPORT_ORG = "support_org"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.POLICE_STATION: _("Police station"),
    Channel.ONLINE: _("Online"),
    Channel.SUPPORT_ORG: _("Through a support organisation"),
}

DEFAULT_CONTEXT: dict[str, str] = {
    "interpreter": "yes",
    "specialist_worker": "no",
    "believed": "not_sure",
    "time_hours": "2",
}
"""Levels of the other attributes, held constant across regimes by default:
an interpreter is available, no specialist worker, no assurance of being
believed, two hours. Pass another context to ask a different question."""


@dataclass(frozen=True)
class Scenario:
    regime: Regime
    channel: Channel
    context: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_CONTEXT))

    @property
    def label(self) -> str:
        return f"{REGIME_SHORT_LABELS[self.regime]} / {CHANNEL_LABELS[self.channel]}"

    def profile(self, experiment: ChoiceExperiment) -> dict[str, str]:
        """The report option as ``{attribute: level code}``."""
        profile = {
            a.name: a.codes[0] for a in experiment.attributes
        }  # reference levels for anything the context leaves out
        profile.update({k: v for k, v in self.context.items() if k in profile})
        profile["data_sharing"] = REGIME_DATA_SHARING[self.regime]
        profile["channel"] = self.channel.value
        return profile


def regime_scenarios(
    context: Mapping[str, str] | None = None,
    channels: tuple[Channel, ...] = tuple(Channel),
) -> list[Scenario]:
    """Every regime x channel, in a fixed order (regime-major)."""
    ctx = dict(DEFAULT_CONTEXT if context is None else context)
    return [Scenario(r, c, ctx) for r in Regime for c in channels]
