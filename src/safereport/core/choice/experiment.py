"""What a "would you report?" choice task shows, and how it becomes numbers.

A choice experiment (a discrete choice experiment, DCE) shows each
respondent a few *tasks*. Every task offers two ways of reporting a crime
("Option A", "Option B"), each described by the same *attributes* at varying
*levels*, plus an opt-out, "I would not report". The respondent picks one.

The default experiment, :data:`BARRIERS_EXPERIMENT`, follows the barriers that
the research and the support organisations name (see ``/work/shared/seeds``
and the HMICFRS/IOPC/College of Policing "Safe to share?" super-complaint
report, 2020; FRA 2019 on migrant workers; LAWRS and Kalayaan evidence):

* ``data_sharing`` — what the police do with your details: shared with
  immigration enforcement (the status quo), shared but no enforcement while
  the case is open (the Home Office "protocol"), never shared (a firewall);
* ``channel`` — where you report: a police station, online, or through a
  support organisation that reports on your behalf;
* ``interpreter`` — an interpreter in your language is available or not;
* ``specialist_worker`` — a specialist "by and for" support worker is with you;
* ``believed`` — whether you are believed and supported;
* ``time_hours`` — how long making the report takes (numeric, in hours).

Coding (how a profile becomes the row ``x`` of the utility ``V = x·β``)
-------------------------------------------------------------------------
Categorical attributes use **dummy coding** by default: the first level is
the reference, each other level gets a 0/1 column named ``attribute:level``
whose coefficient is the utility difference from the reference level.
**Effects coding** (``Coding.EFFECTS``) uses the same columns but the
reference level is coded -1 in all of them, so the coefficients are
deviations from the attribute's mean utility and the reference level's
utility is minus their sum. Numeric attributes enter linearly (one column,
named after the attribute, holding the level's value). The opt-out is coded
with one constant, ``no_report`` (1 on the opt-out, 0 on the report
options; every attribute column is 0 on the opt-out). With dummy coding the
constant is the utility of not reporting relative to a report option at all
reference levels and zero hours; with effects coding it is relative to an
"average" report option with zero hours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from safereport.core.choice.errors import ExperimentError
from safereport.core.i18n import gettext_noop as _

NO_REPORT = "no_report"
"""Name of the opt-out alternative and of its constant."""


class Coding(StrEnum):
    DUMMY = "dummy"
    EFFECTS = "effects"


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    value: float | None = None  # numeric attributes only


@dataclass(frozen=True)
class Attribute:
    name: str
    label: str
    levels: tuple[Level, ...]
    numeric: bool = False
    unit: str = ""

    def __post_init__(self) -> None:
        if len(self.levels) < 2:
            raise ExperimentError(f"attribute {self.name!r} needs at least two levels")
        codes = [level.code for level in self.levels]
        if len(set(codes)) != len(codes):
            raise ExperimentError(f"attribute {self.name!r} has duplicate level codes")
        if self.numeric and any(level.value is None for level in self.levels):
            raise ExperimentError(f"numeric attribute {self.name!r} needs a value on every level")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(level.code for level in self.levels)

    def index(self, code: str) -> int:
        try:
            return self.codes.index(code)
        except ValueError:
            expected = ", ".join(self.codes)
            raise ExperimentError(
                f"{code!r} is not a level of {self.name!r} (expected one of {expected})"
            ) from None


@dataclass(frozen=True)
class ChoiceExperiment:
    """The attributes, the number of report options per task, and the coding."""

    attributes: tuple[Attribute, ...]
    n_options: int = 2
    coding: Coding = Coding.DUMMY
    option_labels: tuple[str, ...] = field(default=("A", "B"))
    opt_out_label: str = _("I would not report")

    def __post_init__(self) -> None:
        names = [a.name for a in self.attributes]
        if len(set(names)) != len(names):
            raise ExperimentError("attribute names must be unique")
        if len(self.option_labels) != self.n_options:
            raise ExperimentError("one option label per report option is needed")
        if NO_REPORT in self.option_labels or NO_REPORT in names:
            raise ExperimentError(f"{NO_REPORT!r} is reserved for the opt-out")

    # -- names ---------------------------------------------------------------
    @property
    def n_alternatives(self) -> int:
        """Report options plus the opt-out."""
        return self.n_options + 1

    @property
    def alternative_names(self) -> tuple[str, ...]:
        return (*self.option_labels, NO_REPORT)

    def attribute(self, name: str) -> Attribute:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        raise ExperimentError(f"no attribute named {name!r}")

    @property
    def coefficient_names(self) -> tuple[str, ...]:
        names: list[str] = []
        for attribute in self.attributes:
            if attribute.numeric:
                names.append(attribute.name)
            else:
                names += [f"{attribute.name}:{level.code}" for level in attribute.levels[1:]]
        names.append(NO_REPORT)
        return tuple(names)

    # -- coding --------------------------------------------------------------
    def _attribute_block(self, attribute: Attribute, level_index: int) -> list[float]:
        if attribute.numeric:
            value = attribute.levels[level_index].value
            assert value is not None  # noqa: S101 - guaranteed by Attribute.__post_init__
            return [float(value)]
        width = len(attribute.levels) - 1
        if level_index == 0:
            return [-1.0 if self.coding is Coding.EFFECTS else 0.0] * width
        block = [0.0] * width
        block[level_index - 1] = 1.0
        return block

    def code_indices(self, level_indices: Sequence[int]) -> NDArray[np.float64]:
        """The coded row of one report option given its level index per attribute."""
        if len(level_indices) != len(self.attributes):
            raise ExperimentError("one level per attribute is needed")
        row: list[float] = []
        for attribute, index in zip(self.attributes, level_indices, strict=True):
            if not 0 <= index < len(attribute.levels):
                raise ExperimentError(f"level index {index} out of range for {attribute.name!r}")
            row += self._attribute_block(attribute, int(index))
        row.append(0.0)
        return np.asarray(row, dtype=np.float64)

    def code_profile(self, profile: Mapping[str, str]) -> NDArray[np.float64]:
        """The coded row of one report option given ``{attribute: level code}``."""
        unknown = set(profile) - {a.name for a in self.attributes}
        if unknown:
            raise ExperimentError(f"unknown attributes: {', '.join(sorted(unknown))}")
        missing = [a.name for a in self.attributes if a.name not in profile]
        if missing:
            raise ExperimentError(f"missing attributes: {', '.join(missing)}")
        return self.code_indices([a.index(profile[a.name]) for a in self.attributes])

    def opt_out_row(self) -> NDArray[np.float64]:
        row = np.zeros(len(self.coefficient_names))
        row[-1] = 1.0
        return row

    def coding_tables(self) -> NDArray[np.float64]:
        """Stacked per-attribute lookup used to code many tasks at once.

        Returns an array ``T`` of shape (n_attributes, max_levels, n_coefficients)
        such that the coded row of a report option with level indices ``l`` is
        ``sum_a T[a, l[a]]``.
        """
        k = len(self.coefficient_names)
        max_levels = max(len(a.levels) for a in self.attributes)
        table = np.zeros((len(self.attributes), max_levels, k))
        column = 0
        for a_index, attribute in enumerate(self.attributes):
            width = 1 if attribute.numeric else len(attribute.levels) - 1
            for l_index in range(len(attribute.levels)):
                block = self._attribute_block(attribute, l_index)
                table[a_index, l_index, column : column + width] = block
            column += width
        return table

    def design_matrix(self, levels: NDArray[np.int_]) -> NDArray[np.float64]:
        """Code many tasks: ``levels`` (n_tasks, n_options, n_attributes) of level
        indices → X (n_tasks, n_alternatives, n_coefficients), opt-out last."""
        levels = np.asarray(levels)
        if levels.ndim != 3 or levels.shape[1:] != (self.n_options, len(self.attributes)):
            raise ExperimentError(
                f"levels must have shape (tasks, {self.n_options}, {len(self.attributes)})"
            )
        for a_index, attribute in enumerate(self.attributes):
            column = levels[:, :, a_index]
            if column.size and (column.min() < 0 or column.max() >= len(attribute.levels)):
                raise ExperimentError(f"level index out of range for {attribute.name!r}")
        table = self.coding_tables()
        n_tasks = levels.shape[0]
        x = np.zeros((n_tasks, self.n_alternatives, len(self.coefficient_names)))
        for a_index in range(len(self.attributes)):
            x[:, : self.n_options, :] += table[a_index][levels[:, :, a_index]]
        x[:, self.n_options, -1] = 1.0
        return x

    # -- storage -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "attributes": [
                {
                    "name": a.name,
                    "label": a.label,
                    "numeric": a.numeric,
                    "unit": a.unit,
                    "levels": [
                        {"code": lv.code, "label": lv.label, "value": lv.value} for lv in a.levels
                    ],
                }
                for a in self.attributes
            ],
            "n_options": self.n_options,
            "coding": self.coding.value,
            "option_labels": list(self.option_labels),
            "opt_out_label": self.opt_out_label,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChoiceExperiment:
        try:
            attributes = tuple(
                Attribute(
                    name=str(a["name"]),
                    label=str(a["label"]),
                    numeric=bool(a.get("numeric", False)),
                    unit=str(a.get("unit", "")),
                    levels=tuple(
                        Level(
                            code=str(lv["code"]),
                            label=str(lv["label"]),
                            value=None if lv.get("value") is None else float(lv["value"]),
                        )
                        for lv in a["levels"]
                    ),
                )
                for a in data["attributes"]
            )
            return cls(
                attributes=attributes,
                n_options=int(data["n_options"]),
                coding=Coding(data.get("coding", "dummy")),
                option_labels=tuple(str(x) for x in data["option_labels"]),
                opt_out_label=str(data.get("opt_out_label", _("I would not report"))),
            )
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
            raise ExperimentError(f"invalid experiment definition: {exc}") from exc

    def with_coding(self, coding: Coding) -> ChoiceExperiment:
        return ChoiceExperiment(
            attributes=self.attributes,
            n_options=self.n_options,
            coding=coding,
            option_labels=self.option_labels,
            opt_out_label=self.opt_out_label,
        )


BARRIERS_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute(
        name="data_sharing",
        label=_("What the police do with your details"),
        levels=(
            Level("shared", _("Shared with immigration enforcement")),
            Level(
                "protocol",
                _("Shared with immigration enforcement, but no action while your case is open"),
            ),
            Level("firewall", _("Never shared with immigration enforcement")),
        ),
    ),
    Attribute(
        name="channel",
        label=_("Where you report"),
        levels=(
            Level("police_station", _("At a police station")),
            Level("online", _("Online")),
            Level("support_org", _("Through a support organisation, who report for you")),
        ),
    ),
    Attribute(
        name="interpreter",
        label=_("Interpreter"),
        levels=(
            Level("no", _("No interpreter")),
            Level("yes", _("An interpreter in your language")),
        ),
    ),
    Attribute(
        name="specialist_worker",
        label=_("Specialist support worker"),
        levels=(
            Level("no", _("You go alone")),
            Level("yes", _("A support worker from your own community is with you")),
        ),
    ),
    Attribute(
        name="believed",
        label=_("How you are treated"),
        levels=(
            Level("not_sure", _("You may not be believed")),
            Level("yes", _("You are believed and supported")),
        ),
    ),
    Attribute(
        name="time_hours",
        label=_("Time it takes"),
        numeric=True,
        unit=_("hours"),
        levels=(
            Level("1", _("1 hour"), 1.0),
            Level("2", _("2 hours"), 2.0),
            Level("4", _("4 hours"), 4.0),
            Level("8", _("A full day (8 hours)"), 8.0),
        ),
    ),
)

BARRIERS_EXPERIMENT = ChoiceExperiment(attributes=BARRIERS_ATTRIBUTES)
"""The default "would you report?" experiment (dummy coding)."""
