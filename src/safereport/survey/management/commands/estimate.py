"""``safereport estimate FILE.csv``: factor weights from exported survey answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safereport.core.choice import (
    BARRIERS_EXPERIMENT,
    ChoiceError,
    DataFormatError,
    Distribution,
    estimate_command,
)
from safereport.survey.management.commands._progress import progress_bar
from safereport.survey.plots import write_estimates_plots

DISTRIBUTIONS = ", ".join(d.value for d in Distribution if d is not Distribution.FIXED)


def parse_random(items: list[str]) -> dict[str, str]:
    """``coefficient=distribution`` pairs, checked against the experiment."""
    names = BARRIERS_EXPERIMENT.coefficient_names
    random: dict[str, str] = {}
    for item in items:
        coefficient, sep, distribution = item.partition("=")
        if not sep:
            raise CommandError(f"--random {item!r}: write it as COEFFICIENT=DISTRIBUTION")
        if coefficient not in names:
            raise CommandError(
                f"--random {item!r}: no coefficient {coefficient!r} "
                f"(the coefficients are {', '.join(names)})"
            )
        try:
            kind = Distribution(distribution)
        except ValueError:
            kind = None
        if kind is None or kind is Distribution.FIXED:
            raise CommandError(
                f"--random {item!r}: the distribution must be one of {DISTRIBUTIONS}"
            )
        random[coefficient] = kind.value
    return random


class Command(BaseCommand):
    help = (
        "Estimate the factor weights from a long or wide CSV (see `safereport survey export`): "
        "a conditional logit, or a panel mixed logit with --random."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="answers as CSV (long or wide format)")
        parser.add_argument(
            "--random",
            nargs="+",
            default=[],
            metavar="COEFFICIENT=DISTRIBUTION",
            help=f"random coefficients ({DISTRIBUTIONS}), e.g. data_sharing:firewall=normal",
        )
        parser.add_argument("--draws", type=int, default=500, help="Halton draws (mixed logit)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--out", type=Path, default=Path("estimates"), help="folder for results and plots"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        random = parse_random(options["random"])
        if options["draws"] < 1:
            raise CommandError("--draws must be 1 or more")
        try:
            stream = path.open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        try:
            with (
                stream,
                progress_bar(
                    "estimation iterations",
                    enabled=not options["no_progress"],
                    stream=self.stderr._out,
                ) as progress,
            ):
                results, text = estimate_command(
                    stream,
                    random=random,
                    n_draws=options["draws"],
                    seed=options["seed"],
                    progress=progress,
                )
        except DataFormatError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not a UTF-8 text file ({exc.reason})") from exc
        except ChoiceError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        out: Path = options["out"]
        try:
            out.mkdir(parents=True, exist_ok=True)
            (out / "results.json").write_text(
                json.dumps(results.to_dict(), indent=2) + "\n", encoding="utf-8"
            )
            (out / "estimates.txt").write_text(text + "\n", encoding="utf-8")
            plots = write_estimates_plots(results, out)
        except OSError as exc:
            raise CommandError(f"cannot write into {out}: {exc.strerror}") from exc
        self.stdout.write(text)
        self.stdout.write("")
        for written in [out / "results.json", out / "estimates.txt", *plots]:
            self.stdout.write(f"wrote {written}")
        if not results.converged:
            raise CommandError("the estimation did not converge; the results were written anyway")
