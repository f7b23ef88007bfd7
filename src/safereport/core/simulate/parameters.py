"""The parameters a simulation runs on: estimated, or clearly illustrative.

ILLUSTRATIVE PARAMETERS ARE NOT ESTIMATES. Until survey data exist, the
simulator runs on :func:`illustrative_model`. Its numbers were chosen by the
SafeReport engineers, not estimated from any data, to encode only the
*direction* of the evidence in the project's seed documents and the sources
they cite (the 2020 HMICFRS/IOPC/College of Policing super-complaint report
"Safe to share?"; FRA 2019, where migrant workers rank insecure status as the
main reason for not reporting; LAWRS, Kalayaan and FLEX evidence that data
sharing deters reporting and that the protocol does little to reassure):
sharing with immigration enforcement deters reporting, the protocol
reassures a little, a firewall a lot, and specialist support, interpreters
and being believed help. The magnitudes are round numbers picked so that the
plots are readable; the standard errors are set to a quarter of each value
only so that the interval machinery has something to show. Nothing about
real reporting rates may be concluded from them.

The prosecution conversion rate is illustrative in the same sense.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from safereport.core.choice.errors import EstimationError
from safereport.core.choice.estimation import Distribution, EstimationResults, ModelSpec
from safereport.core.choice.experiment import BARRIERS_EXPERIMENT, ChoiceExperiment
from safereport.core.i18n import gettext_noop as _

ILLUSTRATIVE_NOTICE = _(
    "ILLUSTRATIVE PARAMETERS - NOT ESTIMATES. These numbers were chosen by hand to show "
    "how the simulator works; they are not measured from any survey."
)


@dataclass(frozen=True)
class ChoiceModel:
    """A utility model with a sampling distribution for its parameters."""

    experiment: ChoiceExperiment
    spec: ModelSpec
    parameter_names: tuple[str, ...]
    estimates: NDArray[np.float64]
    covariance: NDArray[np.float64]
    illustrative: bool
    source: str

    def __post_init__(self) -> None:
        expected = self.spec.parameter_names(self.experiment.coefficient_names)
        if tuple(self.parameter_names) != expected:
            raise EstimationError("parameters do not match the experiment and model")
        k = len(expected)
        if self.estimates.shape != (k,) or self.covariance.shape != (k, k):
            raise EstimationError("estimates and covariance have the wrong shape")

    @classmethod
    def from_results(
        cls, results: EstimationResults, experiment: ChoiceExperiment | None = None
    ) -> ChoiceModel:
        """From estimates; the sampling covariance is the robust one."""
        if experiment is None:
            if results.experiment is None:
                raise EstimationError("results carry no experiment; pass one")
            experiment = ChoiceExperiment.from_dict(results.experiment)
        return cls(
            experiment=experiment,
            spec=results.spec,
            parameter_names=results.parameter_names,
            estimates=results.estimates,
            covariance=results.robust_covariance,
            illustrative=False,
            source=(
                f"{results.model} estimated on {results.n_respondents} respondents "
                f"({results.n_tasks} tasks)"
            ),
        )


ILLUSTRATIVE_VALUES: dict[str, float] = {
    "data_sharing:protocol": 0.3,
    "data_sharing:firewall": 1.2,
    "data_sharing:firewall.sd": 0.8,
    "channel:online": 0.1,
    "channel:support_org": 0.5,
    "interpreter:yes": 0.5,
    "specialist_worker:yes": 0.6,
    "believed:yes": 0.8,
    "time_hours": -0.08,
    "no_report": 1.0,
}
"""Hand-picked, see the module docstring. Not estimates."""

ILLUSTRATIVE_SPEC = ModelSpec({"data_sharing:firewall": Distribution.NORMAL})


def illustrative_model(values: Mapping[str, float] | None = None) -> ChoiceModel:
    """The clearly labelled illustrative model used when no survey data exist."""
    values = dict(ILLUSTRATIVE_VALUES if values is None else values)
    names = ILLUSTRATIVE_SPEC.parameter_names(BARRIERS_EXPERIMENT.coefficient_names)
    estimates = np.asarray([values[n] for n in names], dtype=np.float64)
    covariance = np.diag((0.25 * np.abs(estimates)) ** 2)
    return ChoiceModel(
        experiment=BARRIERS_EXPERIMENT,
        spec=ILLUSTRATIVE_SPEC,
        parameter_names=names,
        estimates=estimates,
        covariance=covariance,
        illustrative=True,
        source=ILLUSTRATIVE_NOTICE,
    )


@dataclass(frozen=True)
class ConversionRates:
    """From a reported crime to a prosecution. ``illustrative`` says whether the
    rate is a placeholder; replace it with current published outcome figures
    (Home Office "Crime outcomes in England and Wales" tables) for the crime
    type and area before drawing any conclusion."""

    prosecution_per_report: float
    illustrative: bool = True
    source: str = _(
        "Illustrative placeholder chosen by hand, not a measured rate. Replace it with current "
        "published figures (ONS 'Domestic abuse in England and Wales', Home Office 'Crime "
        "outcomes in England and Wales') for the crime type and area."
    )

    def __post_init__(self) -> None:
        if not 0.0 <= self.prosecution_per_report <= 1.0:
            raise ValueError("a conversion rate lies between 0 and 1")


ILLUSTRATIVE_CONVERSION = ConversionRates(prosecution_per_report=0.07)
