"""Choice responses in memory and as CSV (long and wide formats).

**Long format** — one row per respondent x task x alternative::

    respondent,block,task,alternative,chosen,data_sharing,channel,...
    r001,1,1,A,0,firewall,online,...
    r001,1,1,B,1,shared,support_org,...
    r001,1,1,no_report,0,,,...

``alternative`` is an option label (``A``, ``B``, ...) or ``no_report`` (the
opt-out, whose attribute cells are empty); ``chosen`` is 1 on exactly one row
of each task and 0 elsewhere; attribute cells hold level *codes*.

**Wide format** — one row per respondent x task::

    respondent,block,task,choice,A_data_sharing,A_channel,...,B_data_sharing,...
    r001,1,1,B,firewall,online,...,shared,...

``choice`` is the chosen alternative's name (``A``, ``B``, ... or ``no_report``).

Readers raise :class:`DataFormatError` carrying the 1-based line number of the
offending line (the header is line 1).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import StringIO
from typing import TextIO

import numpy as np
from numpy.typing import NDArray

from safereport.core.choice.errors import DataFormatError, ExperimentError
from safereport.core.choice.experiment import NO_REPORT, ChoiceExperiment

LONG_FIXED_COLUMNS = ("respondent", "block", "task", "alternative", "chosen")
WIDE_FIXED_COLUMNS = ("respondent", "block", "task", "choice")


@dataclass(frozen=True)
class ChoiceData:
    """Answered tasks. Row ``i`` is one task answered by ``respondents[i]``.

    ``levels[i, o, a]`` is the level index of attribute ``a`` in report option
    ``o``; ``choices[i]`` is the chosen alternative (``n_options`` = opt-out).
    """

    experiment: ChoiceExperiment
    respondents: tuple[str, ...]
    blocks: NDArray[np.int64]
    tasks: NDArray[np.int64]
    levels: NDArray[np.int64]
    choices: NDArray[np.int64]

    def __post_init__(self) -> None:
        n = len(self.respondents)
        e = self.experiment
        if self.blocks.shape != (n,) or self.tasks.shape != (n,) or self.choices.shape != (n,):
            raise ExperimentError(
                "respondents, blocks, tasks and choices must have one entry per task"
            )
        if self.levels.shape != (n, e.n_options, len(e.attributes)):
            raise ExperimentError("levels must have shape (tasks, options, attributes)")
        if n and (self.choices.min() < 0 or self.choices.max() >= e.n_alternatives):
            raise ExperimentError("choice index out of range")

    @property
    def n_tasks(self) -> int:
        return len(self.respondents)

    @property
    def respondent_ids(self) -> tuple[str, ...]:
        """Distinct respondents, sorted."""
        return tuple(sorted(set(self.respondents)))

    def respondent_index(self) -> NDArray[np.int64]:
        """Per task, the position of its respondent in :attr:`respondent_ids`."""
        lookup = {r: i for i, r in enumerate(self.respondent_ids)}
        return np.asarray([lookup[r] for r in self.respondents], dtype=np.int64)

    def design_matrix(self) -> NDArray[np.float64]:
        """X (tasks, alternatives, coefficients) under the experiment's coding."""
        return self.experiment.design_matrix(self.levels)

    @classmethod
    def from_rows(
        cls,
        experiment: ChoiceExperiment,
        rows: Iterable[tuple[str, int, int, Sequence[Sequence[int]], int]],
    ) -> ChoiceData:
        """Build from ``(respondent, block, task, option_levels, choice)`` tuples."""
        items = list(rows)
        k = len(experiment.attributes)
        return cls(
            experiment=experiment,
            respondents=tuple(str(r[0]) for r in items),
            blocks=np.asarray([r[1] for r in items], dtype=np.int64),
            tasks=np.asarray([r[2] for r in items], dtype=np.int64),
            levels=np.asarray([r[3] for r in items], dtype=np.int64).reshape(
                len(items), experiment.n_options, k
            ),
            choices=np.asarray([r[4] for r in items], dtype=np.int64),
        )


# -- writing -------------------------------------------------------------------


