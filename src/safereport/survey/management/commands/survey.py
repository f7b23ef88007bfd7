"""``safereport survey design`` and ``safereport survey export``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safereport.core.choice import ChoiceError, design_command, export_command
from safereport.survey.actions import do_record_survey_export, do_store_survey_design
from safereport.survey.management.commands._progress import progress_bar
from safereport.survey.models import SurveyDesign
from safereport.survey.selectors import choice_data


class Command(BaseCommand):
    help = "The barriers-to-reporting survey: generate and store its design, export answers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{design,export}")
        design = sub.add_parser("design", help="generate a D-efficient design and store it")
        design.add_argument("--sets", type=int, default=24, help="choice sets (default 24)")
        design.add_argument("--blocks", type=int, default=3, help="blocks (default 3)")
        design.add_argument("--seed", type=int, default=0)
        design.add_argument("--starts", type=int, default=4, help="random starts (default 4)")
        design.add_argument(
            "--balanced", action="store_true", help="keep every level equally frequent"
        )
        design.add_argument("--out", type=Path, help="also write the design JSON to this file")
        design.add_argument("--no-progress", action="store_true")
        export = sub.add_parser("export", help="write the answers as CSV")
        export.add_argument("--format", choices=["long", "wide"], default="long")
        export.add_argument("--out", type=Path, help="file to write (default: standard output)")
        export.add_argument("--design", type=int, help="design id (default: the newest)")
        export.add_argument(
            "--completed-only", action="store_true", help="only responses that were finished"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "design":
            self._design(options)
        else:
            self._export(options)

    def _design(self, options: dict[str, Any]) -> None:
        buffer = io.StringIO()
        try:
            with progress_bar(
                "design search", enabled=not options["no_progress"], stream=self.stderr._out
            ) as progress:
                design, table = design_command(
                    buffer,
                    n_sets=options["sets"],
                    n_blocks=options["blocks"],
                    seed=options["seed"],
                    starts=options["starts"],
                    balanced=options["balanced"],
                    progress=progress,
                )
        except ChoiceError as exc:
            raise CommandError(str(exc)) from exc
        stored = do_store_survey_design(design, acting_user=None)
        if options["out"] is not None:
            try:
                options["out"].write_text(buffer.getvalue(), encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write {options['out']}: {exc.strerror}") from exc
        self.stdout.write(table)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored as design {stored.pk}; the public survey now shows it "
                f"({stored.tasks_per_block()} tasks per respondent)."
            )
        )

    def _export(self, options: dict[str, Any]) -> None:
        if options["design"] is not None:
            design = SurveyDesign.objects.filter(pk=options["design"]).first()
            if design is None:
                raise CommandError(f"there is no design {options['design']}")
        else:
            design = SurveyDesign.objects.order_by("-pk").first()
            if design is None:
                raise CommandError("no design is stored yet: run `safereport survey design`")
        data = choice_data(design, completed_only=options["completed_only"])
        if data is None:
            raise CommandError(f"design {design.pk} has no answers to export yet")
        text = io.StringIO()
        n_tasks = export_command(data, text, fmt=options["format"])
        if options["out"] is None:
            self.stdout.write(text.getvalue(), ending="")
        else:
            try:
                options["out"].write_text(text.getvalue(), encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write {options['out']}: {exc.strerror}") from exc
        do_record_survey_export(design, fmt=options["format"], n_tasks=n_tasks, acting_user=None)
        self.stderr.write(
            f"{n_tasks} answered tasks of {len(data.respondent_ids)} respondents "
            f"(design {design.pk}, {options['format']} format)"
            + (f" written to {options['out']}" if options["out"] else "")
        )
