"""The restore drill (issue 14): a backup restored after a reporter deleted her
report does not bring it back, on whichever database DATABASE_URL names.

Real components: the backup is taken by the real code from the test database;
`safereport migrate` and `safereport restore` run as other processes against
a second database made for the test (an SQLite file, or a PostgreSQL database
created and dropped here); the restored database is then read with the real
selectors, the reporter's receipt and the caseworker's key.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from nacl.public import PrivateKey

from safereport.accounts import keys
from safereport.backups.archive import take_backup
from safereport.cases.actions import do_shred_for_retention, do_shred_report
from safereport.cases.models import Report
from safereport.cases.selectors import find_by_receipt, open_as_custodian, read_content
from safereport.core.retention import add_months
from safereport.transparency.actions import do_sign_tree_head
from safereport.transparency.models import LogEntry
from sr_testing.personas import unlocked_organisation_key
from sr_testing.reports import submit
from sr_testing.retention import close

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@dataclass
class SecondDatabase:
    url: str
    name: str
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own command
            [str(Path(sys.executable).parent / "safereport"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


def _admin_connection() -> psycopg.Connection:  # type: ignore[type-arg]
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def second_database(tmp_path: Path) -> Iterator[SecondDatabase]:
    """A new database beside the test's, migrated by `safereport migrate`."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(tmp_path / "restored.sqlite3")
        url = f"sqlite:///{name}"
    else:
        name = f"{db['NAME']}_restored"
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        server = f"{db['HOST']}:{db['PORT'] or 5432}"
        url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{server}/{name}"
    data_dir = tmp_path / "restored-data"
    data_dir.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAFEREPORT_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DATABASE_URL=url,
        SAFEREPORT_DATA_DIR=str(data_dir),
        # The new server is set up with the old server's secrets (from their offline copy).
        SAFEREPORT_SECRET_KEY=settings.SECRET_KEY,
        SAFEREPORT_LEDGER_SIGNING_KEY=settings.LEDGER_SIGNING_KEY,
        SAFEREPORT_INSTALLATION_SALT=settings.INSTALLATION_SALT.hex(),
        SAFEREPORT_DELETION_KEY=settings.DELETION_KEY.hex(),
        SAFEREPORT_MATCHING_KEY=settings.MATCHING_KEY.hex(),
    )
    second = SecondDatabase(url=url, name=name, env=env)
    migrated = second.run("migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    yield second
    if connection.vendor != "sqlite":
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def connected_to(name: str) -> Iterator[None]:
    """This process's connection, pointed at another database for a while."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def _damaged(path: Path, target: Path) -> Path:
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x01  # inside the last frame's authentication tag
    target.write_bytes(bytes(data))
    return target


def test_restore_drill(personas, second_database: SecondDatabase, tmp_path: Path, settings):  # type: ignore[no-untyped-def]
    key = PrivateKey.generate()
    settings.BACKUP_PUBLIC_KEY = bytes(key.public_key).hex()
    key_file = tmp_path / "backup.key"
    key_file.write_text(bytes(key).hex())
    report_a, phrase_a = submit(personas, text="canary-A")
    report_b, phrase_b = submit(personas, text="canary-B")
    report_c, _ = submit(personas, text="canary-C")
    close(report_c, personas.caseworker, months_ago=80)  # due for retention

    backup = take_backup(tmp_path / "drill.srbackup", now=timezone.now()).path
    saved_head = json.loads(json.dumps(_manifest_head(backup, key)))
    (tmp_path / "saved-head.json").write_text(json.dumps(saved_head))

    # After the backup: the reporter deletes A through her receipt; retention shreds C.
    do_shred_report(report_a, acting_user=None)
    assert do_shred_for_retention(report_c, now=timezone.now())
    do_sign_tree_head()
    export = tmp_path / "log.jsonl"
    call_command("ledger", "export", str(export))

    # Refused, each with a clear message, changing nothing.
    tampered = second_database.run(
        "restore",
        str(_damaged(backup, tmp_path / "t.srbackup")),
        "--key",
        str(key_file),
        "--log",
        str(export),
    )
    assert tampered.returncode != 0
    assert "does not decrypt: the file was changed or damaged" in tampered.stderr
    other_key = tmp_path / "other.key"
    other_key.write_text(bytes(PrivateKey.generate()).hex())
    wrong = second_database.run(
        "restore", str(backup), "--key", str(other_key), "--log", str(export)
    )
    assert wrong.returncode != 0
    assert "not made for this private key" in wrong.stderr
    old = take_backup(tmp_path / "old.srbackup", now=add_months(timezone.now(), -73)).path
    expired = second_database.run("restore", str(old), "--key", str(key_file), "--log", str(export))
    assert expired.returncode != 0
    assert "it has expired and must not be restored" in expired.stderr
    with connected_to(second_database.name):
        assert Report.objects.count() == 0  # nothing was loaded by the refused attempts

    restored = second_database.run(
        "restore", str(backup), "--key", str(key_file), "--log", str(export)
    )
    assert restored.returncode == 0, restored.stderr
    assert "2 reports deleted since the backup were shredded again" in restored.stdout

    again = second_database.run(
        "restore", str(backup), "--key", str(key_file), "--log", str(export)
    )
    assert again.returncode != 0
    assert "the database is not empty" in again.stderr
    # Told to, it replaces everything in the database, in one transaction.
    replaced = second_database.run(
        "restore", str(backup), "--key", str(key_file), "--log", str(export), "--replace"
    )
    assert replaced.returncode == 0, replaced.stderr
    assert "2 reports deleted since the backup were shredded again" in replaced.stdout

    with connected_to(second_database.name):
        assert Report.objects.get(pk=report_a.pk).is_shredded
        assert Report.objects.get(pk=report_c.pk).is_shredded
        assert find_by_receipt(keys.vault().derive_receipt(phrase_a)) is None
        found = find_by_receipt(keys.vault().derive_receipt(phrase_b))
        assert found is not None and found[0].pk == report_b.pk
        b = Report.objects.get(pk=report_b.pk)
        content = read_content(b, found[1])
        assert content.sections["incident"][0].answers["what"] == "canary-B"
        by_staff = read_content(
            b, open_as_custodian(b, unlocked_organisation_key(personas.caseworker))
        )
        assert by_staff.sections["incident"][0].answers["what"] == "canary-B"
        # The restored log is the public log: it verifies against the saved head.
        assert LogEntry.objects.count() == _export_size(export)
        restored_export = tmp_path / "restored-log.jsonl"
        call_command("ledger", "export", str(restored_export))
    call_command(
        "ledger",
        "verify",
        "--export",
        str(restored_export),
        "--since",
        str(tmp_path / "saved-head.json"),
        "--quiet",
    )


def _manifest_head(path: Path, key: PrivateKey) -> dict[str, object]:
    from safereport.core.backup import verify_backup

    with path.open("rb") as source:
        head = verify_backup(source, key, settings.DELETION_KEY)["tree_head"]
    assert isinstance(head, dict)
    return head


def _export_size(path: Path) -> int:
    return sum(1 for line in path.read_text().splitlines() if line.startswith('{"index"'))
