# ruff: noqa: RUF002  (docstrings write the mathematics with Greek letters and signs)
"""Conditional logit and panel mixed logit by maximum likelihood (NumPy/SciPy).

Notation: respondent ``n`` answers tasks ``t``; alternative ``j`` of a task has
coded attributes ``x_tj`` (see :mod:`safereport.core.choice.experiment`); the
utility is ``V_tj = x_tj·β``; the logit probability of the chosen alternative
``c_t`` is ``P_t(β) = exp(V_tc) / Σ_j exp(V_tj)``.

Conditional (multinomial) logit: one β for everyone; ``LL = Σ_t log P_t(β)``.
Gradient ``Σ_t (x_tc − Σ_j P_tj x_tj)``; Hessian ``−Σ_t Σ_j P_tj (x_tj − x̄_t)(x_tj − x̄_t)ᵀ``
(both analytic).

Panel mixed logit: coefficients listed in :class:`ModelSpec` vary across
respondents and are constant across one respondent's tasks:

* ``NORMAL``:  β_k = μ_k + σ_k z;
* ``LOGNORMAL``: β_k = exp(μ_k + σ_k z) (positive);
* ``NEGATIVE_LOGNORMAL``: β_k = −exp(μ_k + σ_k z) (negative, e.g. time);

with ``z`` standard normal. The likelihood of respondent ``n`` is simulated
with ``R`` draws per respondent, shared by all of that respondent's tasks:

    L_n = (1/R) Σ_r Π_t P_t(β_nr),      LL = Σ_n log L_n.

Draws: a scrambled Halton sequence (``scipy.stats.qmc.Halton``, scrambled by a
seeded generator) of ``N·R`` points in ``d`` dimensions (one per random
coefficient), respondent ``n`` taking points ``nR … nR+R−1`` (respondents in
sorted order of their ids), mapped to normals by the inverse normal CDF.

Analytic gradient: with ``w_nr = Π_t P_t(β_nr)``, the normalised weights
``ω_nr = w_nr / Σ_r w_nr`` and ``g_nr = ∂ log w_nr / ∂β``,
``∂ log L_n / ∂θ = Σ_r ω_nr (∂β_nr/∂θ)ᵀ g_nr``. Each task is differenced
against its chosen alternative, ``Δx_tj = x_tj − x_tc`` for the ``J − 1``
others, so ``P_tc = 1 / (1 + Σ_j exp(Δx_tj·β))`` and ``g_nr = −Σ_t Σ_j P_trj
Δx_tj``. The θ entries whose chain factor is 1 (fixed coefficients, normal
means) need only ``Σ_r ω_nr P_trj`` contracted with ``Δx``; the others (z for
normal spreads, β and βz for lognormals) weight the random columns of
``g_nr`` by their factor at the respondent × draw level.

Analytic Hessian (exact): with ``m_p`` the chain factor of θ_p and ``c(p)``
its coefficient column, ``∂² log L_n = Σ_r ω_nr (∂² log w_nr + ∂ log w_nr
∂ log w_nrᵀ) − s_n s_nᵀ``, where ``∂ log w_nr/∂θ_p = m_p g_nr,c(p)`` and
``∂² log w_nr/∂θ_p∂θ_q = −m_p m_q Σ_t Cov_tr[c(p), c(q)] + [c(p) = c(q)]
g_nr,c ∂²β_c/∂θ_p∂θ_q``; ``Cov_tr`` is the covariance of ``Δx_t`` under the
choice probabilities of task t at draw r, so the covariance term needs
``Σ_r ω m_u m_v P_trj`` and ``Σ_r ω m_u m_v P_tri P_trj`` for each pair of
distinct factors, contracted with products of ``Δx`` columns.

Layout and cost: respondents are padded to the longest panel (padding tasks
have probability 1 and add nothing) and cut into blocks; a block's arrays
are ``respondents × tasks × (J − 1) × R`` float64, all draws of a respondent
together, so ``log L_n`` is an exact log-sum-exp over the draws. Each
evaluation is a few whole-array operations per block (the utilities as one
batched matrix product, ``J − 1`` exponentials per task and draw, one
logarithm per respondent and draw, the sums as batched matrix products); the
blocks run on a thread pool (NumPy releases the GIL; BLAS is held to one
thread meanwhile). No Python loop runs over respondents or draws. Peak memory
is a few blocks plus ``Δx`` and the draws (``N × R × d`` numbers).

Search: Newton steps in a trust region with the exact Hessian
(``trust-exact``, the default; about five to eight iterations from the
conditional-logit start) or BFGS / L-BFGS-B on the analytic gradient.

Standard errors: the robust (sandwich) covariance ``H⁻¹ B H⁻¹`` where ``H`` is
the Hessian of LL (analytic for both models) and ``B = Σ_n s_n s_nᵀ`` sums
outer products of per-respondent scores (the panel is the cluster; for the
conditional logit ``cluster="task"`` uses per-task scores instead, which is
what non-panel software reports). The classical covariance ``−H⁻¹`` is kept
as well.

Supported specifications: fixed, normal, lognormal and negative lognormal
coefficients, each random coefficient independent of the others (a diagonal
covariance). Correlated random coefficients (a full Cholesky factor) are not
supported.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special
from scipy.stats import qmc
from threadpoolctl import ThreadpoolController

from safereport.core.choice.errors import EstimationError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
ProgressCallback = Callable[[int, int], None]

_EXP_CAP = 60.0  # cap on exponents of lognormal coefficients during line searches


class Distribution(StrEnum):
    FIXED = "fixed"
    NORMAL = "normal"
    LOGNORMAL = "lognormal"
    NEGATIVE_LOGNORMAL = "negative_lognormal"


@dataclass(frozen=True)
class ModelSpec:
    """Which coefficients are random and how. Empty → conditional logit."""

    random: Mapping[str, Distribution] = field(default_factory=dict)

    @property
    def is_mixed(self) -> bool:
        return any(d is not Distribution.FIXED for d in self.random.values())

    def distribution(self, coefficient: str) -> Distribution:
        return Distribution(self.random.get(coefficient, Distribution.FIXED))

    def parameter_names(self, coefficients: tuple[str, ...]) -> tuple[str, ...]:
        """Means (or log-means) in coefficient order, then spreads of random ones."""
        unknown = set(self.random) - set(coefficients)
        if unknown:
            raise EstimationError(f"random coefficients not in the model: {sorted(unknown)}")
        names: list[str] = []
        spreads: list[str] = []
        for c in coefficients:
            d = self.distribution(c)
            if d is Distribution.FIXED:
                names.append(c)
            elif d is Distribution.NORMAL:
                names.append(c)
                spreads.append(f"{c}.sd")
            else:
                names.append(f"{c}.log_mean")
                spreads.append(f"{c}.log_sd")
        return (*names, *spreads)

    def to_dict(self) -> dict[str, str]:
        return {k: Distribution(v).value for k, v in self.random.items() if v != Distribution.FIXED}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> ModelSpec:
        try:
            return cls({k: Distribution(v) for k, v in data.items()})
        except ValueError as exc:
            raise EstimationError(f"unknown distribution: {exc}") from exc


def halton_normal_draws(n_respondents: int, n_draws: int, n_dims: int, seed: int) -> FloatArray:
    """Scrambled Halton normal draws, shape (respondents, draws, dims)."""
    if n_respondents < 1 or n_draws < 1 or n_dims < 1:
        raise EstimationError("draw counts must be positive")
    sampler = qmc.Halton(d=n_dims, scramble=True, rng=np.random.default_rng(seed))
    u = sampler.random(n_respondents * n_draws)
    u = np.clip(u, 1e-12, 1.0 - 1e-12)
    normals: FloatArray = np.asarray(special.ndtri(u), dtype=np.float64)
    return normals.reshape(n_respondents, n_draws, n_dims)


@dataclass(frozen=True)
class Panel:
    """Choice data as arrays, tasks sorted by respondent (stable)."""

    x: FloatArray  # (tasks, alternatives, coefficients)
    chosen: IntArray  # (tasks,)
    respondent: IntArray  # (tasks,) 0..N-1, non-decreasing
    starts: IntArray  # (N,) first task of each respondent
    coefficient_names: tuple[str, ...]

    @classmethod
    def from_arrays(
        cls,
        x: FloatArray,
        chosen: IntArray,
        respondent: IntArray,
        coefficient_names: tuple[str, ...],
    ) -> Panel:
        x = np.asarray(x, dtype=np.float64)
        chosen = np.asarray(chosen, dtype=np.int64)
        respondent = np.asarray(respondent, dtype=np.int64)
        if x.ndim != 3 or x.shape[0] == 0:
            raise EstimationError("x must have shape (tasks, alternatives, coefficients)")
        if chosen.shape != (x.shape[0],) or respondent.shape != (x.shape[0],):
            raise EstimationError("chosen and respondent need one entry per task")
        if x.shape[2] != len(coefficient_names):
            raise EstimationError("one name per coefficient column is needed")
        if chosen.min() < 0 or chosen.max() >= x.shape[1]:
            raise EstimationError("chosen alternative out of range")
        if not np.all(np.isfinite(x)):
            raise EstimationError("x holds non-finite values")
        order = np.argsort(respondent, kind="stable")
        respondent = respondent[order]
        _, dense = np.unique(respondent, return_inverse=True)
        dense = dense.astype(np.int64)
        starts = np.flatnonzero(np.r_[True, dense[1:] != dense[:-1]]).astype(np.int64)
        return cls(x[order], chosen[order], dense, starts, coefficient_names)

    @property
    def n_tasks(self) -> int:
        return int(self.x.shape[0])

    @property
    def n_alternatives(self) -> int:
        return int(self.x.shape[1])

    @property
    def n_respondents(self) -> int:
        return int(self.starts.shape[0])

    def null_log_likelihood(self) -> float:
        return -self.n_tasks * float(np.log(self.n_alternatives))

    def chosen_x(self) -> FloatArray:
        return self.x[np.arange(self.n_tasks), self.chosen]


# -- conditional logit ---------------------------------------------------------------


def _softmax(v: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Probabilities and log-sum-exp along the last axis."""
    m = v.max(axis=-1, keepdims=True)
    e = np.exp(v - m)
    s = e.sum(axis=-1, keepdims=True)
    return e / s, (np.log(s) + m)[..., 0]


