"""Simulator of reporting under the three data-sharing regimes.

Pure Python (NumPy/SciPy/matplotlib-Agg); no Django. Public API:

* :mod:`.regimes` — :class:`Regime`, :class:`Channel`, :class:`Scenario`,
  :func:`regime_scenarios`, :data:`DEFAULT_CONTEXT`, :class:`Population` in
  :class:`Stratum` groups, :func:`illustrative_population`;
* :mod:`.parameters` — :class:`ChoiceModel` (from estimates or
  :func:`illustrative_model`), :class:`ConversionRates`;
* :mod:`.engine` — :func:`simulate_reporting`, :class:`SimulationResult`,
  :class:`PopulationResult` (its docstring states exactly what is computed);
* :mod:`.reference` — the brute-force simulation of every person that the
  engine is checked against;
* :mod:`.plots` — :func:`write_regime_plots`;
* :mod:`.commands` — :func:`simulate_command`.
"""

from typing import TYPE_CHECKING

from safereport.core.lazy import lazy_exports
from safereport.core.simulate.regimes import (
    DEFAULT_CONTEXT,
    Channel,
    Population,
    Regime,
    Scenario,
    Stratum,
    illustrative_population,
    regime_scenarios,
)

# The engine, the plots and the commands need SciPy and matplotlib (about 1.4 s
# to import): they are imported when first used, so that a Django process
# whose URLs name the survey pages starts without them. Type checkers see
# them as ordinary imports.
if TYPE_CHECKING:
    from safereport.core.simulate.commands import simulate_command
    from safereport.core.simulate.engine import (
        Figure95,
        PopulationResult,
        RegimeOutcome,
        ScenarioOutcome,
        SimulationResult,
        simulate_reporting,
    )
    from safereport.core.simulate.parameters import (
        ILLUSTRATIVE_CONVERSION,
        ILLUSTRATIVE_NOTICE,
        ChoiceModel,
        ConversionRates,
        illustrative_model,
    )
    from safereport.core.simulate.plots import regime_comparison_figure, write_regime_plots

_LAZY = {
    "commands": ("simulate_command",),
    "engine": (
        "Figure95",
        "PopulationResult",
        "RegimeOutcome",
        "ScenarioOutcome",
        "SimulationResult",
        "simulate_reporting",
    ),
    "parameters": (
        "ILLUSTRATIVE_CONVERSION",
        "ILLUSTRATIVE_NOTICE",
        "ChoiceModel",
        "ConversionRates",
        "illustrative_model",
    ),
    "plots": (
        "regime_comparison_figure",
        "write_regime_plots",
    ),
}
__getattr__ = lazy_exports(__name__, globals(), _LAZY)


__all__ = [
    "DEFAULT_CONTEXT",
    "ILLUSTRATIVE_CONVERSION",
    "ILLUSTRATIVE_NOTICE",
    "Channel",
    "ChoiceModel",
    "ConversionRates",
    "Figure95",
    "Population",
    "PopulationResult",
    "Regime",
    "RegimeOutcome",
    "Scenario",
    "ScenarioOutcome",
    "SimulationResult",
    "Stratum",
    "illustrative_model",
    "illustrative_population",
    "regime_comparison_figure",
    "regime_scenarios",
    "simulate_command",
    "simulate_reporting",
    "write_regime_plots",
]
