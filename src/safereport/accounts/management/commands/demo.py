from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safereport.accounts.demo import DEMO_PASSWORD, seed_demo
from safereport.core.choice import generate_design
from safereport.survey.actions import current_design, do_store_survey_design


class Command(BaseCommand):
    help = "Create the demo organisations and staff (idempotent) and print their logins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000/",
            help="Where the demo will be served, for the addresses it prints.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo cannot be installed in production mode.")
        logins = seed_demo()
        if current_design() is None:
            # The barriers survey opens with a stored design (see `safereport survey design`).
            do_store_survey_design(generate_design(seed=0), acting_user=None)
        out = self.stdout
        out.write(self.style.SUCCESS("SafeReport demo is ready. Everything in it is fictional."))
        out.write("")
        site = options["site_url"].rstrip("/")
        out.write(f"Public site:   {site}/")
        out.write(f"Staff sign-in: {site}/staff/login/")
        out.write(f"Barriers survey: {site}/en/survey/")
        out.write(f"Password for every demo account: {DEMO_PASSWORD}")
        out.write(
            "Second factor: add the secret to an authenticator app, or type a backup code "
            "(each works once; `safereport demo` restores them), or run "
            "`safereport democode USERNAME` for the current code."
        )
        out.write("")
        header = (
            f"{'username':<11} {'role':<15} {'organisation':<32} {'TOTP secret':<34} backup codes"
        )
        out.write(header)
        out.write("-" * len(header))
        for login in logins:
            staff = login.staff
            org = staff.organisation.name if staff.organisation else ""
            out.write(
                f"{staff.username:<11} {staff.role:<15} {org:<32} "
                f"{login.enrolment.totp_secret_base32:<34} "
                f"{' '.join(login.enrolment.backup_codes[:3])}"
            )
        founded = [
            login for login in logins if login.enrolment.organisation_recovery_secret is not None
        ]
        if founded:
            out.write("")
            out.write(
                "Organisation recovery secrets (shown once, never stored; "
                "they open every report of the organisation):"
            )
            for login in founded:
                org = login.staff.organisation.name if login.staff.organisation else ""
                out.write(f"  {org:<32} {login.enrolment.organisation_recovery_secret}")