def mnl_loglik(
    panel: Panel, beta: FloatArray, *, scores: Literal["respondent", "task"] | None = None
) -> tuple[float, FloatArray, FloatArray | None]:
    """Log-likelihood, gradient and (optionally) per-respondent or per-task scores."""
    v = panel.x @ beta
    p, lse = _softmax(v)
    idx = np.arange(panel.n_tasks)
    ll = float((v[idx, panel.chosen] - lse).sum())
    per_task = panel.chosen_x() - np.einsum("tj,tjk->tk", p, panel.x)
    grad = per_task.sum(axis=0)
    if scores is None:
        return ll, grad, None
    if scores == "task":
        return ll, grad, per_task
    return ll, grad, np.add.reduceat(per_task, panel.starts, axis=0)


def mnl_hessian(panel: Panel, beta: FloatArray) -> FloatArray:
    p, _ = _softmax(panel.x @ beta)
    mean = np.einsum("tj,tjk->tk", p, panel.x)
    centred = panel.x - mean[:, None, :]
    hessian: FloatArray = -np.einsum("tj,tjk,tjl->kl", p, centred, centred)
    return hessian


# -- panel mixed logit ---------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where each coefficient's parameters sit in θ."""

    n_coef: int
    random_cols: IntArray  # coefficient columns that are random
    kinds: tuple[Distribution, ...]  # their distributions
    spread_pos: IntArray  # θ index of each random coefficient's spread
    fixed_cols: IntArray  # coefficient columns that are fixed

    @classmethod
    def build(cls, spec: ModelSpec, names: tuple[str, ...]) -> _Layout:
        spec.parameter_names(names)  # validates
        random_cols = [
            i for i, c in enumerate(names) if spec.distribution(c) is not Distribution.FIXED
        ]
        kinds = tuple(spec.distribution(names[i]) for i in random_cols)
        return cls(
            n_coef=len(names),
            random_cols=np.asarray(random_cols, dtype=np.int64),
            kinds=kinds,
            spread_pos=np.arange(len(names), len(names) + len(random_cols), dtype=np.int64),
            fixed_cols=np.asarray(
                [i for i in range(len(names)) if i not in random_cols], dtype=np.int64
            ),
        )

    @property
    def n_params(self) -> int:
        return self.n_coef + len(self.random_cols)

    @property
    def column_of(self) -> IntArray:
        """The coefficient column each θ entry belongs to."""
        columns: IntArray = np.concatenate([np.arange(self.n_coef), self.random_cols])
        return columns


