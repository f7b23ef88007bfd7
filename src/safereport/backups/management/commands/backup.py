"""``safereport backup``: write one encrypted backup file.

    safereport backup [--to FILE]        # default: SAFEREPORT_BACKUP_DIR/safereport-<time>.srbackup
    safereport backup --new-key FILE     # make an offline key pair: FILE gets the private half

The file holds the database, the data folder's non-secret files and a
manifest, sealed to SAFEREPORT_BACKUP_PUBLIC_KEY; see docs/operations.md
"Backups". Without the public key it refuses to run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safereport.backups import archive
from safereport.core.backup import BackupError, new_key_pair


class Command(BaseCommand):
    help = "Write an encrypted backup (database, data folder, manifest) sealed to the backup key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", help="where to write it (default: the backup folder)")
        parser.add_argument(
            "--new-key",
            metavar="FILE",
            help="make a backup key pair: write the private key to FILE, print the public key",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.new_key(Path(options["new_key"]))
            return
        now = timezone.now()
        path = Path(options["to"]) if options["to"] else archive.default_backup_path(now)
        started = time.perf_counter()
        try:
            result = archive.take_backup(path, now=now)
        except BackupError as error:
            raise CommandError(f"no backup written: {error}") from None
        seconds = time.perf_counter() - started
        head = result.manifest["tree_head"]
        self.stdout.write(
            f"Wrote {result.path} ({result.size:,} bytes in {seconds:.1f} s); content "
            f"SHA-256 {result.sha256}; log tree head of size {head['tree_size'] if head else 0}."
        )

    def new_key(self, path: Path) -> None:
        private, public = new_key_pair()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{path} exists already: not overwritten") from None
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(private + "\n")
        self.stdout.write(
            f"Private key written to {path}: keep it offline (it opens every backup).\n"
            f"SAFEREPORT_BACKUP_PUBLIC_KEY={public}"
        )
