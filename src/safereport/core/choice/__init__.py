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

from typing import TYPE_CHECKING

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
from safereport.core.choice.experiment import (
    BARRIERS_EXPERIMENT,
    NO_REPORT,
    Attribute,
    ChoiceExperiment,
    Coding,
    Level,
)
from safereport.core.lazy import lazy_exports

# The estimator and the commands need SciPy (about 0.8 s to import): they are
# imported when first used, not with the package, so that every Django process
# (the web workers, the job worker, each management command) starts without
# them. Type checkers see them as ordinary imports.
if TYPE_CHECKING:
    from safereport.core.choice.commands import (
        design_command,
        estimate,
        estimate_command,
        export_command,
        panel_from_data,
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


_LAZY = {
    "commands": (
        "design_command",
        "estimate",
        "estimate_command",
        "export_command",
        "panel_from_data",
    ),
    "estimation": (
        "Distribution",
        "EstimationResults",
        "ModelSpec",
        "Panel",
        "TradeOff",
        "estimate_conditional_logit",
        "estimate_mixed_logit",
        "halton_normal_draws",
    ),
}
__getattr__ = lazy_exports(__name__, globals(), _LAZY)


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