def write_long_csv(data: ChoiceData, out: TextIO) -> None:
    e = data.experiment
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*LONG_FIXED_COLUMNS, *(a.name for a in e.attributes)])
    for i in range(data.n_tasks):
        head = [data.respondents[i], int(data.blocks[i]), int(data.tasks[i])]
        for o, label in enumerate(e.option_labels):
            codes = [a.levels[int(data.levels[i, o, ai])].code for ai, a in enumerate(e.attributes)]
            writer.writerow([*head, label, int(data.choices[i] == o), *codes])
        writer.writerow(
            [*head, NO_REPORT, int(data.choices[i] == e.n_options), *([""] * len(e.attributes))]
        )


def _wide_columns(e: ChoiceExperiment) -> list[str]:
    return [*WIDE_FIXED_COLUMNS] + [
        f"{label}_{a.name}" for label in e.option_labels for a in e.attributes
    ]


def write_wide_csv(data: ChoiceData, out: TextIO) -> None:
    e = data.experiment
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_wide_columns(e))
    names = e.alternative_names
    for i in range(data.n_tasks):
        cells: list[str | int] = [
            data.respondents[i],
            int(data.blocks[i]),
            int(data.tasks[i]),
            names[int(data.choices[i])],
        ]
        for o in range(e.n_options):
            cells += [
                a.levels[int(data.levels[i, o, ai])].code for ai, a in enumerate(e.attributes)
            ]
        writer.writerow(cells)


# -- reading -------------------------------------------------------------------


