"""Barriers-to-reporting choice experiment: design, data formats and estimation.

Pure Python (NumPy/SciPy); no Django. The public API:

* :mod:`.experiment` — :data:`BARRIERS_EXPERIMENT`, :class:`ChoiceExperiment`,
  :class:`Attribute`, :class:`Level`, :class:`Coding`;
* :mod:`.design` — :func:`generate_design`, :class:`Design`, :func:`d_error`;
* :mod:`.data` — :class:`ChoiceData`, long/wide CSV readers and writers;
* :mod:`.estimation` — :class:`ModelSpec`, :class:`Distribution`,
  :class:`EstimationResults`, the conditional and panel mixed logit;
* :mod:`.commands` — the functions the management commands call;
* :mod:`.synthetic` — simulated answers for tests and demos.
"""

from safereport.core.choice.commands import (
    design_command,
    estimate,
    estimate_command,
    export_command,
    panel_from_data,
)
from safereport.core.choice.data import (
    ChoiceData,
    read_csv,
    read_long_csv,
    read_wide_csv,
    write_long_csv,
    write_wide_csv,
)
from safereport.core.choice.design import Design, d_error, generate_design
from safereport.core.choice.errors import (
    ChoiceError,
    DataFormatError,
    DesignError,
    EstimationError,
    ExperimentError,
)
from safereport.core.choice.estimation import (
    Distribution,
    EstimationResults,
    ModelSpec,
    Panel,
    TradeOff,
    estimate_conditional_logit,
    estimate_mixed_logit,
    halton_normal_draws,
)
from safereport.core.choice.experiment import (
    BARRIERS_EXPERIMENT,
    NO_REPORT,
    Attribute,
    ChoiceExperiment,
    Coding,
    Level,
)

__all__ = [
    "BARRIERS_EXPERIMENT",
    "NO_REPORT",
    "Attribute",
    "ChoiceData",
    "ChoiceError",
    "ChoiceExperiment",
    "Coding",
    "DataFormatError",
    "Design",
    "DesignError",
    "Distribution",
    "EstimationError",
    "EstimationResults",
    "ExperimentError",
    "Level",
    "ModelSpec",
    "Panel",
    "TradeOff",
    "d_error",
    "design_command",
    "estimate",
    "estimate_command",
    "estimate_conditional_logit",
    "estimate_mixed_logit",
    "export_command",
    "generate_design",
    "halton_normal_draws",
    "panel_from_data",
    "read_csv",
    "read_long_csv",
    "read_wide_csv",
    "write_long_csv",
    "write_wide_csv",
]
