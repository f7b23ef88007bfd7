"""Regime-comparison plots (matplotlib, Agg, no pyplot state), PNG and SVG."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from safereport.core.simulate.engine import Figure95, SimulationResult
from safereport.core.simulate.regimes import CHANNEL_LABELS, REGIME_SHORT_LABELS, Channel, Regime

REGIME_COLOURS = {
    Regime.STATUS_QUO: "#b2182b",
    Regime.PROTOCOL: "#ef8a62",
    Regime.FIREWALL: "#2166ac",
}


def _panel(ax: object, result: SimulationResult, measure: str, ylabel: str) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)  # noqa: S101 - narrows the type for mypy
    channels = [c for c in Channel if any(o.scenario.channel is c for o in result.outcomes)]
    regimes = [r for r in Regime if any(o.scenario.regime is r for o in result.outcomes)]
    width = 0.8 / max(len(regimes), 1)
    positions = np.arange(len(channels))
    for i, regime in enumerate(regimes):
        heights, lows, highs, xs = [], [], [], []
        for j, channel in enumerate(channels):
            match = [
                o
                for o in result.outcomes
                if o.scenario.regime is regime and o.scenario.channel is channel
            ]
            if not match:
                continue
            figure: Figure95 = getattr(match[0], measure)
            xs.append(positions[j] + (i - (len(regimes) - 1) / 2) * width)
            heights.append(figure.point)
            lows.append(figure.point - figure.low)
            highs.append(figure.high - figure.point)
        ax.bar(
            xs,
            heights,
            width=width * 0.95,
            color=REGIME_COLOURS[regime],
            label=REGIME_SHORT_LABELS[regime],
            yerr=[lows, highs],
            capsize=3,
            error_kw={"elinewidth": 1},
        )
    ax.set_xticks(positions, [textwrap.fill(CHANNEL_LABELS[c], 18) for c in channels])
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)


def regime_comparison_figure(result: SimulationResult) -> Figure:
    figure = Figure(figsize=(11, 4.5), layout="constrained")
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2)
    _panel(left, result, "reported", f"Reported incidents per {result.victims:,} victims")
    _panel(
        right,
        result,
        "prosecutions",
        f"Projected prosecutions per {result.victims:,} victims",
    )
    left.legend(loc="upper left", fontsize="small")
    title = "Reporting under each data-sharing regime (95% intervals)"
    if result.illustrative:
        title = "ILLUSTRATIVE PARAMETERS - NOT ESTIMATES\n" + title
    elif result.conversion.illustrative:
        title += "\n(prosecutions use an illustrative conversion rate)"
    figure.suptitle(title, color="#b2182b" if result.illustrative else "black")
    return figure


def write_regime_plots(
    result: SimulationResult, folder: Path, stem: str = "regime_comparison"
) -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg`` into ``folder`` (created if needed)."""
    return save_png_and_svg(regime_comparison_figure(result), folder, stem)


def save_png_and_svg(figure: Figure, folder: Path, stem: str) -> list[Path]:
    """Write ``figure`` as ``<stem>.png`` and ``<stem>.svg`` into ``folder``
    (created if needed); return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.png", folder / f"{stem}.svg"]
    figure.savefig(paths[0], dpi=150)
    figure.savefig(paths[1])
    return paths
