"""The three data-sharing regimes, the reporting channels, and the population.

A simulated *scenario* is one way of reporting offered to a victim, who may
take it or not report. It is a regime (which fixes ``data_sharing``), a
channel (which fixes ``channel``) and a *context*: the levels of the other
attributes (interpreter, specialist worker, being believed, time), held the
same across regimes so that the comparison isolates data sharing.

A :class:`Population` is a number of victims split into :class:`Stratum`
groups. Everybody in a stratum faces the same way of reporting (its context:
channel, interpreter, ...); only the regime changes between the simulated
worlds. The strata's sizes are the population weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
        return report_profile(
            experiment, self.regime, {**self.context, "channel": self.channel.value}
        )


def report_profile(
    experiment: ChoiceExperiment, regime: Regime, context: Mapping[str, str]
) -> dict[str, str]:
    """The report option under ``regime`` as ``{attribute: level code}``: the
    context's levels, the reference level of anything it leaves out, and the
    regime's ``data_sharing`` level whatever the context says."""
    profile = {a.name: a.codes[0] for a in experiment.attributes}
    profile.update({k: v for k, v in context.items() if k in profile})
    profile["data_sharing"] = REGIME_DATA_SHARING[regime]
    return profile


def regime_scenarios(
    context: Mapping[str, str] | None = None,
    channels: tuple[Channel, ...] = tuple(Channel),
) -> list[Scenario]:
    """Every regime x channel, in a fixed order (regime-major)."""
    ctx = dict(DEFAULT_CONTEXT if context is None else context)
    return [Scenario(r, c, ctx) for r in Regime for c in channels]


MAX_PEOPLE = 10**12
"""More than the world's population; keeps binomial draws within int64."""


@dataclass(frozen=True)
class Stratum:
    """``people`` victims who all face the report option described by ``context``
    (levels of the experiment's attributes other than ``data_sharing``)."""

    name: str
    people: int
    context: Mapping[str, str]

    def __post_init__(self) -> None:
        if self.people < 0:
            raise ValueError(f"stratum {self.name!r}: a number of people is 0 or more")


@dataclass(frozen=True)
class Population:
    """Victims in strata; ``illustrative`` says whether the shares are placeholders."""

    strata: tuple[Stratum, ...]
    illustrative: bool = True
    source: str = ""

    def __post_init__(self) -> None:
        if not self.strata:
            raise ValueError("a population needs at least one stratum")
        if len({s.name for s in self.strata}) != len(self.strata):
            raise ValueError("stratum names must differ")
        if self.people < 1:
            raise ValueError("a population needs at least one person")
        if self.people > MAX_PEOPLE:
            raise ValueError(f"a population has at most {MAX_PEOPLE:,} people")

    @property
    def people(self) -> int:
        return sum(s.people for s in self.strata)

    @classmethod
    def from_shares(
        cls,
        people: int,
        shares: Sequence[tuple[str, float, Mapping[str, str]]],
        *,
        illustrative: bool = True,
        source: str = "",
    ) -> Population:
        """Split ``people`` by ``(name, share, context)``: whole people per stratum
        (largest remainders), summing exactly to ``people``."""
        if people < 1:
            raise ValueError("a population needs at least one person")
        weights = [float(w) for _, w, _ in shares]
        if not weights or min(weights) < 0 or sum(weights) <= 0:
            raise ValueError("shares must be 0 or more and not all 0")
        exact = [people * w / sum(weights) for w in weights]
        counts = [int(e) for e in exact]
        by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)
        for i in by_remainder[: people - sum(counts)]:
            counts[i] += 1
        strata = tuple(
            Stratum(name, n, dict(context))
            for (name, _, context), n in zip(shares, counts, strict=True)
        )
        return cls(strata, illustrative=illustrative, source=source)


ILLUSTRATIVE_POPULATION_NOTICE = _(
    "ILLUSTRATIVE POPULATION - NOT MEASURED. The strata and their shares were chosen by hand "
    "to show how the simulator works; replace them with local figures (who reports where, "
    "with which support) before drawing any conclusion."
)

ILLUSTRATIVE_SHARES: tuple[tuple[str, float, dict[str, str]], ...] = tuple(
    (
        f"{channel.value}/interpreter:{interpreter}",
        channel_share * interpreter_share,
        {**DEFAULT_CONTEXT, "channel": channel.value, "interpreter": interpreter},
    )
    for channel, channel_share in (
        (Channel.POLICE_STATION, 0.5),
        (Channel.ONLINE, 0.2),
        (Channel.SUPPORT_ORG, 0.3),
    )
    for interpreter, interpreter_share in (("yes", 0.4), ("no", 0.6))
)
"""Hand-picked: half would go to a police station, a fifth online, the rest
through a support organisation; an interpreter is there for 40%. Not measured."""


def illustrative_population(people: int = 1_000_000) -> Population:
    """``people`` victims in the hand-picked illustrative strata."""
    return Population.from_shares(
        people, ILLUSTRATIVE_SHARES, illustrative=True, source=ILLUSTRATIVE_POPULATION_NOTICE
    )