@dataclass(frozen=True)
class _Block:
    """Some respondents, differenced against the chosen alternative and padded.

    ``dx[n, m]`` is ``x_tj − x_tc`` for the ``m``-th (task, other alternative)
    pair of the block's respondent ``n`` (tasks in order, the ``J − 1``
    alternatives that were not chosen in order), so that ``P_tc = 1 / (1 +
    Σ_j exp(Δx_tj·β))`` costs ``J − 1`` exponentials. Respondents with fewer
    tasks than the block's longest panel are padded with tasks whose
    ``offset`` is ``−∞``: their other alternatives have probability 0, the
    chosen one 1, and they add nothing to any sum. Blocks are cut from the
    respondents sorted by their number of tasks, so padding stays small
    even when panels are very unequal.
    """

    rows: IntArray  # the block's respondents, as indices in the panel's order
    dx: FloatArray  # (n, M, K), M = tasks_max x (J - 1)
    dx_t: FloatArray  # (n, K, M)
    dx_random: FloatArray  # (n, M, d): the random columns
    dx_random_t: FloatArray  # (n, d, M)
    offset: FloatArray  # (n, M): 0, or -inf for padding
    z: FloatArray  # (n, d, R) the block's draws
    tasks_max: int
    n_other: int  # J - 1
    products: list[tuple[FloatArray, FloatArray]] = field(default_factory=list, compare=False)


def _products_of_differences(block: _Block) -> tuple[FloatArray, FloatArray]:
    """``Δx_ma Δx_mb`` per (task, other alternative) and ``Δx_tia Δx_tjb +
    Δx_tja Δx_tib`` per task and pair ``i < j`` (``Δx_tia Δx_tib`` for
    ``i = j``), flattened to (rows, K²); they do not depend on θ, so each
    block computes them once, the first time a Hessian is asked for."""
    if not block.products:
        n, k = block.dx.shape[0], block.dx.shape[2]
        dx, dx4 = block.dx, block.dx.reshape(n, block.tasks_max, block.n_other, k)
        i_idx, j_idx = np.triu_indices(block.n_other)
        outer = (dx[:, :, :, None] * dx[:, :, None, :]).reshape(-1, k * k)
        cross = dx4[:, :, i_idx, :, None] * dx4[:, :, j_idx, None, :]  # (n, tasks, pairs, K, K)
        cross[:, :, i_idx != j_idx] += cross[:, :, i_idx != j_idx].transpose(0, 1, 2, 4, 3)
        block.products.append((outer, cross.reshape(-1, k * k)))
    return block.products[0]


def _build_blocks(
    panel: Panel,
    layout: _Layout,
    draws: FloatArray,
    chunk: int | None,
    max_chunk_elements: int,
) -> list[_Block]:
    n_other = panel.n_alternatives - 1
    if n_other < 1:
        raise EstimationError("a choice needs at least two alternatives")
    if chunk is not None and chunk < 1:
        raise EstimationError("chunk must be a positive number of respondents")
    n_resp, n_draws = panel.n_respondents, draws.shape[1]
    counts = np.diff(np.r_[panel.starts, panel.n_tasks])
    order = np.argsort(counts, kind="stable")
    other = np.arange(n_other)[None, :]
    other = other + (other >= panel.chosen[:, None])  # (T, J - 1): the alternatives not chosen
    delta = panel.x[np.arange(panel.n_tasks)[:, None], other] - panel.chosen_x()[:, None, :]
    k = panel.x.shape[2]
    z = np.asarray(draws, dtype=np.float64).transpose(0, 2, 1)  # (N, d, R)
    blocks: list[_Block] = []
    first = 0
    while first < n_resp:
        if chunk is not None:
            size = chunk
        else:  # as many respondents as keep size x longest panel x (J - 1) x R in budget
            sizes = np.arange(1, n_resp - first + 1)
            cost = sizes * counts[order[first:]] * n_other * n_draws
            size = max(1, int(np.searchsorted(cost, max_chunk_elements, side="right")))
        rows = order[first : first + size]
        first += size
        c = counts[rows]
        tasks_max = int(c.max())
        member = np.repeat(np.arange(rows.size), c)
        within = np.arange(c.sum()) - np.repeat(np.cumsum(c) - c, c)
        tasks = panel.starts[rows][member] + within
        padded = np.zeros((rows.size, tasks_max, n_other, k))
        padded[member, within] = delta[tasks]
        offset = np.full((rows.size, tasks_max, n_other), -np.inf)
        offset[member, within] = 0.0
        dx = padded.reshape(rows.size, -1, k)
        dx_t = np.ascontiguousarray(dx.transpose(0, 2, 1))
        blocks.append(
            _Block(
                rows=rows,
                dx=dx,
                dx_t=dx_t,
                dx_random=np.ascontiguousarray(dx[:, :, layout.random_cols]),
                dx_random_t=np.ascontiguousarray(dx_t[:, layout.random_cols, :]),
                offset=offset.reshape(rows.size, -1),
                z=np.ascontiguousarray(z[rows]),
                tasks_max=tasks_max,
                n_other=n_other,
            )
        )
    return blocks


@dataclass
class _ChunkSums:
    """What one block of respondents contributes."""

    ll: FloatArray  # (n,) log L_n
    scores: FloatArray  # (n, parameters)
    hessian: FloatArray | None  # (parameters, parameters), summed over the block


_BLAS: list[ThreadpoolController] = []


def _single_threaded_blas() -> Any:
    """A context in which BLAS runs one thread: the estimator's own threads
    each do many small matrix products, and BLAS threads inside them only
    contend for the same cores."""
    if not _BLAS:
        _BLAS.append(ThreadpoolController())
    return _BLAS[0].limit(limits=1, user_api="blas")