def _positive_int(value: str, column: str, line: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise DataFormatError(
            f"{column} must be a whole number, got {value!r}", line=line
        ) from None
    if number < 1:
        raise DataFormatError(f"{column} must be 1 or more, got {number}", line=line)
    return number


def _read_rows(stream: TextIO, expected: Sequence[str]) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
        if header is None:
            raise DataFormatError("the file is empty", line=1)
        header = [h.strip().lstrip("\ufeff") for h in header]
        if header != list(expected):
            missing = [c for c in expected if c not in header]
            extra = [c for c in header if c not in expected]
            detail = []
            if missing:
                detail.append(f"missing {', '.join(missing)}")
            if extra:
                detail.append(f"unexpected {', '.join(extra)}")
            if not detail:
                detail.append("columns out of order")
            raise DataFormatError(
                f"header must be {','.join(expected)} ({'; '.join(detail)})", line=1
            )
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(expected):
                raise DataFormatError(
                    f"expected {len(expected)} fields, found {len(row)}", line=line
                )
            yield line, [cell.strip() for cell in row]
    except csv.Error as exc:
        raise DataFormatError(f"not valid CSV: {exc}", line=reader.line_num) from exc


def _level_index(e: ChoiceExperiment, a_index: int, code: str, line: int) -> int:
    attribute = e.attributes[a_index]
    if code not in attribute.codes:
        raise DataFormatError(
            f"{code!r} is not a level of {attribute.name} "
            f"(expected one of {', '.join(attribute.codes)})",
            line=line,
        )
    return attribute.codes.index(code)


class _Collector:
    """Checks task keys and block consistency while rows arrive."""

    def __init__(self, e: ChoiceExperiment) -> None:
        self.e = e
        self.rows: list[tuple[str, int, int, list[list[int]], int]] = []
        self.block_of: dict[str, tuple[int, int]] = {}
        self.seen: dict[tuple[str, int], int] = {}

    def add(
        self,
        line: int,
        respondent: str,
        block: int,
        task: int,
        levels: list[list[int]],
        choice: int,
    ) -> None:
        if not respondent:
            raise DataFormatError("respondent is empty", line=line)
        key = (respondent, task)
        if key in self.seen:
            raise DataFormatError(
                f"task {task} of respondent {respondent!r} appears twice "
                f"(first at line {self.seen[key]})",
                line=line,
            )
        self.seen[key] = line
        first = self.block_of.setdefault(respondent, (block, line))
        if first[0] != block:
            raise DataFormatError(
                f"respondent {respondent!r} is in block {block} here but in block "
                f"{first[0]} at line {first[1]}",
                line=line,
            )
        self.rows.append((respondent, block, task, levels, choice))

    def result(self) -> ChoiceData:
        if not self.rows:
            raise DataFormatError("the file holds no answered tasks")
        return ChoiceData.from_rows(self.e, self.rows)


def read_long_csv(stream: TextIO, experiment: ChoiceExperiment) -> ChoiceData:
    e = experiment
    columns = [*LONG_FIXED_COLUMNS, *(a.name for a in e.attributes)]
    names = e.alternative_names
    collector = _Collector(e)
    # rows of one task must be consecutive: the alternatives in order, opt-out last
    pending: list[tuple[int, list[str]]] = []

    def flush() -> None:
        first_line, first = pending[0]
        respondent, block_text, task_text = first[0], first[1], first[2]
        block = _positive_int(block_text, "block", first_line)
        task = _positive_int(task_text, "task", first_line)
        levels: list[list[int]] = []
        chosen: list[int] = []
        for o, (line, row) in enumerate(pending):
            if row[3] != names[o]:
                raise DataFormatError(
                    f"alternative {names[o]!r} expected here, found {row[3]!r} "
                    f"(each task lists {', '.join(names)} in order)",
                    line=line,
                )
            if row[4] not in ("0", "1"):
                raise DataFormatError(f"chosen must be 0 or 1, got {row[4]!r}", line=line)
            if row[4] == "1":
                chosen.append(o)
            cells = row[len(LONG_FIXED_COLUMNS) :]
            if o < e.n_options:
                levels.append([_level_index(e, ai, c, line) for ai, c in enumerate(cells)])
            elif any(cells):
                raise DataFormatError(
                    "the no_report row must leave attribute cells empty", line=line
                )
        if len(chosen) != 1:
            raise DataFormatError(
                f"task {task} of respondent {respondent!r} must have exactly one chosen "
                f"alternative, found {len(chosen)}",
                line=first_line,
            )
        collector.add(first_line, respondent, block, task, levels, chosen[0])

    for line, row in _read_rows(stream, columns):
        if pending:
            _, first = pending[0]
            if (row[0], row[1], row[2]) != (first[0], first[1], first[2]):
                if len(pending) != len(names):
                    raise DataFormatError(
                        f"task has {len(pending)} rows; {len(names)} expected ({', '.join(names)})",
                        line=line,
                    )
                flush()
                pending = []
        pending.append((line, row))
        if len(pending) > len(names):
            raise DataFormatError(
                f"task has more than {len(names)} rows ({', '.join(names)})", line=line
            )
    if pending:
        if len(pending) != len(names):
            raise DataFormatError(
                f"last task has {len(pending)} rows; {len(names)} expected",
                line=pending[-1][0],
            )
        flush()
    return collector.result()


def read_wide_csv(stream: TextIO, experiment: ChoiceExperiment) -> ChoiceData:
    e = experiment
    names = e.alternative_names
    collector = _Collector(e)
    n_attr = len(e.attributes)
    for line, row in _read_rows(stream, _wide_columns(e)):
        block = _positive_int(row[1], "block", line)
        task = _positive_int(row[2], "task", line)
        if row[3] not in names:
            raise DataFormatError(
                f"choice must be one of {', '.join(names)}, got {row[3]!r}", line=line
            )
        cells = row[len(WIDE_FIXED_COLUMNS) :]
        levels = [
            [_level_index(e, ai, cells[o * n_attr + ai], line) for ai in range(n_attr)]
            for o in range(e.n_options)
        ]
        collector.add(line, row[0], block, task, levels, names.index(row[3]))
    return collector.result()


def read_csv(stream: TextIO, experiment: ChoiceExperiment) -> ChoiceData:
    """Read either format, recognised by its header."""
    text = stream.read()
    try:
        first = next(csv.reader(StringIO(text)), [])
    except csv.Error as exc:
        raise DataFormatError(f"not valid CSV: {exc}", line=1) from exc
    header = [h.strip().lstrip("\ufeff") for h in first]
    if "alternative" in header:
        return read_long_csv(StringIO(text), experiment)
    if "choice" in header:
        return read_wide_csv(StringIO(text), experiment)
    raise DataFormatError(
        "header is neither the long format (with 'alternative') nor the wide format "
        "(with 'choice')",
        line=1,
    )
