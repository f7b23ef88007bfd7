"""Panel mixed logit benchmark: SafeReport's estimator against biogeme 3.3.5.

Usage::

    PYTHONPATH=src /tmp/probe-venv/bin/python bench/choice_bench.py \
        [--respondents 2000] [--tasks 8] [--draws 500] [--biogeme-draws N] \
        [--biogeme-timeout SECONDS] [--quick]

Both estimators fit the same panel mixed logit (9 coefficients of the
barriers experiment; ``data_sharing:firewall`` normal, ``time_hours``
negative lognormal: 11 parameters) on the same synthetic data (respondents x
tasks x 3 alternatives: two report options and "I would not report"), with
the *same* scrambled-Halton draws (biogeme receives them through a
user-defined generator) and the same start values (conditional-logit
estimates, spreads 0.1), so both maximise the same simulated likelihood.

Each estimator runs in its own subprocess (data and draws are handed over in
an ``.npz`` file); the time shown is the estimation alone (import and data
loading excluded, reported separately as "process wall"), including each
package's standard errors (ours: Newton steps in a trust region with the
exact analytic Hessian, then the robust sandwich from that Hessian and the
per-respondent scores; biogeme: its own trust region with its analytic
Hessian, then its robust sandwich). Ours uses the threads of all cores the
process may use (``--threads`` to change); biogeme's JAX uses its own.
Peak memory is each subprocess's maximum resident set size, read from
``os.wait4`` (the per-child form of ``getrusage(RUSAGE_CHILDREN)``).

Honesty rules: if biogeme runs with fewer draws than ours (``--biogeme-draws``)
or hits its time cap (``--biogeme-timeout``), the output says so and the
ratio is marked as not like for like. The load average is printed before
and after, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

TRUE = {
    "data_sharing:protocol": 0.4,
    "data_sharing:firewall": 1.2,
    "data_sharing:firewall.sd": 0.8,
    "channel:online": 0.1,
    "channel:support_org": 0.5,
    "interpreter:yes": 0.6,
    "specialist_worker:yes": 0.5,
    "believed:yes": 0.9,
    "time_hours.log_mean": float(np.log(0.15)),
    "time_hours.log_sd": 0.5,
    "no_report": 0.3,
}


def _spec():  # type: ignore[no-untyped-def]
    from safereport.core.choice import Distribution, ModelSpec

    return ModelSpec(
        {
            "data_sharing:firewall": Distribution.NORMAL,
            "time_hours": Distribution.NEGATIVE_LOGNORMAL,
        }
    )


def _load(path: Path):  # type: ignore[no-untyped-def]
    from safereport.core.choice import BARRIERS_EXPERIMENT, Panel

    stored = np.load(path)
    panel = Panel.from_arrays(
        stored["x"], stored["chosen"], stored["respondent"], BARRIERS_EXPERIMENT.coefficient_names
    )
    start = json.loads(str(stored["start"]))
    return panel, stored["draws"], start


def worker(kind: str, data: Path, out: Path, biogeme_draws: int, threads: int | None) -> None:
    panel, draws, start = _load(data)
    spec = _spec()
    if kind == "ours":
        from safereport.core.choice import estimate_mixed_logit

        began = time.perf_counter()
        results = estimate_mixed_logit(panel, spec, draws=draws, start=start, threads=threads)
        seconds = time.perf_counter() - began
        payload = {
            "seconds": seconds,
            "log_likelihood": results.log_likelihood,
            "estimates": dict(
                zip(results.parameter_names, results.estimates.tolist(), strict=True)
            ),
            "robust_se": dict(
                zip(results.parameter_names, results.robust_se.tolist(), strict=True)
            ),
            "iterations": results.iterations,
            "converged": results.converged,
            "threads": threads or _default_threads(),
        }
    else:
        sys.path.insert(0, str(ROOT / "tests" / "core" / "choice"))
        import biogeme.biogeme  # noqa: F401 - import (about 7 s) before the clock starts
        from _biogeme_reference import fit_with_biogeme

        with tempfile.TemporaryDirectory() as workdir:
            began = time.perf_counter()
            fit = fit_with_biogeme(
                panel,
                spec,
                workdir=Path(workdir),
                draws=np.ascontiguousarray(draws[:, :biogeme_draws, :]),
                start=start,
                tolerance=1e-7,
                # biogeme's default 'full' analytic Hessian refuses this size (its own
                # memory estimate exceeds its budget); 'automatic' picks 'chunked'.
                parameters={"analytical_hessian_mode": "automatic"},
            )
            seconds = time.perf_counter() - began
        payload = {
            "seconds": seconds,
            "log_likelihood": fit.log_likelihood,
            "estimates": fit.estimates,
            "robust_se": fit.robust_se,
            "iterations": None,
        }
    out.write_text(json.dumps(payload), encoding="utf-8")


def _run_child(args: list[str], timeout: float | None) -> tuple[float, float, bool, int]:
    """Run a worker; return (process wall s, max RSS MiB, timed out, exit status)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    began = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, *args], env=env, stdout=subprocess.DEVNULL
    )
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if timeout is not None and time.perf_counter() - began > timeout:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.2)
    wall = time.perf_counter() - began
    return wall, usage.ru_maxrss / 1024.0, timed_out, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--tasks", type=int, default=8)
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--biogeme-draws", type=int, default=None)
    parser.add_argument("--biogeme-timeout", type=float, default=900.0)
    parser.add_argument("--skip-biogeme", action="store_true")
    parser.add_argument("--quick", action="store_true", help="300 respondents, 100 draws")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None, help="our estimator's threads")
    parser.add_argument("--worker", choices=["ours", "biogeme"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        worker(args.worker, args.data, args.out, args.biogeme_draws or 0, args.threads)
        return
    if args.quick:
        args.respondents, args.draws = 300, 100
    biogeme_draws = min(args.biogeme_draws or args.draws, args.draws)

    from safereport.core.choice import (
        estimate_conditional_logit,
        generate_design,
        halton_normal_draws,
        panel_from_data,
    )
    from safereport.core.choice.estimation import mixed_start_values
    from safereport.core.choice.synthetic import synthetic_responses

    spec = _spec()
    design = generate_design(n_sets=3 * args.tasks, n_blocks=3, seed=args.seed, starts=2)
    data = synthetic_responses(design, args.respondents, TRUE, spec=spec, seed=args.seed)
    panel = panel_from_data(data)
    draws = halton_normal_draws(panel.n_respondents, args.draws, 2, seed=args.seed)
    mnl = estimate_conditional_logit(panel)
    start = mixed_start_values(
        spec, panel.coefficient_names, dict(zip(mnl.parameter_names, mnl.estimates, strict=True))
    )

    print(f"load average before (1, 5, 15 min): {_load_average()}")
    print(
        f"Panel mixed logit: {panel.n_respondents} respondents x {args.tasks} tasks x "
        f"{panel.n_alternatives} alternatives ({panel.n_tasks} choice tasks), "
        f"{len(start)} parameters, 2 random coefficients"
    )
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / "data.npz"
        np.savez(
            data_path,
            x=panel.x,
            chosen=panel.chosen,
            respondent=panel.respondent,
            draws=draws,
            start=json.dumps(start),
        )
        rows = []
        runs = [("ours", "SafeReport (NumPy/SciPy)", args.draws, None)]
        if not args.skip_biogeme:
            runs.append(("biogeme", "biogeme 3.3.5 (JAX)", biogeme_draws, args.biogeme_timeout))
        for kind, label, n_draws, timeout in runs:
            out = Path(tmp) / f"{kind}.json"
            child = ["--worker", kind, "--data", str(data_path), "--out", str(out)]
            child += ["--biogeme-draws", str(n_draws)]
            if args.threads:
                child += ["--threads", str(args.threads)]
            print(f"running {label} with {n_draws} draws ...", flush=True)
            wall, rss, timed_out, code = _run_child(child, timeout)
            payload = json.loads(out.read_text()) if out.exists() else None
            rows.append((kind, label, n_draws, wall, rss, timed_out, code, payload))

    print()
    print(
        f"{'estimator':<26} {'draws':>6} {'estimation s':>13} {'process wall s':>15} "
        f"{'peak RSS MiB':>13} {'log-likelihood':>16}"
    )
    print("-" * 94)
    for _kind, label, n_draws, wall, rss, timed_out, code, payload in rows:
        est = f"{payload['seconds']:.1f}" if payload else "-"
        ll = f"{payload['log_likelihood']:.4f}" if payload else "-"
        note = " (TIME CAP HIT, killed)" if timed_out else (f" (exit {code})" if code else "")
        print(f"{label:<26} {n_draws:>6} {est:>13} {wall:>15.1f} {rss:>13.0f} {ll:>16}{note}")

    ours = rows[0][7]
    if ours:
        print(
            f"ours: {ours['iterations']} Newton (trust-region) iterations, "
            f"{ours['threads']} threads, converged: {ours['converged']}"
        )
    if len(rows) == 2:
        bio = rows[1]
        bio_payload = bio[7]
        print()
        if bio[5]:
            print(
                f"biogeme did not finish within its {args.biogeme_timeout:.0f} s cap; "
                f"the ratio below is a lower bound on biogeme's time."
            )
            ratio_time = bio[3]
        else:
            ratio_time = bio_payload["seconds"] if bio_payload else float("nan")
        like_for_like = biogeme_draws == args.draws and not bio[5]
        if ours:
            print(
                f"time ratio biogeme / ours: {ratio_time / ours['seconds']:.2f}"
                + ("" if like_for_like else "  (NOT like for like: see notes)")
            )
            print(f"peak memory ratio biogeme / ours: {bio[4] / rows[0][4]:.2f}")
        print(
            "note: biogeme runs with analytical_hessian_mode='automatic' (its default 'full' "
            "refuses 2,000 x 8 x 500 on its own memory estimate); other settings default "
            "except tolerance 1e-7 and no report files."
        )
        if biogeme_draws != args.draws:
            print(f"note: biogeme ran with {biogeme_draws} draws, ours with {args.draws}.")
        if ours and bio_payload and biogeme_draws == args.draws:
            est_gap = {
                k: abs(ours["estimates"][k] - bio_payload["estimates"][k])
                for k in ours["estimates"]
            }
            se_gap = {
                k: abs(ours["robust_se"][k] / bio_payload["robust_se"][k] - 1)
                for k in ours["robust_se"]
            }
            worst_est, worst_se = max(est_gap, key=est_gap.get), max(se_gap, key=se_gap.get)  # type: ignore[arg-type]
            print(
                f"agreement: max |estimate difference| {est_gap[worst_est]:.2e} ({worst_est}), "
                f"max relative robust s.e. difference {se_gap[worst_se]:.2e} ({worst_se}); "
                "targets 1e-3 and 1e-2: "
                + ("met" if est_gap[worst_est] <= 1e-3 and se_gap[worst_se] <= 1e-2 else "NOT MET")
            )
    print(f"load average after (1, 5, 15 min): {_load_average()}")


def _load_average() -> str:
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


def _default_threads() -> int:
    from safereport.core.choice.estimation import _default_threads as default

    return default()


if __name__ == "__main__":
    main()
