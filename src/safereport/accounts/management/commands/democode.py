from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safereport.accounts.demo import STAFF


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (demo mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo codes do not exist in production mode.")
        if username not in {person.username for person in STAFF}:
            raise CommandError(f"{username!r} is not a demo account.")
        device = TOTPDevice.objects.filter(user__username=username, name="authenticator").first()
        if device is None:
            raise CommandError("Run `safereport demo` first.")
        self.stdout.write(
            f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        )
