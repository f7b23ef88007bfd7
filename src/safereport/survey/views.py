"""The analyst's pages: aggregates only."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from safereport.accounts import permissions
from safereport.accounts.access import StaffRequest, staff_page
from safereport.core.simulate.regimes import CHANNEL_LABELS, REGIME_SHORT_LABELS
from safereport.survey.models import SurveyDesign
from safereport.survey.selectors import (
    MIN_CELL,
    MIN_RESPONDENTS_FOR_ESTIMATES,
    access_survey_analysis,
)

FIGURE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


@staff_page(permissions.may_analyse)
def analysis(request: StaffRequest) -> HttpResponse:
    """The page; with ``?figure=png`` or ``?figure=svg``, the regime comparison plot
    as a file (one URL, so the page and its figure share one access rule)."""
    progress = access_survey_analysis(request.user)
    design = progress["design"]
    if "figure" in request.GET:
        return _figure(design, request.GET["figure"])
    # Imported here: the analysis needs SciPy and matplotlib, which a process
    # should not load to serve every other page (core/simulate/__init__.py).
    from safereport.survey.analysis import analysis_for, estimates_rows, trade_off_rows

    result = analysis_for(design)
    context = {
        **progress,
        "min_cell": MIN_CELL,
        "min_respondents": MIN_RESPONDENTS_FOR_ESTIMATES,
        "results": result.results,
        "failure": result.failure,
        "estimates": estimates_rows(result.results) if result.results else [],
        "trade_offs": trade_off_rows(result.results) if result.results else [],
        "simulation": result.simulation,
        "scenarios": [
            {
                "regime": REGIME_SHORT_LABELS[o.scenario.regime],
                "channel": CHANNEL_LABELS[o.scenario.channel],
                "outcome": o,
            }
            for o in result.simulation.outcomes
        ],
    }
    return render(request, "survey/analysis.html", context)


def _figure(design: SurveyDesign | None, fmt: str) -> HttpResponse:
    if fmt not in FIGURE_TYPES:
        raise Http404
    from safereport.survey.analysis import regime_plot

    response = HttpResponse(regime_plot(design, fmt), content_type=FIGURE_TYPES[fmt])
    if fmt == "svg":
        response["Content-Disposition"] = 'attachment; filename="regime_comparison.svg"'
    return response