def _log_product(s: FloatArray) -> FloatArray:
    """``Σ_t log s_t`` over axis 1 of ``s ≥ 1`` as the log of a product (one
    logarithm per respondent and draw instead of one per task), falling back
    to the sum of logarithms where the product overflows (long panels)."""
    product = s.prod(axis=1)
    out: FloatArray = np.log(product)
    overflow = np.isinf(out)
    if overflow.any():
        out[overflow] = np.log(s.transpose(0, 2, 1)[overflow]).sum(axis=-1)
    return out


def _default_threads() -> int:
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        available = os.cpu_count() or 1
    return max(1, min(available, 8))


class MixedLogLikelihood:
    """The simulated panel log-likelihood of one data set with fixed draws.

    Per evaluation the respondents are cut into blocks of ``chunk`` (each
    block's arrays are ``chunk × tasks × (J − 1) × R`` floats, all draws of
    a respondent together, so ``log L_n`` is an exact log-sum-exp over the
    draws); the blocks run on a pool of ``threads`` (NumPy releases the GIL
    in its array loops). Within a block every step is a whole-array
    operation: the utilities ``Δx·β`` as one batched matrix product, the
    exponentials in place, ``log w_nr = −Σ_t log(1 + Σ_j e_trj)``, the
    normalised weights ``ω_nr = w_nr / Σ_r w_nr``, and the score as
    ``−Σ_m (Σ_r ω_nr P_mr) Δx_m`` (multiplier 1) plus, for spreads and
    lognormal means, ``Σ_r ω_nr m_nr g_nr`` with ``g_nr = −Σ_m P_mr Δx_m``.
    """

    def __init__(
        self,
        panel: Panel,
        layout: _Layout,
        draws: FloatArray,
        *,
        chunk: int | None = None,
        max_chunk_elements: int = 1 << 18,
        threads: int | None = None,
    ) -> None:
        d = len(layout.random_cols)
        if draws.ndim != 3 or draws.shape[0] != panel.n_respondents or draws.shape[2] != d:
            raise EstimationError(f"draws must have shape ({panel.n_respondents}, R, {d})")
        if threads is not None and threads < 1:
            raise EstimationError("threads must be positive")
        self.layout = layout
        self.n_respondents = panel.n_respondents
        self.n_draws = int(draws.shape[1])
        self.blocks = _build_blocks(panel, layout, draws, chunk, max_chunk_elements)
        self.threads = threads or _default_threads()

    # -- θ → draws-level coefficients and chain-rule multipliers ----------------------
    def _betas(
        self, theta: FloatArray, z: FloatArray, second_order: bool
    ) -> tuple[
        FloatArray, list[tuple[int, int, FloatArray]], list[tuple[int, int, int, FloatArray]]
    ]:
        """β of the random coefficients (n, d, R), first and second chain factors.

        ``chain``: ``(θ index, random dim, ∂β/∂θ)`` for θ entries whose
        factor is not 1 (spreads; lognormal means). ``second``: ``(θ index,
        θ index, random dim, ∂²β/∂θ∂θ)`` (lognormals only, as normals are
        linear; only if ``second_order``).
        """
        layout = self.layout
        betas = np.empty(z.shape)
        chain: list[tuple[int, int, FloatArray]] = []
        second: list[tuple[int, int, int, FloatArray]] = []
        for a, (col, kind) in enumerate(zip(layout.random_cols, layout.kinds, strict=True)):
            mu, sigma = theta[col], theta[layout.spread_pos[a]]
            za = z[:, a, :]
            sd_pos = int(layout.spread_pos[a])
            if kind is Distribution.NORMAL:
                np.multiply(za, sigma, out=betas[:, a, :])
                betas[:, a, :] += mu
                chain.append((sd_pos, a, za))
            else:
                sign = 1.0 if kind is Distribution.LOGNORMAL else -1.0
                b = betas[:, a, :]
                np.multiply(za, sigma, out=b)
                b += mu
                np.minimum(b, _EXP_CAP, out=b)
                np.exp(b, out=b)
                b *= sign
                bz = b * za
                chain.append((int(col), a, b))
                chain.append((sd_pos, a, bz))
                if not second_order:
                    continue
                second.append((int(col), int(col), a, b))
                second.append((int(col), sd_pos, a, bz))
                second.append((sd_pos, sd_pos, a, bz * za))
        return betas, chain, second

    def _block(
        self, theta: FloatArray, beta_fixed: FloatArray, block: _Block, hessian: bool
    ) -> _ChunkSums:
        # overflows (extreme trial points of a line search) give inf/nan, which the caller
        # refuses; NumPy's error state is per thread, so it is set here, in the worker
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            return self._block_sums(theta, beta_fixed, block, hessian)

    def _block_sums(
        self, theta: FloatArray, beta_fixed: FloatArray, block: _Block, hessian: bool
    ) -> _ChunkSums:
        z = block.z
        n, r = z.shape[0], z.shape[2]
        n_other, tasks = block.n_other, block.tasks_max
        betas, chain, second = self._betas(theta, z, hessian)
        # utilities of the other alternatives relative to the chosen one: (n, M, R)
        e = np.matmul(block.dx_random, betas)
        e += (block.dx @ beta_fixed + block.offset)[:, :, None]
        np.exp(e, out=e)
        e4 = e.reshape(n, tasks, n_other, r)
        s = e4[:, :, 0, :] + 1.0
        for j in range(1, n_other):
            s += e4[:, :, j, :]  # Σ_j exp(V_tj - V_tc), (n, tasks, R)
        log_w = _log_product(s)  # -log Π_t P_tc, (n, R)
        np.negative(log_w, out=log_w)
        np.reciprocal(s, out=s)
        e4 *= s[:, :, None, :]  # now the probabilities of the other alternatives
        p = e
        top = log_w.max(axis=1)
        omega = np.exp(log_w - top[:, None])
        total = omega.sum(axis=1)
        omega /= total[:, None]
        ll = top + np.log(total) - np.log(r)
        # multiplier-1 score: -Σ_m (Σ_r ω P_mr) Δx_m
        a_w = np.matmul(p, omega[:, :, None])  # (n, M, 1)
        scores = np.empty((n, self.layout.n_params))
        scores[:, : self.layout.n_coef] = -np.matmul(a_w.transpose(0, 2, 1), block.dx)[:, 0, :]
        g_random = np.matmul(block.dx_random_t, p)  # -g_nr of the random columns, (n, d, R)
        weighted_g = g_random * omega[:, None, :]
        for pos, a, factor in chain:
            scores[:, pos] = -np.einsum("nr,nr->n", weighted_g[:, a, :], factor)
        if not hessian:
            return _ChunkSums(ll, scores, None)
        return _ChunkSums(ll, scores, self._block_hessian(block, p, omega, chain, second, g_random))

    def _block_hessian(
        self,
        block: _Block,
        p: FloatArray,
        omega: FloatArray,
        chain: list[tuple[int, int, FloatArray]],
        second: list[tuple[int, int, int, FloatArray]],
        g_random: FloatArray,
    ) -> FloatArray:
        """Σ_n Σ_r ω_nr (∂² log w_nr + ∂log w_nr ∂log w_nrᵀ) over the block (θ space).

        With ``m_p`` the chain factor of θ_p (1, z, β or βz) and ``c(p)`` its
        coefficient column, ``∂ log w_nr/∂θ_p = m_p g_c(p)`` and
        ``∂² log w_nr/∂θ_p∂θ_q = −m_p m_q Σ_t Cov_t[c(p), c(q)] + [c(p) = c(q)]
        g_c ∂²β_c/∂θ_p∂θ_q``, where ``Cov_t`` is the covariance of Δx under
        the choice probabilities of task t. The caller subtracts ``Σ_n s_n s_nᵀ``.
        """
        layout = self.layout
        n, _, r = p.shape
        n_other, tasks = block.n_other, block.tasks_max
        k = layout.n_coef
        col = layout.column_of
        # θ entries by chain factor: class 0 is the constant 1, then one class per factor
        factors: list[FloatArray] = [np.ones_like(omega)]
        which = np.zeros(layout.n_params, dtype=np.int64)
        for pos, _a, factor in chain:
            which[pos] = len(factors)
            factors.append(factor)
        # Σ_r ω ∂log w ∂log wᵀ, with ∂log w_nr/∂θ_p = -m_p (Σ_m P_mr Δx_m)[c(p)]
        g_theta = np.matmul(block.dx_t, p)[:, col, :]  # (n, parameters, R)
        for pos, _a, factor in chain:
            g_theta[:, pos, :] *= factor
        weighted = g_theta * omega[:, None, :]
        hess: FloatArray = np.matmul(weighted, g_theta.transpose(0, 2, 1)).sum(axis=0)
        # Σ_r ω m_p m_q Σ_t Cov_t: one weight vector ω m_u m_v per pair of classes
        classes = [(u, v) for u in range(len(factors)) for v in range(u, len(factors))]
        weights = np.empty((n, len(classes), r))
        for i, (u, v) in enumerate(classes):
            np.multiply(factors[u], factors[v], out=weights[:, i, :])
            weights[:, i, :] *= omega
        weights_t = weights.transpose(0, 2, 1)
        # first term: Σ_m Δx_ma Δx_mb Σ_r W_r P_mr
        outer, cross = _products_of_differences(block)
        cov = outer.T @ np.matmul(p, weights_t).reshape(-1, len(classes))  # (K², classes)
        # second term: Σ_t Σ_ij Δx_tia Δx_tjb Σ_r W_r P_tir P_tjr over pairs i ≤ j
        p4 = p.reshape(n, tasks, n_other, r)
        i_idx, j_idx = np.triu_indices(n_other)
        pp = np.empty((n, tasks, i_idx.size, r))
        for pair in range(i_idx.size):
            np.multiply(p4[:, :, i_idx[pair], :], p4[:, :, j_idx[pair], :], out=pp[:, :, pair, :])
        both = np.matmul(pp.reshape(n, -1, r), weights_t).reshape(-1, len(classes))
        cov -= cross.T @ both
        cov = cov.reshape(k, k, len(classes))
        lo = np.minimum(which[:, None], which[None, :])
        hi = np.maximum(which[:, None], which[None, :])
        class_index = np.zeros((len(factors), len(factors)), dtype=np.int64)
        for i, (u, v) in enumerate(classes):
            class_index[u, v] = i
        hess -= cov[col[:, None], col[None, :], class_index[lo, hi]]
        # ∂²β/∂θ∂θ for lognormals: g_c times ω-weighted factor
        for pi, qi, a, factor in second:
            value = -float(np.einsum("nr,nr->", omega * factor, g_random[:, a, :]))
            hess[pi, qi] += value
            if pi != qi:
                hess[qi, pi] += value
        return hess

    def evaluate(
        self, theta: FloatArray, *, hessian: bool = False
    ) -> tuple[float, FloatArray, FloatArray, FloatArray | None]:
        """Log-likelihood, gradient, per-respondent scores and (optionally) the Hessian."""
        theta = np.asarray(theta, dtype=np.float64)
        beta_fixed = theta[: self.layout.n_coef].copy()
        beta_fixed[self.layout.random_cols] = 0.0
        with _single_threaded_blas():
            if self.threads > 1 and len(self.blocks) > 1:
                with ThreadPoolExecutor(self.threads) as pool:
                    parts = list(
                        pool.map(lambda b: self._block(theta, beta_fixed, b, hessian), self.blocks)
                    )
            else:
                parts = [self._block(theta, beta_fixed, b, hessian) for b in self.blocks]
        ll_n = np.empty(self.n_respondents)
        scores = np.empty((self.n_respondents, self.layout.n_params))
        for block, part in zip(self.blocks, parts, strict=True):
            ll_n[block.rows] = part.ll
            scores[block.rows] = part.scores
        grad = scores.sum(axis=0)
        if not hessian:
            return float(ll_n.sum()), grad, scores, None
        h = sum(
            (part.hessian for part in parts if part.hessian is not None), np.zeros((grad.size,) * 2)
        )
        h -= scores.T @ scores
        return float(ll_n.sum()), grad, scores, 0.5 * (h + h.T)


