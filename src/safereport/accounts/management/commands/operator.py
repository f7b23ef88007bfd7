"""`safereport operator USERNAME`: an account for whoever runs this installation.

It signs in at /staff/ like staff, sees the list of organisations (never
case data) and creates organisations on a page, as `safereport organisation
create` does. The password is read from standard input; the authenticator
secret and backup codes are printed once."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safereport.accounts.actions import ActionRefused
from safereport.accounts.onboarding import do_create_operator


class Command(BaseCommand):
    help = "Create a platform operator account (password from standard input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--display-name", default="Platform operator")

    def handle(self, *args: Any, username: str, display_name: str, **options: Any) -> None:
        if sys.stdin.isatty():
            self.stderr.write("Type the new password, then Enter:")
        password = sys.stdin.readline().rstrip("\n")
        try:
            _, secret, codes = do_create_operator(
                username=username, display_name=display_name, password=password, acting_user=None
            )
        except ActionRefused as refused:
            raise CommandError(str(refused)) from None
        except ValidationError as problems:
            raise CommandError(" ".join(problems.messages)) from None
        self.stdout.write(f"Operator {username} created. Authenticator secret (shown once):")
        self.stdout.write(f"  {secret}")
        self.stdout.write("Backup codes (shown once): " + " ".join(codes))
