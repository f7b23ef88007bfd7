"""Estimates and the regime comparison for the analyst page, from stored answers.

A conditional logit on the completed responses (fast: milliseconds for
thousands of tasks) once there are at least
``MIN_RESPONDENTS_FOR_ESTIMATES``; otherwise nothing is estimated and the
simulation runs on the core's clearly labelled illustrative parameters.
Results are cached per design and number of stored answers, so a page load
recomputes only when answers arrive.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from safereport.core.choice import EstimationError, EstimationResults, estimate
from safereport.core.choice.commands import default_trade_offs
from safereport.core.simulate import (
    ChoiceModel,
    SimulationResult,
    illustrative_model,
    regime_comparison_figure,
    regime_scenarios,
    simulate_reporting,
)
from safereport.survey.models import SurveyAnswer, SurveyDesign
from safereport.survey.selectors import MIN_RESPONDENTS_FOR_ESTIMATES, choice_data

PARAMETER_DRAWS = 1000
POPULATION_DRAWS = 500


@dataclass(frozen=True)
class Analysis:
    results: EstimationResults | None
    failure: str  # why there are no estimates although there were enough responses
    simulation: SimulationResult


def _cache_key(design: SurveyDesign | None, kind: str) -> str:
    if design is None:
        return f"survey-analysis:none:{kind}"
    answers = SurveyAnswer.objects.filter(response__design=design).count()
    return f"survey-analysis:{design.pk}:{answers}:{kind}"


def _compute(design: SurveyDesign | None) -> Analysis:
    results: EstimationResults | None = None
    failure = ""
    if design is not None and design.responses.filter(completed=True).count() >= (
        MIN_RESPONDENTS_FOR_ESTIMATES
    ):
        data = choice_data(design, completed_only=True)
        if data is not None:
            try:
                results = estimate(data)
            except EstimationError as exc:
                failure = str(exc)
    model = ChoiceModel.from_results(results) if results is not None else illustrative_model()
    simulation = simulate_reporting(
        model,
        regime_scenarios(),
        n_parameter_draws=PARAMETER_DRAWS,
        n_population_draws=POPULATION_DRAWS,
        seed=0,
    )
    return Analysis(results=results, failure=failure, simulation=simulation)


def analysis_for(design: SurveyDesign | None) -> Analysis:
    key = _cache_key(design, "analysis")
    found = cache.get(key)
    if isinstance(found, Analysis):
        return found
    analysis = _compute(design)
    cache.set(key, analysis, 600)
    return analysis


def regime_plot(design: SurveyDesign | None, fmt: str) -> bytes:
    """The regime comparison figure as PNG or SVG bytes."""
    if fmt not in ("png", "svg"):
        raise ValueError("fmt must be png or svg")
    key = _cache_key(design, f"plot-{fmt}")
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    figure = regime_comparison_figure(analysis_for(design).simulation)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=110, metadata={"Date": None} if fmt == "svg" else None)
    data = buffer.getvalue()
    cache.set(key, data, 600)
    return data


def coefficient_label(name: str, experiment: Any) -> str:
    """Plain words for a coefficient name such as ``data_sharing:firewall``."""
    base, _sep, suffix = name.partition(".")
    if base == "no_report":
        text = _("Not reporting (constant)")
    elif ":" in base:
        attribute_name, level_code = base.split(":", 1)
        attribute = experiment.attribute(attribute_name)
        level = attribute.levels[attribute.index(level_code)]
        text = f"{_(attribute.label)}: {_(level.label)}"
    else:
        attribute = experiment.attribute(base)
        text = _("%(attribute)s (per hour)") % {"attribute": _(attribute.label)}
    if suffix == "sd":
        text += " " + _("(standard deviation)")
    return text


def estimates_rows(results: EstimationResults) -> list[dict[str, Any]]:
    from safereport.core.choice import ChoiceExperiment

    experiment = ChoiceExperiment.from_dict(results.experiment or {})
    rows = []
    for name, value, se in zip(
        results.parameter_names, results.estimates, results.robust_se, strict=True
    ):
        rows.append(
            {
                "name": name,
                "label": coefficient_label(name, experiment),
                "estimate": float(value),
                "se": float(se),
                "low": float(value - 1.959963984540054 * se),
                "high": float(value + 1.959963984540054 * se),
            }
        )
    return rows


def trade_off_rows(results: EstimationResults) -> list[dict[str, Any]]:
    from safereport.core.choice import ChoiceExperiment

    experiment = ChoiceExperiment.from_dict(results.experiment or {})
    rows = []
    for numerator, denominator in default_trade_offs(results):
        if numerator == "no_report":
            continue
        try:
            trade = results.trade_off(numerator, denominator)
        except EstimationError:
            continue
        low, high = trade.interval
        rows.append(
            {
                "label": coefficient_label(numerator, experiment),
                "value": trade.value,
                "low": low,
                "high": high,
            }
        )
    return rows