def mixed_loglik(
    panel: Panel,
    layout: _Layout,
    theta: FloatArray,
    draws: FloatArray,
    *,
    chunk: int | None = None,
    want_scores: bool = False,
) -> tuple[float, FloatArray, FloatArray | None]:
    """Simulated panel log-likelihood, its gradient and per-respondent scores."""
    ll, grad, scores, _ = MixedLogLikelihood(panel, layout, draws, chunk=chunk).evaluate(theta)
    return ll, grad, (scores if want_scores else None)


# -- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class TradeOff:
    numerator: str
    denominator: str
    value: float
    se: float

    @property
    def interval(self) -> tuple[float, float]:
        return (self.value - 1.959963984540054 * self.se, self.value + 1.959963984540054 * self.se)


RESULTS_FORMAT = "safereport.choice.results/1"


@dataclass(frozen=True)
class EstimationResults:
    """Everything an estimate produces; JSON round-trips through to_dict/from_dict."""

    model: str
    coefficient_names: tuple[str, ...]
    spec: ModelSpec
    parameter_names: tuple[str, ...]
    estimates: FloatArray
    robust_covariance: FloatArray
    covariance: FloatArray
    log_likelihood: float
    null_log_likelihood: float
    n_tasks: int
    n_respondents: int
    n_draws: int
    draw_seed: int | None
    cluster: str
    converged: bool
    iterations: int
    message: str
    seconds: float
    gradient_norm: float
    experiment: Mapping[str, Any] | None = None

    # -- summary statistics ----------------------------------------------------------
    @property
    def n_parameters(self) -> int:
        return len(self.parameter_names)

    @property
    def robust_se(self) -> FloatArray:
        return np.sqrt(np.clip(np.diag(self.robust_covariance), 0.0, None))

    @property
    def se(self) -> FloatArray:
        return np.sqrt(np.clip(np.diag(self.covariance), 0.0, None))

    @property
    def rho_squared(self) -> float:
        return 1.0 - self.log_likelihood / self.null_log_likelihood

    @property
    def adjusted_rho_squared(self) -> float:
        return 1.0 - (self.log_likelihood - self.n_parameters) / self.null_log_likelihood

    @property
    def aic(self) -> float:
        return 2.0 * self.n_parameters - 2.0 * self.log_likelihood

    @property
    def bic(self) -> float:
        """BIC with the number of answered tasks as the sample size."""
        return self.n_parameters * float(np.log(self.n_tasks)) - 2.0 * self.log_likelihood

    def estimate(self, name: str) -> float:
        return float(self.estimates[self._index(name)])

    def _index(self, name: str) -> int:
        try:
            return self.parameter_names.index(name)
        except ValueError:
            raise EstimationError(f"no parameter named {name!r}") from None

    # -- coefficient means and trade-offs -----------------------------------------
    def coefficient_mean(self, coefficient: str) -> tuple[float, FloatArray]:
        """Population mean of a coefficient and its gradient with respect to θ."""
        grad = np.zeros(self.n_parameters)
        d = self.spec.distribution(coefficient)
        if coefficient not in self.coefficient_names:
            raise EstimationError(f"no coefficient named {coefficient!r}")
        if d in (Distribution.FIXED, Distribution.NORMAL):
            i = self._index(coefficient)
            grad[i] = 1.0
            return float(self.estimates[i]), grad
        i = self._index(f"{coefficient}.log_mean")
        j = self._index(f"{coefficient}.log_sd")
        mu, sigma = self.estimates[i], self.estimates[j]
        sign = 1.0 if d is Distribution.LOGNORMAL else -1.0
        mean = sign * float(np.exp(float(mu) + 0.5 * float(sigma) ** 2))
        grad[i] = mean
        grad[j] = mean * sigma
        return mean, grad

    def trade_off(self, numerator: str, denominator: str) -> TradeOff:
        """How many units of ``denominator`` one would give up for ``numerator``:
        ``−E[β_num] / E[β_den]`` with a delta-method robust standard error.

        Example: ``trade_off("data_sharing:firewall", "time_hours")`` is the
        number of extra hours of reporting time that a firewall (rather than
        sharing with immigration enforcement) is worth.
        """
        a, ga = self.coefficient_mean(numerator)
        b, gb = self.coefficient_mean(denominator)
        if b == 0.0:
            raise EstimationError(f"{denominator!r} is zero; no trade-off")
        value = -a / b
        grad = -ga / b + a * gb / b**2
        variance = float(grad @ self.robust_covariance @ grad)
        se = float(np.sqrt(max(variance, 0.0)))
        return TradeOff(numerator, denominator, float(value), se)

    # -- rendering -----------------------------------------------------------------
    def table(self) -> str:
        se = self.robust_se
        lines = [
            f"Model: {self.model}",
            f"Respondents: {self.n_respondents}   tasks: {self.n_tasks}"
            + (
                f"   draws: {self.n_draws} "
                + (
                    f"(scrambled Halton, seed {self.draw_seed})"
                    if self.draw_seed is not None
                    else "(supplied by the caller)"
                )
                if self.n_draws
                else ""
            ),
            f"Log-likelihood: {self.log_likelihood:.4f}   at zero: {self.null_log_likelihood:.4f}",
            f"rho-squared: {self.rho_squared:.4f}   adjusted: {self.adjusted_rho_squared:.4f}",
            f"AIC: {self.aic:.2f}   BIC: {self.bic:.2f}   parameters: {self.n_parameters}",
            f"Converged: {'yes' if self.converged else 'NO'} ({self.iterations} iterations, "
            f"{self.seconds:.1f} s; {self.message})",
            f"Standard errors: robust (sandwich), clustered by {self.cluster}",
            "",
            f"{'parameter':<32} {'estimate':>10} {'rob. s.e.':>10} {'t':>8} {'p':>8}",
            "-" * 72,
        ]
        for name, value, s in zip(self.parameter_names, self.estimates, se, strict=True):
            t = value / s if s > 0 else float("nan")
            p = float(2.0 * special.ndtr(-abs(t))) if np.isfinite(t) else float("nan")
            lines.append(f"{name:<32} {value:>10.4f} {s:>10.4f} {t:>8.2f} {p:>8.4f}")
        return "\n".join(lines)

    def trade_off_table(self, pairs: list[tuple[str, str]]) -> str:
        lines = [
            f"{'trade-off (units of denominator)':<52} {'value':>9} {'s.e.':>8}"
            f" {'95% interval':>22}",
            "-" * 94,
        ]
        for num, den in pairs:
            t = self.trade_off(num, den)
            lo, hi = t.interval
            lines.append(
                f"{num + ' / ' + den:<52} {t.value:>9.3f} {t.se:>8.3f} [{lo:>9.3f}, {hi:>9.3f}]"
            )
        return "\n".join(lines)

    # -- storage -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": RESULTS_FORMAT,
            "model": self.model,
            "coefficient_names": list(self.coefficient_names),
            "spec": self.spec.to_dict(),
            "parameter_names": list(self.parameter_names),
            "estimates": self.estimates.tolist(),
            "robust_covariance": self.robust_covariance.tolist(),
            "covariance": self.covariance.tolist(),
            "log_likelihood": self.log_likelihood,
            "null_log_likelihood": self.null_log_likelihood,
            "n_tasks": self.n_tasks,
            "n_respondents": self.n_respondents,
            "n_draws": self.n_draws,
            "draw_seed": self.draw_seed,
            "cluster": self.cluster,
            "converged": self.converged,
            "iterations": self.iterations,
            "message": self.message,
            "seconds": self.seconds,
            "gradient_norm": self.gradient_norm,
            "experiment": dict(self.experiment) if self.experiment is not None else None,
            "rho_squared": self.rho_squared,
            "aic": self.aic,
            "bic": self.bic,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EstimationResults:
        if not isinstance(data, Mapping) or data.get("format") != RESULTS_FORMAT:
            raise EstimationError(f"not stored results (format must be {RESULTS_FORMAT!r})")
        try:
            names = tuple(str(n) for n in data["parameter_names"])
            k = len(names)
            estimates = np.asarray(data["estimates"], dtype=np.float64)
            robust = np.asarray(data["robust_covariance"], dtype=np.float64)
            cov = np.asarray(data["covariance"], dtype=np.float64)
            if estimates.shape != (k,) or robust.shape != (k, k) or cov.shape != (k, k):
                raise EstimationError("stored results have inconsistent shapes")
            return cls(
                model=str(data["model"]),
                coefficient_names=tuple(str(n) for n in data["coefficient_names"]),
                spec=ModelSpec.from_dict(data.get("spec", {})),
                parameter_names=names,
                estimates=estimates,
                robust_covariance=robust,
                covariance=cov,
                log_likelihood=float(data["log_likelihood"]),
                null_log_likelihood=float(data["null_log_likelihood"]),
                n_tasks=int(data["n_tasks"]),
                n_respondents=int(data["n_respondents"]),
                n_draws=int(data["n_draws"]),
                draw_seed=None if data.get("draw_seed") is None else int(data["draw_seed"]),
                cluster=str(data["cluster"]),
                converged=bool(data["converged"]),
                iterations=int(data["iterations"]),
                message=str(data["message"]),
                seconds=float(data["seconds"]),
                gradient_norm=float(data["gradient_norm"]),
                experiment=data.get("experiment"),
            )
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
            raise EstimationError(f"invalid stored results: {exc}") from exc


