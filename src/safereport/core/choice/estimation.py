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

Analytic gradient: with ``w_nr = Π_t P_t(β_nr)`` and ``g_nr = ∂ log w_nr / ∂β``,
``∂ log L_n / ∂θ = Σ_r w_nr (∂β_nr/∂θ)ᵀ g_nr / Σ_r w_nr``. Because
``g_nr = Σ_t (x_tc − Σ_j P_trj x_tj)``, the coefficients whose chain-rule
multiplier is 1 (fixed coefficients, normal means) need only the per-task
weights ``A_tj = Σ_r w_nr P_trj``, contracted with ``x`` once at the end; the
other multipliers (z for normal spreads, β and βz for lognormals) touch only
the random columns of ``g_nr`` at the respondent × draw level. The cost per
evaluation is ``O(tasks × draws × alternatives × (1 + random coefficients))``.

Bounded memory: draws are processed in batches; per respondent we keep the
running sums ``Σ_r w_nr`` and the per-task weights ``A`` for the draws seen so
far, rescaled by a running maximum of ``log w_nr`` so that long panels do not
underflow. Peak memory is ``O(tasks × alternatives × batch)`` plus the draws
themselves (``N × R × d`` numbers), never ``tasks × alternatives × R``.

Standard errors: the robust (sandwich) covariance ``H⁻¹ B H⁻¹`` where ``H`` is
the Hessian of LL (analytic for the conditional logit, central finite
differences of the analytic gradient for the mixed logit) and ``B = Σ_n s_n
s_nᵀ`` sums outer products of per-respondent scores (the panel is the
cluster; for the conditional logit ``cluster="task"`` uses per-task scores
instead, which is what non-panel software reports). The classical covariance
``−H⁻¹`` is kept as well.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special
from scipy.stats import qmc

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


def _random_betas(
    layout: _Layout, theta: FloatArray, z: FloatArray
) -> tuple[FloatArray, list[tuple[int, int, FloatArray]]]:
    """β for the random coefficients (N, B, d) and chain multipliers.

    Returns the betas and a list of ``(θ index, random dim, multiplier (N,B))``
    for every θ entry whose derivative is not simply 1 times the coefficient's
    gradient (spreads, lognormal means).
    """
    betas = np.empty(z.shape)
    chain: list[tuple[int, int, FloatArray]] = []
    for d, (col, kind) in enumerate(zip(layout.random_cols, layout.kinds, strict=True)):
        mu = theta[col]
        sigma = theta[layout.spread_pos[d]]
        zd = z[:, :, d]
        if kind is Distribution.NORMAL:
            betas[:, :, d] = mu + sigma * zd
            chain.append((int(layout.spread_pos[d]), d, zd))
        else:
            sign = 1.0 if kind is Distribution.LOGNORMAL else -1.0
            b = sign * np.exp(np.minimum(mu + sigma * zd, _EXP_CAP))
            betas[:, :, d] = b
            chain.append((int(col), d, b))
            chain.append((int(layout.spread_pos[d]), d, b * zd))
    return betas, chain


