"""The estimates as a plot (matplotlib, Agg, no pyplot state): one row per
parameter, the point and its 95% interval from the robust standard errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from safereport.core.choice import EstimationResults
from safereport.core.simulate.plots import save_png_and_svg

Z95 = 1.959963984540054


def estimates_figure(results: EstimationResults) -> Figure:
    names = list(results.parameter_names)
    values = results.estimates
    half = Z95 * results.robust_se
    figure = Figure(figsize=(8, 0.45 * len(names) + 1.6), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    y = np.arange(len(names))[::-1]
    ax.errorbar(values, y, xerr=half, fmt="o", color="#2166ac", capsize=3)
    ax.axvline(0.0, color="#555555", linewidth=1)
    ax.set_yticks(y, names)
    ax.set_xlabel("estimate (utility), 95% interval from robust standard errors")
    ax.grid(axis="x", alpha=0.3)
    figure.suptitle(
        f"{results.model}: {results.n_respondents} respondents, {results.n_tasks} tasks"
    )
    return figure


def write_estimates_plots(
    results: EstimationResults, folder: Path, stem: str = "estimates"
) -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg`` into ``folder`` (created if needed)."""
    return save_png_and_svg(estimates_figure(results), folder, stem)
