"""``safereport restore``: restore a backup into a new database and replay deletions.

    safereport restore FILE --key PRIVATE_KEY_FILE --log EXPORT_OR_SITE_URL [--replace]

Checks the whole file before touching anything; refuses one that does not
decrypt or verify, one older than its retention window, one from another
schema, and a database that is not empty (unless --replace: everything in it
is deleted first, in the restore's transaction). Then loads it, brings the log up
to the public log (a `safereport ledger export` file or the live site's URL,
verified against the backup's saved tree head) and shreds again every
restored report that the log records as deleted since. docs/operations.md
"Backups" has the procedure.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safereport.backups import archive
from safereport.core.backup import BackupError, parse_private_key


class Command(BaseCommand):
    help = "Restore an encrypted backup into an empty database, replaying later deletions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--key", required=True, help="file holding the backup private key")
        parser.add_argument(
            "--log",
            required=True,
            help="the public log: a `safereport ledger export` file or the site's URL",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete everything in this database first (in the same transaction)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            private_key = parse_private_key(Path(options["key"]).read_text(encoding="ascii"))
        except OSError as error:
            raise CommandError(f"cannot read the key file: {error.strerror}") from None
        except (BackupError, UnicodeDecodeError) as error:
            raise CommandError(f"the key file is refused: {error}") from None
        started = time.perf_counter()
        try:
            result = archive.restore(
                Path(options["file"]),
                private_key,
                log_source=options["log"],
                now=timezone.now(),
                replace=options["replace"],
            )
        except archive.RestoreRefused as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Restored {result.objects} rows and {len(result.files)} files from the backup of "
            f"{result.manifest['created_at']} in {seconds:.1f} s; the log now has "
            f"{result.tree_size} entries ({result.log_entries_added} added from the public log); "
            f"{len(result.reshredded)} reports deleted since the backup were shredded again."
        )
