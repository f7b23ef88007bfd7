"""``safereport firewall check [POLICY.cedar] [--full] [--workers N]``.

Proves the firewall's invariants over the whole decision space
(``safereport.core.policy.check.run_check``) and exits non-zero when any is
violated (1) or the policy does not load (2). Without a file it checks the
published policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safereport.core.policy.check import default_workers, run_check


class Command(BaseCommand):
    help = "Firewall tools. `check` proves every invariant of the policy over the decision space."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser("check", help="prove the invariants; non-zero exit on a violation")
        check.add_argument("policy", nargs="?", help="a policy file (default: the published one)")
        check.add_argument("--full", action="store_true", help="evaluate every decision")
        check.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="processes to use (default: the cores this machine gives the command)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = None
        if options["policy"]:
            path = Path(options["policy"])
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"cannot read {path}: {error.strerror}", returncode=2) from None
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1", returncode=2)
        code = run_check(text, out=self.stdout, full=options["full"], workers=options["workers"])
        if code == 1:
            raise CommandError("the firewall policy violates an invariant", returncode=1)
        if code != 0:
            raise CommandError("the firewall policy does not load", returncode=code)
