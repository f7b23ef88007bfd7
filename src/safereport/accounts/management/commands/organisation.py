"""`safereport organisation create | recover | list`: the operator's onboarding.

`create` makes an organisation, its key and an invitation for its first
admin; it prints the invitation link and the recovery secret once. The
server never stores the secret: with `--recovery-sheet PATH` a printable
page holding it is written to PATH (and nowhere else), for the
organisation to print and keep offline.

`recover` reads the recovery secret from standard input (never from the
command line, which shells keep in their history) and prints a new admin
invitation that carries the organisation key.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.utils import timezone

from safereport.accounts.actions import ActionRefused, record_event
from safereport.accounts.models import Organisation
from safereport.accounts.onboarding import (
    INVITATION_HOURS,
    do_found_organisation,
    do_recover_organisation,
)
from safereport.core.events import EventKind
from safereport.core.referrals import ReferralKind
from safereport.core.vocabulary import OrgKind


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Command(BaseCommand):
    help = "Create an organisation with its first admin's invitation, or recover one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="a new organisation and its first admin")
        create.add_argument("--kind", required=True, choices=[k.value for k in OrgKind])
        create.add_argument("--name", required=True)
        create.add_argument("--slug", default="", help="public short name (default: from --name)")
        create.add_argument("--areas", default="", help="comma-separated area names")
        create.add_argument("--languages", default="", help="comma-separated codes, e.g. en,es")
        create.add_argument(
            "--referral-kinds",
            default="",
            help="comma-separated: " + ", ".join(k.value for k in ReferralKind),
        )
        create.add_argument("--admin-name", default="Organisation admin")
        create.add_argument("--admin-email", default="")
        create.add_argument(
            "--recovery-sheet",
            type=Path,
            help="write a printable page with the recovery secret to this file",
        )
        recover = sub.add_parser(
            "recover", help="a new admin invitation, opened with the recovery secret"
        )
        recover.add_argument("slug")
        recover.add_argument("--admin-name", default="Organisation admin")
        recover.add_argument("--admin-email", default="")
        sub.add_parser("list", help="organisations, their kind and how many staff (no case data)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            self._create(**options)
        elif action == "recover":
            self._recover(**options)
        else:
            for org in Organisation.objects.order_by("name"):
                active = org.staff.filter(is_active=True).count()
                self.stdout.write(f"{org.slug}\t{org.kind}\t{active} active staff\t{org.name}")

    def _create(self, **options: Any) -> None:
        unknown = set(_list(options["referral_kinds"])) - {k.value for k in ReferralKind}
        if unknown:
            raise CommandError(f"Unknown referral kinds: {', '.join(sorted(unknown))}")
        sheet: Path | None = options["recovery_sheet"]
        if sheet is not None and (sheet.exists() or not sheet.parent.is_dir()):
            raise CommandError(f"{sheet}: choose a new file in an existing folder.")
        try:
            founded = do_found_organisation(
                name=options["name"],
                slug=options["slug"],
                kind=OrgKind(options["kind"]),
                admin_name=options["admin_name"],
                admin_email=options["admin_email"],
                areas=_list(options["areas"]),
                languages=_list(options["languages"]),
                referral_kinds=_list(options["referral_kinds"]),
                acting_user=None,
            )
        except ActionRefused as refused:
            raise CommandError(str(refused)) from None
        org = founded.organisation
        self.stdout.write(f"Created {org.name} ({org.slug}, {org.get_kind_display()}).")
        self.stdout.write("")
        self._print_invitation(founded.invitation.link)
        self.stdout.write("")
        self.stdout.write("Recovery secret (shown once; the server does not keep it):")
        self.stdout.write(f"  {founded.recovery_secret}")
        self.stdout.write(
            "Print it, keep it offline with two trusted people. Without it, an organisation "
            "that loses every admin loses its reports."
        )
        if sheet is not None:
            page = render_to_string(
                "accounts/recovery_sheet.html",
                {
                    "organisation": org,
                    "secret": founded.recovery_secret,
                    "made": timezone.now(),
                },
            )
            descriptor = os.open(sheet, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                out.write(page)
            self.stdout.write(f"Printable recovery sheet: {sheet} (delete it once printed).")

    def _recover(self, **options: Any) -> None:
        org = Organisation.objects.filter(slug=options["slug"]).first()
        if org is None:
            raise CommandError(f"No organisation {options['slug']!r}.")
        if sys.stdin.isatty():
            self.stderr.write("Type the recovery secret, then Enter:")
        secret = sys.stdin.readline().strip()
        try:
            issued = do_recover_organisation(
                org,
                recovery_secret=secret,
                admin_name=options["admin_name"],
                admin_email=options["admin_email"],
                acting_user=None,
            )
        except ActionRefused as refused:
            record_event(EventKind.ORGANISATION_RECOVERED, organisation=org, refused=True)
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Recovered {org.name}. A new admin joins with the key re-granted:")
        self._print_invitation(issued.link)

    def _print_invitation(self, link: str) -> None:
        self.stdout.write(
            f"First admin's invitation (one use, expires in {INVITATION_HOURS} hours):"
        )
        self.stdout.write(f"  {link}")