# -- estimation ----------------------------------------------------------------------


def _sandwich(hessian: FloatArray, scores: FloatArray) -> tuple[FloatArray, FloatArray]:
    try:
        h_inv = np.linalg.inv(hessian)
    except np.linalg.LinAlgError as exc:
        raise EstimationError("the Hessian is singular: some parameter is not identified") from exc
    if not np.all(np.isfinite(h_inv)):
        raise EstimationError("the Hessian is singular: some parameter is not identified")
    meat = scores.T @ scores
    robust = h_inv @ meat @ h_inv
    return 0.5 * (robust + robust.T), -0.5 * (h_inv + h_inv.T)


def _minimise(
    fun: Callable[[FloatArray], tuple[float, FloatArray]],
    start: FloatArray,
    method: str,
    gtol: float,
    max_iterations: int,
    progress: ProgressCallback | None,
    hessian: Callable[[FloatArray], FloatArray] | None = None,
) -> optimize.OptimizeResult:
    """Minimise ``fun`` (value and gradient) from ``start``.

    ``trust-exact`` is Newton's method in a trust region with the exact
    ``hessian``; ``BFGS`` and ``L-BFGS-B`` build their own curvature from
    gradients."""
    count = [0]

    def callback(*_args: Any) -> None:
        count[0] += 1
        if progress is not None:
            progress(count[0], max_iterations)

    options: dict[str, Any] = {"maxiter": max_iterations, "gtol": gtol}
    if method == "L-BFGS-B":
        options = {"maxiter": max_iterations, "gtol": gtol, "ftol": 1e-15, "maxcor": 30}
    elif method not in ("BFGS", "trust-exact"):
        raise EstimationError("method must be trust-exact, BFGS or L-BFGS-B")
    if method == "trust-exact" and hessian is None:
        raise EstimationError("trust-exact needs the Hessian")
    return optimize.minimize(
        fun,
        start,
        jac=True,
        hess=hessian if method == "trust-exact" else None,
        method=method,
        options=options,
        callback=callback,
    )