def mixed_loglik(
    panel: Panel,
    layout: _Layout,
    theta: FloatArray,
    draws: FloatArray,
    *,
    batch_size: int,
    want_scores: bool = False,
) -> tuple[float, FloatArray, FloatArray | None]:
    """Simulated panel log-likelihood, its gradient and per-respondent scores.

    Arrays are laid out alternative-first, ``(J, tasks, draws)``, so that the
    sums over the few alternatives are element-wise operations.
    """
    n_resp = panel.n_respondents
    n_draws = draws.shape[1]
    n_alt = panel.n_alternatives
    resp = panel.respondent
    starts = panel.starts
    rc = layout.random_cols
    xt = np.ascontiguousarray(panel.x.transpose(1, 0, 2))  # (J, T, K)
    x_rand = [[np.ascontiguousarray(xt[j, :, c])[:, None] for c in rc] for j in range(n_alt)]
    beta_fixed = theta[: layout.n_coef].copy()
    beta_fixed[rc] = 0.0
    v_fixed = [(xt[j] @ beta_fixed)[:, None] for j in range(n_alt)]  # (T, 1) each
    chosen_mask = [(panel.chosen == j)[:, None] for j in range(n_alt)]
    x_rand_chosen = [
        np.add.reduceat(panel.chosen_x()[:, c], starts)[:, None] for c in rc
    ]  # Σ_t x_tc for each random column, (N, 1)

    run_max = np.full(n_resp, -np.inf)
    total = np.zeros(n_resp)  # Σ_r w_nr (scaled by the running maximum)
    acc_base = np.zeros((n_alt, panel.n_tasks))  # Σ_r w_nr P_trj
    chain_pos: list[int] = []
    chain_acc: list[FloatArray] = []

    for b0 in range(0, n_draws, batch_size):
        z = draws[:, b0 : b0 + batch_size, :]
        betas, chain = _random_betas(layout, theta, z)
        betas_t = betas[resp]  # (T, B, d)
        v = []
        for j in range(n_alt):
            vj = v_fixed[j] + x_rand[j][0] * betas_t[:, :, 0] if len(rc) else v_fixed[j]
            for d in range(1, len(rc)):
                vj = vj + x_rand[j][d] * betas_t[:, :, d]
            v.append(np.broadcast_to(vj, (panel.n_tasks, z.shape[1])))
        vmax = v[0]
        for j in range(1, n_alt):
            vmax = np.maximum(vmax, v[j])
        e = [np.exp(vj - vmax) for vj in v]
        s = e[0]
        for j in range(1, n_alt):
            s = s + e[j]
        v_chosen = np.zeros_like(vmax)
        for j in range(n_alt):
            v_chosen = np.where(chosen_mask[j], v[j], v_chosen)
        log_pc = v_chosen - vmax - np.log(s)
        log_w = np.add.reduceat(log_pc, starts, axis=0)  # (N, B)
        new_max = np.maximum(run_max, log_w.max(axis=1))
        rescale = np.exp(run_max - new_max)  # 0 on the first batch
        run_max = new_max
        w = np.exp(log_w - new_max[:, None])  # (N, B)
        total = total * rescale + w.sum(axis=1)
        w_over_s = w[resp] / s  # (T, B): w_nr / Σ_j e_trj
        rescale_t = rescale[resp]
        for j in range(n_alt):
            acc_base[j] = acc_base[j] * rescale_t + (w_over_s * e[j]).sum(axis=1)
        if not chain:
            continue
        # g_nr for each random column: Σ_t x_tc - Σ_t Σ_j P_trj x_tj, shape (N, B)
        p = [ej / s for ej in e]
        g_rand = []
        for d in range(len(rc)):
            expected = p[0] * x_rand[0][d]
            for j in range(1, n_alt):
                expected = expected + p[j] * x_rand[j][d]
            g_rand.append(x_rand_chosen[d] - np.add.reduceat(expected, starts, axis=0))
        if not chain_pos:
            chain_pos = [pos for pos, _, _ in chain]
            chain_acc = [np.zeros(n_resp) for _ in chain]
        for i, (_, d, mult) in enumerate(chain):
            chain_acc[i] = chain_acc[i] * rescale + (w * mult * g_rand[d]).sum(axis=1)

    ll_n = run_max + np.log(total) - np.log(n_draws)
    ll = float(ll_n.sum())
    scores = np.zeros((n_resp, layout.n_params))
    # Every coefficient column with multiplier 1 (fixed coefficients, normal means);
    # lognormal means and all spreads are overwritten from the chain accumulators.
    per_task = np.einsum("tk,t->tk", panel.chosen_x(), total[resp])
    for j in range(n_alt):
        per_task -= xt[j] * acc_base[j][:, None]
    scores[:, : layout.n_coef] = np.add.reduceat(per_task, starts, axis=0)
    for pos, acc in zip(chain_pos, chain_acc, strict=True):
        scores[:, pos] = acc
    scores /= total[:, None]
    grad = scores.sum(axis=0)
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
) -> optimize.OptimizeResult:
    count = [0]

    def callback(*_args: Any) -> None:
        count[0] += 1
        if progress is not None:
            progress(count[0], max_iterations)

    options: dict[str, Any] = {"maxiter": max_iterations, "gtol": gtol}
    if method == "L-BFGS-B":
        options = {"maxiter": max_iterations, "gtol": gtol, "ftol": 1e-15, "maxcor": 30}
    elif method != "BFGS":
        raise EstimationError("method must be BFGS or L-BFGS-B")
    return optimize.minimize(
        fun, start, jac=True, method=method, options=options, callback=callback
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


def _default_batch(panel: Panel, n_draws: int, max_batch_elements: int) -> int:
    return int(max(1, min(n_draws, max_batch_elements // panel.n_tasks)))


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
    batch_size: int | None = None,
    max_batch_elements: int = 320_000,
    method: str = "BFGS",
    gtol: float = 1e-7,
    max_iterations: int = 1000,
    progress: ProgressCallback | None = None,
    experiment: Mapping[str, Any] | None = None,
) -> EstimationResults:
    """Panel mixed logit by maximum simulated likelihood.

    ``draws`` (respondents, R, random coefficients) overrides the default
    scrambled Halton normals; respondents are in sorted order of their index.
    Without ``start``, a conditional logit is estimated first and used.
    Draws are processed ``batch_size`` at a time (by default as many as keep
    tasks x batch under ``max_batch_elements``; each batch holds about twenty
    arrays of that many floats).
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
    if draws.shape[0] != panel.n_respondents or draws.shape[2] != d:
        raise EstimationError(f"draws must have shape ({panel.n_respondents}, R, {d})")
    n_draws = int(draws.shape[1])
    batch = batch_size or _default_batch(panel, n_draws, max_batch_elements)
    began = time.perf_counter()
    if start is None:
        mnl = estimate_conditional_logit(panel)
        start = mixed_start_values(spec, names, dict(zip(names, mnl.estimates, strict=True)))
    theta0 = np.asarray([float(start.get(n, 0.0)) for n in param_names])
    scale = 1.0 / panel.n_respondents

    def fun(theta: FloatArray) -> tuple[float, FloatArray]:
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            ll, grad, _ = mixed_loglik(panel, layout, theta, draws, batch_size=batch)
        if not np.isfinite(ll) or not np.all(np.isfinite(grad)):
            return float("inf"), np.zeros_like(theta)
        return -ll * scale, -grad * scale

    result = _minimise(fun, theta0, method, gtol, max_iterations, progress)
    theta = np.asarray(result.x, dtype=np.float64)
    ll, grad, scores = mixed_loglik(panel, layout, theta, draws, batch_size=batch, want_scores=True)
    assert scores is not None  # noqa: S101 - requested above
    hessian = _finite_difference_hessian(
        lambda t: mixed_loglik(panel, layout, t, draws, batch_size=batch)[1], theta
    )
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


def _finite_difference_hessian(
    gradient: Callable[[FloatArray], FloatArray], theta: FloatArray
) -> FloatArray:
    """Central differences of an analytic gradient, symmetrised."""
    k = theta.shape[0]
    hessian = np.empty((k, k))
    for i in range(k):
        h = 1e-5 * max(1.0, abs(float(theta[i])))
        up, down = theta.copy(), theta.copy()
        up[i] += h
        down[i] -= h
        hessian[:, i] = (gradient(up) - gradient(down)) / (2.0 * h)
    return 0.5 * (hessian + hessian.T)
