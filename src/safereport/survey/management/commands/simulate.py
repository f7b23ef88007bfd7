"""``safereport simulate``: reporting under each data-sharing regime, with plots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safereport.core.choice import ChoiceError
from safereport.core.simulate import simulate_command
from safereport.core.simulate.engine import MAX_MIXING_POINTS, MAX_PARAMETER_DRAWS
from safereport.core.simulate.regimes import MAX_PEOPLE
from safereport.survey.management.commands._progress import progress_bar


class Command(BaseCommand):
    help = (
        "Simulate reporting under the status quo, the Home Office protocol and a complete "
        "firewall, from estimates (--results, written by `safereport estimate`) or, without "
        "them, from clearly labelled illustrative parameters."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--results", type=Path, help="results.json from `safereport estimate`")
        parser.add_argument(
            "--out", type=Path, default=Path("simulation"), help="folder for the table and plots"
        )
        parser.add_argument("--draws", type=int, default=1000, help="Krinsky-Robb draws")
        parser.add_argument(
            "--population-draws",
            type=int,
            default=512,
            help="quasi-Monte Carlo points over the mixing distribution (a power of two)",
        )
        parser.add_argument(
            "--victims", type=int, default=1000, help="per-scenario figures are per this many"
        )
        parser.add_argument(
            "--people",
            type=int,
            default=1_000_000,
            help="victims in the simulated population (illustrative strata)",
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("draws", "population_draws", "victims", "people"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be 1 or more")
        for name, most in (
            ("draws", MAX_PARAMETER_DRAWS),
            ("population_draws", MAX_MIXING_POINTS),
            ("people", MAX_PEOPLE),
        ):
            if options[name] > most:
                raise CommandError(f"--{name.replace('_', '-')} must be at most {most:,}")
        results_path: Path | None = options["results"]
        stream = None
        if results_path is not None:
            try:
                stream = results_path.open(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot read {results_path}: {exc.strerror}") from exc
        try:
            with progress_bar(
                "parameter draws", enabled=not options["no_progress"], stream=self.stderr._out
            ) as progress:
                _result, table, paths = simulate_command(
                    options["out"],
                    results_json=stream,
                    n_parameter_draws=options["draws"],
                    n_population_draws=options["population_draws"],
                    seed=options["seed"],
                    victims=options["victims"],
                    people=options["people"],
                    progress=progress,
                )
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            raise CommandError(f"{results_path}: not valid results JSON ({exc})") from exc
        except ChoiceError as exc:
            raise CommandError(f"{results_path}: {exc}") from exc
        except OSError as exc:
            raise CommandError(f"cannot write into {options['out']}: {exc.strerror}") from exc
        finally:
            if stream is not None:
                stream.close()
        self.stdout.write(table)
        self.stdout.write("")
        for path in paths:
            self.stdout.write(f"wrote {path}")