def estimate_conditional_logit(
    panel: Panel,
    *,
    start: Mapping[str, float] | None = None,
    cluster: Literal["respondent", "task"] = "respondent",
    method: str = "BFGS",
    gtol: float = 1e-8,
    max_iterations: int = 500,
    progress: ProgressCallback | None = None,
    experiment: Mapping[str, Any] | None = None,
) -> EstimationResults:
    """Conditional (multinomial) logit by maximum likelihood."""
    names = panel.coefficient_names
    theta0 = np.asarray([float((start or {}).get(n, 0.0)) for n in names])
    scale = 1.0 / panel.n_respondents
    began = time.perf_counter()

    def fun(theta: FloatArray) -> tuple[float, FloatArray]:
        ll, grad, _ = mnl_loglik(panel, theta)
        return -ll * scale, -grad * scale

    result = _minimise(fun, theta0, method, gtol, max_iterations, progress)
    theta = np.asarray(result.x, dtype=np.float64)
    ll, grad, scores = mnl_loglik(panel, theta, scores=cluster)
    assert scores is not None  # noqa: S101 - requested above
    robust, classical = _sandwich(mnl_hessian(panel, theta), scores)
    return EstimationResults(
        model="conditional logit",
        coefficient_names=names,
        spec=ModelSpec(),
        parameter_names=names,
        estimates=theta,
        robust_covariance=robust,
        covariance=classical,
        **_fit_facts(panel, result, ll, grad, began),
        n_draws=0,
        draw_seed=None,
        cluster=cluster,
        experiment=experiment,
    )


