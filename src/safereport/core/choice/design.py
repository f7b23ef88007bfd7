# ruff: noqa: RUF002  (docstrings write the mathematics with Greek letters and signs)
"""D-efficient choice designs by coordinate exchange, in blocks, stored as JSON.

The quality of a design for a multinomial logit model with parameters β is
measured by its **D-error**: ``det(I(β))^(-1/K)``, where ``K`` is the number
of coefficients and the Fisher information of one respondent answering every
choice set once is

    I(β) = Σ_s X_sᵀ (diag(p_s) − p_s p_sᵀ) X_s,

``X_s`` the coded alternatives of set ``s`` (opt-out included) and ``p_s``
their logit probabilities under β (the *priors*; zero by default, which gives
the usual "utility-neutral" design). Lower is better; a singular information
matrix (a design that cannot identify every coefficient) has infinite
D-error.

The search is a coordinate exchange (Meyer & Nachtsheim, 1995): start from
a random level-balanced design; visit every cell (set, option, attribute) in
turn and put there the level that gives the lowest D-error, refusing changes
that would make two options of a set identical; repeat passes until a pass
improves nothing; keep the best of several random starts. Everything is
driven by one ``numpy.random.Generator`` seeded by ``seed``, so a seed gives
the same design on every machine.

The sets are then split into blocks of equal size (each respondent answers
one block) by a seeded random split improved by swaps that even out how
often each level appears in each block.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from safereport.core.choice.errors import DesignError, ExperimentError
from safereport.core.choice.experiment import BARRIERS_EXPERIMENT, ChoiceExperiment

DESIGN_FORMAT = "safereport.choice.design/1"

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` during long loops."""


def _prior_vector(experiment: ChoiceExperiment, priors: Mapping[str, float]) -> NDArray[np.float64]:
    names = experiment.coefficient_names
    unknown = set(priors) - set(names)
    if unknown:
        raise DesignError(f"priors for unknown coefficients: {', '.join(sorted(unknown))}")
    return np.asarray([float(priors.get(name, 0.0)) for name in names])


def _set_information(x: NDArray[np.float64], beta: NDArray[np.float64]) -> NDArray[np.float64]:
    """Information contribution of choice sets ``x`` (..., J, K)."""
    v = x @ beta
    v = v - v.max(axis=-1, keepdims=True)
    p = np.exp(v)
    p /= p.sum(axis=-1, keepdims=True)
    mean = np.einsum("...j,...jk->...k", p, x)
    centred = x - mean[..., None, :]
    information: NDArray[np.float64] = np.einsum("...j,...jk,...jl->...kl", p, centred, centred)
    return information


def d_error_of_information(information: NDArray[np.float64]) -> float:
    k = information.shape[0]
    sign, logdet = np.linalg.slogdet(information)
    if sign <= 0 or not np.isfinite(logdet) or logdet < -30.0 * k:
        return float("inf")
    return float(np.exp(-logdet / k))


def d_error(
    experiment: ChoiceExperiment,
    levels: NDArray[np.int_],
    priors: Mapping[str, float] | None = None,
) -> float:
    """D-error of a design given as level indices (sets, options, attributes)."""
    beta = _prior_vector(experiment, priors or {})
    x = experiment.design_matrix(levels)
    return d_error_of_information(_set_information(x, beta).sum(axis=0))


@dataclass(frozen=True)
class Design:
    """A blocked choice design. ``levels[s, o, a]`` is a level index; ``blocks[s]`` is 1-based."""

    experiment: ChoiceExperiment
    levels: NDArray[np.int_]
    blocks: NDArray[np.int_]
    seed: int
    priors: Mapping[str, float] = field(default_factory=dict)
    d_error: float = float("nan")
    balanced: bool = False

    @property
    def n_sets(self) -> int:
        return int(self.levels.shape[0])

    @property
    def n_blocks(self) -> int:
        return int(self.blocks.max()) if self.blocks.size else 0

    def set_indices(self, block: int) -> list[int]:
        """Indices of the sets shown in ``block``, in task order (task 1 first)."""
        indices = [s for s in range(self.n_sets) if int(self.blocks[s]) == block]
        if not indices:
            raise DesignError(f"no block {block}")
        return indices

    def task(self, block: int, task: int) -> list[dict[str, str]]:
        """The report options of task ``task`` (1-based) of ``block``: one
        ``{attribute: level code}`` per option."""
        indices = self.set_indices(block)
        if not 1 <= task <= len(indices):
            raise DesignError(f"block {block} has no task {task}")
        s = indices[task - 1]
        return [
            {
                attribute.name: attribute.levels[int(self.levels[s, o, a])].code
                for a, attribute in enumerate(self.experiment.attributes)
            }
            for o in range(self.experiment.n_options)
        ]

    def describe_task(self, block: int, task: int) -> list[list[tuple[str, str]]]:
        """What the survey shows for a task: per report option, the
        ``(attribute label, level label)`` pairs, as untranslated message ids
        (the Django layer translates them with ``gettext``)."""
        return [
            [
                (attribute.label, attribute.levels[attribute.index(option[attribute.name])].label)
                for attribute in self.experiment.attributes
            ]
            for option in self.task(block, task)
        ]

    def to_dict(self) -> dict[str, Any]:
        blocks = []
        for b in range(1, self.n_blocks + 1):
            tasks = [
                {"task": t + 1, "options": self.task(b, t + 1)}
                for t in range(len(self.set_indices(b)))
            ]
            blocks.append({"block": b, "tasks": tasks})
        return {
            "format": DESIGN_FORMAT,
            "experiment": self.experiment.to_dict(),
            "seed": self.seed,
            "priors": dict(self.priors),
            "d_error": self.d_error,
            "balanced": self.balanced,
            "blocks": blocks,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Design:
        if not isinstance(data, Mapping) or data.get("format") != DESIGN_FORMAT:
            raise DesignError(f"not a stored design (format must be {DESIGN_FORMAT!r})")
        try:
            experiment = ChoiceExperiment.from_dict(data["experiment"])
            rows: list[list[list[int]]] = []
            blocks: list[int] = []
            for block in data["blocks"]:
                for task in sorted(block["tasks"], key=lambda t: int(t["task"])):
                    options = task["options"]
                    if len(options) != experiment.n_options:
                        raise DesignError("wrong number of options in a stored task")
                    rows.append(
                        [
                            [a.index(str(option[a.name])) for a in experiment.attributes]
                            for option in options
                        ]
                    )
                    blocks.append(int(block["block"]))
            priors = {str(k): float(v) for k, v in dict(data.get("priors", {})).items()}
            levels = np.asarray(rows, dtype=np.int64)
            return cls(
                experiment=experiment,
                levels=levels,
                blocks=np.asarray(blocks, dtype=np.int64),
                seed=int(data["seed"]),
                priors=priors,
                d_error=d_error(experiment, levels, priors),
                balanced=bool(data.get("balanced", False)),
            )
        except (
            KeyError,
            TypeError,
            ValueError,
            OverflowError,
            AttributeError,
            IndexError,
            ExperimentError,
        ) as exc:
            raise DesignError(f"invalid stored design: {exc}") from exc

    @classmethod
    def from_json(cls, text: str) -> Design:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DesignError(f"stored design is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise DesignError("stored design must be a JSON object")
        return cls.from_dict(data)

    def summary_table(self) -> str:
        """Plain-text summary: size, D-error and level frequencies per block."""
        lines = [
            f"Choice design: {self.n_sets} choice sets in {self.n_blocks} blocks "
            f"({self.n_sets // max(self.n_blocks, 1)} tasks per respondent), "
            f"{self.experiment.n_options} report options + opt-out, seed {self.seed}",
            f"D-error (MNL, {'zero priors' if not any(self.priors.values()) else 'given priors'}, "
            f"{self.experiment.coding.value} coding"
            f"{', level-balanced' if self.balanced else ''}): {self.d_error:.4f}",
            "",
        ]
        header = f"{'attribute':<18} {'level':<16}" + "".join(
            f" {'block ' + str(b):>8}" for b in range(1, self.n_blocks + 1)
        )
        lines += [header, "-" * len(header)]
        for a, attribute in enumerate(self.experiment.attributes):
            for li, level in enumerate(attribute.levels):
                counts = [
                    int((self.levels[self.blocks == b, :, a] == li).sum())
                    for b in range(1, self.n_blocks + 1)
                ]
                lines.append(
                    f"{attribute.name:<18} {level.code:<16}" + "".join(f" {c:>8}" for c in counts)
                )
        return "\n".join(lines)


def _balanced_column(rng: np.random.Generator, n: int, n_levels: int) -> NDArray[np.int_]:
    column = np.resize(np.arange(n_levels), n)
    rng.shuffle(column)
    return column


def _has_identical_options(option_levels: NDArray[np.int_]) -> bool:
    n = option_levels.shape[0]
    return any(
        np.array_equal(option_levels[i], option_levels[j])
        for i in range(n)
        for j in range(i + 1, n)
    )


def _repair_identical_options(levels: NDArray[np.int_], rng: np.random.Generator) -> None:
    """Swap levels between sets (keeping level balance) until no set offers
    the same option twice."""
    n_sets, _, n_attr = levels.shape
    for _attempt in range(10_000):
        bad = [s for s in range(n_sets) if _has_identical_options(levels[s])]
        if not bad:
            return
        for s in bad:
            a = int(rng.integers(n_attr))
            s2 = int(rng.integers(n_sets))
            levels[s, 0, a], levels[s2, 0, a] = levels[s2, 0, a], levels[s, 0, a]
    raise DesignError("could not build a start without identical options")


@dataclass
class _Search:
    """The state of an exchange search: the design so far, each set's
    information, their sum, and its D-error."""

    experiment: ChoiceExperiment
    beta: NDArray[np.float64]
    levels: NDArray[np.int_]
    contributions: NDArray[np.float64]
    total: NDArray[np.float64]
    best: float


def _exchange(
    experiment: ChoiceExperiment,
    beta: NDArray[np.float64],
    levels: NDArray[np.int_],
    max_passes: int,
    move: Callable[[_Search, int, int, int], bool],
) -> tuple[NDArray[np.int_], float]:
    """Pass over every (set, option, attribute) cell, trying ``move`` on each,
    until a whole pass improves nothing or ``max_passes`` is reached."""
    n_sets, n_options, n_attr = levels.shape
    contributions = _set_information(experiment.design_matrix(levels), beta)
    total = contributions.sum(axis=0)
    search = _Search(experiment, beta, levels, contributions, total, d_error_of_information(total))
    for _pass in range(max_passes):
        improved = False
        for s in range(n_sets):
            for o in range(n_options):
                for a in range(n_attr):
                    improved = move(search, s, o, a) or improved
        if not improved:
            break
    # Recompute from scratch to shed accumulated rounding.
    return levels, d_error(
        experiment, levels, dict(zip(experiment.coefficient_names, beta, strict=True))
    )


def _change_level(search: _Search, s: int, o: int, a: int) -> bool:
    """Coordinate exchange: give one cell the level that lowers the D-error most."""
    levels, contributions = search.levels, search.contributions
    current = int(levels[s, o, a])
    best_level = current
    best_contribution = contributions[s]
    for candidate in range(len(search.experiment.attributes[a].levels)):
        if candidate == current:
            continue
        trial = levels[s].copy()
        trial[o, a] = candidate
        if _has_identical_options(trial):
            continue
        x_s = search.experiment.design_matrix(trial[None])[0]
        contribution = _set_information(x_s, search.beta)
        value = d_error_of_information(search.total - contributions[s] + contribution)
        if value < search.best * (1.0 - 1e-10):
            search.best = value
            best_level = candidate
            best_contribution = contribution
    if best_level == current:
        return False
    levels[s, o, a] = best_level
    search.total = search.total - contributions[s] + best_contribution
    contributions[s] = best_contribution
    return True


def _swap_levels(search: _Search, s: int, o: int, a: int) -> bool:
    """Swap exchange: swap one cell's level with the same cell of another set,
    so level frequencies never change; keep the swap that lowers the D-error most."""
    levels, contributions = search.levels, search.contributions
    best_move: tuple[int, NDArray[np.float64], NDArray[np.float64]] | None = None
    for s2 in range(levels.shape[0]):
        if s2 == s or levels[s2, o, a] == levels[s, o, a]:
            continue
        pair = levels[[s, s2]].copy()
        pair[0, o, a], pair[1, o, a] = pair[1, o, a], pair[0, o, a]
        if _has_identical_options(pair[0]) or _has_identical_options(pair[1]):
            continue
        c = _set_information(search.experiment.design_matrix(pair), search.beta)
        trial = search.total - contributions[s] - contributions[s2] + c[0] + c[1]
        value = d_error_of_information(trial)
        if value < search.best * (1.0 - 1e-10):
            search.best = value
            best_move = (s2, c[0], c[1])
    if best_move is None:
        return False
    s2, c0, c1 = best_move
    levels[s, o, a], levels[s2, o, a] = levels[s2, o, a], levels[s, o, a]
    search.total = search.total - contributions[s] - contributions[s2] + c0 + c1
    contributions[s], contributions[s2] = c0, c1
    return True


def _imbalance(
    experiment: ChoiceExperiment, levels: NDArray[np.int_], blocks: NDArray[np.int_]
) -> float:
    n_blocks = int(blocks.max())
    score = 0.0
    for a, attribute in enumerate(experiment.attributes):
        expected = levels[:, :, a].size / n_blocks / len(attribute.levels)
        for b in range(1, n_blocks + 1):
            counts = np.bincount(levels[blocks == b, :, a].ravel(), minlength=len(attribute.levels))
            score += float(((counts - expected) ** 2).sum())
    return score


def _assign_blocks(
    experiment: ChoiceExperiment,
    levels: NDArray[np.int_],
    n_blocks: int,
    rng: np.random.Generator,
    swaps: int = 400,
) -> NDArray[np.int_]:
    n_sets = levels.shape[0]
    blocks = np.repeat(np.arange(1, n_blocks + 1), n_sets // n_blocks)
    rng.shuffle(blocks)
    if n_blocks == 1:
        return blocks
    score = _imbalance(experiment, levels, blocks)
    for _ in range(swaps):
        i, j = rng.integers(0, n_sets, size=2)
        if blocks[i] == blocks[j]:
            continue
        blocks[i], blocks[j] = blocks[j], blocks[i]
        trial = _imbalance(experiment, levels, blocks)
        if trial < score:
            score = trial
        else:
            blocks[i], blocks[j] = blocks[j], blocks[i]
    return blocks


def generate_design(
    experiment: ChoiceExperiment = BARRIERS_EXPERIMENT,
    *,
    n_sets: int = 24,
    n_blocks: int = 3,
    seed: int = 0,
    priors: Mapping[str, float] | None = None,
    starts: int = 4,
    max_passes: int = 20,
    balanced: bool = False,
    progress: ProgressCallback | None = None,
) -> Design:
    """Search a D-efficient blocked design (deterministic given ``seed``).

    ``balanced=False`` (the default) lets every cell take any level: the most
    D-efficient design, which puts numeric attributes at their extremes (for
    ``time_hours``: only 1 and 8 hours appear). ``balanced=True`` keeps the
    level balance of the random start (every level of every attribute shown
    equally often in each option column) by moving with swaps between sets;
    D-error is a little higher, the search about ten times slower.
    """
    priors = dict(priors or {})
    beta = _prior_vector(experiment, priors)
    k = len(experiment.coefficient_names)
    if n_blocks < 1 or n_sets < 1 or n_sets % n_blocks:
        raise DesignError("n_sets must be a positive multiple of n_blocks")
    if n_sets * (experiment.n_alternatives - 1) < k:
        raise DesignError(f"{n_sets} choice sets cannot identify {k} coefficients")
    if starts < 1:
        raise DesignError("at least one start is needed")
    rng = np.random.default_rng(seed)
    best_levels: NDArray[np.int_] | None = None
    best_value = float("inf")
    for start in range(starts):
        levels = np.empty(
            (n_sets, experiment.n_options, len(experiment.attributes)), dtype=np.int64
        )
        for o in range(experiment.n_options):
            for a, attribute in enumerate(experiment.attributes):
                levels[:, o, a] = _balanced_column(rng, n_sets, len(attribute.levels))
        _repair_identical_options(levels, rng)
        move = _swap_levels if balanced else _change_level
        levels, value = _exchange(experiment, beta, levels, max_passes, move)
        if value < best_value:
            best_value, best_levels = value, levels.copy()
        if progress is not None:
            progress(start + 1, starts)
    if best_levels is None or not np.isfinite(best_value):
        raise DesignError("no design identifies every coefficient; add choice sets")
    blocks = _assign_blocks(experiment, best_levels, n_blocks, rng)
    order = np.argsort(blocks, kind="stable")  # canonical order: by block, then task
    levels = best_levels[order]
    return Design(
        experiment=experiment,
        levels=levels,
        blocks=blocks[order],
        seed=seed,
        priors=priors,
        # Recomputed in the stored order, exactly as loading a stored design
        # does: summing the sets in another order can differ in the last bit.
        d_error=d_error(experiment, levels, priors),
        balanced=balanced,
    )