def _fit_facts(
    panel: Panel, result: optimize.OptimizeResult, ll: float, grad: FloatArray, began: float
) -> dict[str, Any]:
    """What every estimator reports alike: the likelihoods, the panel's size,
    and how the optimiser ended."""
    return {
        "log_likelihood": ll,
        "null_log_likelihood": panel.null_log_likelihood(),
        "n_tasks": panel.n_tasks,
        "n_respondents": panel.n_respondents,
        "converged": _converged(result, grad, panel.n_respondents),
        "iterations": int(result.nit),
        "message": str(result.message),
        "seconds": time.perf_counter() - began,
        "gradient_norm": float(np.abs(grad).max()),
    }


def _converged(result: optimize.OptimizeResult, grad: FloatArray, n_respondents: int) -> bool:
    """SciPy's verdict, or a negligible gradient: BFGS often ends with "precision
    loss" when it cannot improve an objective that is already at its optimum to
    machine precision; a mean gradient per respondent below 1e-5 counts as
    converged (the message is kept in the results)."""
    return bool(result.success) or float(np.abs(grad).max()) / n_respondents < 1e-5


def mixed_start_values(
    spec: ModelSpec, names: tuple[str, ...], mnl: Mapping[str, float], spread: float = 0.1
) -> dict[str, float]:
    """Start values for a mixed logit from conditional-logit estimates."""
    out: dict[str, float] = {}
    for c in names:
        d = spec.distribution(c)
        b = float(mnl.get(c, 0.0))
        if d is Distribution.FIXED:
            out[c] = b
        elif d is Distribution.NORMAL:
            out[c] = b
            out[f"{c}.sd"] = spread
        else:
            sign = 1.0 if d is Distribution.LOGNORMAL else -1.0
            out[f"{c}.log_mean"] = float(np.log(max(sign * b, 0.01)))
            out[f"{c}.log_sd"] = spread
    return out


def estimate_mixed_logit(
    panel: Panel,
    spec: ModelSpec,
    *,
    n_draws: int = 500,
    seed: int = 0,
    draws: FloatArray | None = None,
    start: Mapping[str, float] | None = None,
    chunk: int | None = None,
    max_chunk_elements: int = 1 << 18,
    threads: int | None = None,
    method: str = "trust-exact",
    gtol: float = 1e-7,
    max_iterations: int = 1000,
    progress: ProgressCallback | None = None,
    experiment: Mapping[str, Any] | None = None,
) -> EstimationResults:
    """Panel mixed logit by maximum simulated likelihood.

    ``draws`` (respondents, R, random coefficients) overrides the default
    scrambled Halton normals; respondents are in sorted order of their index.
    Without ``start``, a conditional logit is estimated first and used.
    Respondents are processed ``chunk`` at a time (by default as many as keep
    a block's tasks x alternatives x draws under ``max_chunk_elements``;
    a block holds a few arrays of that many floats, several more for the
    Hessian) on ``threads`` threads (default: the cores this process may use).
    ``method`` is ``trust-exact`` (Newton steps with the exact Hessian, each
    evaluation computing the Hessian too; few iterations) or ``BFGS`` /
    ``L-BFGS-B`` (gradients only; the exact Hessian once at the end).
    """
    if not spec.is_mixed:
        raise EstimationError("no random coefficient: use estimate_conditional_logit")
    names = panel.coefficient_names
    layout = _Layout.build(spec, names)
    param_names = spec.parameter_names(names)
    d = len(layout.random_cols)
    own_draws = draws is None
    if draws is None:
        draws = halton_normal_draws(panel.n_respondents, n_draws, d, seed)
    draws = np.asarray(draws, dtype=np.float64)
    problem = MixedLogLikelihood(
        panel, layout, draws, chunk=chunk, max_chunk_elements=max_chunk_elements, threads=threads
    )
    n_draws = problem.n_draws
    began = time.perf_counter()
    if start is None:
        mnl = estimate_conditional_logit(panel)
        start = mixed_start_values(spec, names, dict(zip(names, mnl.estimates, strict=True)))
    theta0 = np.asarray([float(start.get(n, 0.0)) for n in param_names])
    scale = 1.0 / panel.n_respondents

    newton = method == "trust-exact"
    last: list[tuple[FloatArray, tuple[float, FloatArray, FloatArray, FloatArray | None]]] = []

    def evaluate(
        theta: FloatArray, with_hessian: bool
    ) -> tuple[float, FloatArray, FloatArray, FloatArray | None]:
        if (
            last
            and np.array_equal(last[0][0], theta)
            and (last[0][1][3] is not None or not with_hessian)
        ):
            return last[0][1]
        values = problem.evaluate(theta, hessian=with_hessian)
        last[:] = [(np.array(theta, copy=True), values)]
        return values

    def fun(theta: FloatArray) -> tuple[float, FloatArray]:
        ll, grad, _, _ = evaluate(theta, newton)
        if not np.isfinite(ll) or not np.all(np.isfinite(grad)):
            return float("inf"), np.zeros_like(theta)
        return -ll * scale, -grad * scale

    def hess(theta: FloatArray) -> FloatArray:
        h = evaluate(theta, True)[3]
        assert h is not None  # noqa: S101 - requested
        return -h * scale

    result = _minimise(fun, theta0, method, gtol, max_iterations, progress, hess)
    theta = np.asarray(result.x, dtype=np.float64)
    ll, grad, scores, hessian = evaluate(theta, True)
    assert hessian is not None  # noqa: S101 - requested above
    robust, classical = _sandwich(hessian, scores)
    return EstimationResults(
        model="panel mixed logit",
        coefficient_names=names,
        spec=spec,
        parameter_names=param_names,
        estimates=theta,
        robust_covariance=robust,
        covariance=classical,
        **_fit_facts(panel, result, ll, grad, began),
        n_draws=n_draws,
        draw_seed=seed if own_draws else None,
        cluster="respondent",
        experiment=experiment,
    )
