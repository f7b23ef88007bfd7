"""The parts of backups that need no second database: deletion entries in the
public log, what goes into a backup, the refusal without a key, and pruning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from safereport.backups import archive
from safereport.backups.tasks import prune_backups
from safereport.cases.actions import do_shred_for_retention, do_shred_report
from safereport.core.backup import deletion_commitment_key
from safereport.core.events import EventKind
from safereport.core.ledger import decode_entry, matches_commitment, sign_tree_head
from safereport.core.retention import add_months
from safereport.transparency import selectors
from safereport.transparency.actions import do_sign_tree_head, signing_key
from safereport.transparency.models import LogEntry
from sr_testing.reports import submit
from sr_testing.retention import close


def _entries(kind: EventKind):  # type: ignore[no-untyped-def]
    return [decode_entry(bytes(e.data)) for e in LogEntry.objects.filter(kind=kind.value)]


def test_a_reporters_deletion_is_counted_with_a_tag_only_the_deletion_key_links(personas, settings):  # type: ignore[no-untyped-def]
    report, _ = submit(personas)
    do_shred_report(report, acting_user=None)
    do_shred_report(report, acting_user=None)  # asked twice: shredded and counted once
    [entry] = _entries(EventKind.REPORT_DELETION)
    assert entry.org == personas.support_org.slug and entry.count == 1
    assert report.public_id not in entry.to_json_dict().values()
    key = deletion_commitment_key(settings.DELETION_KEY, report.public_id)
    assert matches_commitment(key, entry)
    assert not matches_commitment(deletion_commitment_key(b"\0" * 32, report.public_id), entry)


def test_a_retention_deletion_carries_the_tag_too(personas, settings):  # type: ignore[no-untyped-def]
    report, _ = submit(personas)
    close(report, personas.caseworker, months_ago=80)
    assert do_shred_for_retention(report, now=timezone.now())
    [entry] = _entries(EventKind.RETENTION_DELETION)
    assert matches_commitment(
        deletion_commitment_key(settings.DELETION_KEY, report.public_id), entry
    )


def test_secrets_the_database_and_the_queue_stay_out_of_a_backup(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.JOBS_SQLITE_PATH = tmp_path / "jobs.sqlite3"
    settings.KDF_SLOT_DIR = tmp_path / "kdf-slots"
    for name in (
        "secret_key",
        "ledger_signing_key",
        "installation_salt",
        "jobs.sqlite3",
        "jobs.sqlite3-wal",
        "static/app.css",
        "backups/old.srbackup",
        "custody_key",
        "exports/survey.csv",
        "kdf-slots/slot-0",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in archive.data_files()] == [
        "exports/survey.csv"
    ]


def test_the_backup_command_refuses_to_run_without_the_public_key(settings, db):  # type: ignore[no-untyped-def]
    settings.BACKUP_PUBLIC_KEY = ""
    with pytest.raises(
        CommandError, match="no backup public key: set SAFEREPORT_BACKUP_PUBLIC_KEY"
    ):
        call_command("backup", "--to", "/nonexistent/never-written.srbackup")


def test_the_queue_prunes_backups_older_than_the_longest_retention(personas, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.BACKUP_DIR = tmp_path
    personas.support_org.retention_months = 24
    personas.support_org.save()
    now = timezone.now()
    # The longest period among the organisations is the default (72), kept by the others.
    longest = archive.retention_window_months()
    assert longest == 72

    def named(moment: dt.datetime) -> Path:
        path = archive.default_backup_path(moment)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"sealed")
        return path

    expired = named(add_months(now, -longest) - dt.timedelta(days=1))
    kept = named(add_months(now, -longest) + dt.timedelta(days=1))
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("not a backup")
    prune_backups()  # the periodic task, run at once as the worker would
    assert not expired.exists()
    assert kept.exists() and unrelated.exists()


def _delete_one(personas):  # type: ignore[no-untyped-def]
    report, _ = submit(personas)
    do_shred_report(report, acting_user=None)
    do_sign_tree_head()
    return selectors.latest_tree_head()


def _export_with_deletion(personas, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    _delete_one(personas)
    path = tmp_path / "log.jsonl"
    call_command("ledger", "export", str(path))
    return path


def test_the_public_log_gives_the_entries_after_the_saved_head(personas, tmp_path):  # type: ignore[no-untyped-def]
    saved = _delete_one(personas)
    export = _export_with_deletion(personas, tmp_path)
    public = archive.read_public_log(str(export), saved=saved, start=saved.tree_size)
    kinds = [decode_entry(data).kind for data in public.after]
    assert kinds == [EventKind.REPORT_DELETION]
    assert public.latest.tree_size == saved.tree_size + 1


def test_a_changed_export_is_refused(personas, tmp_path):  # type: ignore[no-untyped-def]
    saved = _delete_one(personas)
    export = _export_with_deletion(personas, tmp_path)
    text = export.read_text()
    export.write_text(text.replace('\\"count\\":1', '\\"count\\":2'))
    with pytest.raises(archive.RestoreRefused, match="does not verify"):
        archive.read_public_log(str(export), saved=saved, start=0)


def test_a_log_that_no_longer_holds_the_saved_head_is_refused(personas, tmp_path):  # type: ignore[no-untyped-def]
    export = _export_with_deletion(personas, tmp_path)
    forged = sign_tree_head(
        signing_key(), tree_size=1, timestamp_ms=1, root_hash=b"\x01" * 32
    )  # a head this log never had
    with pytest.raises(archive.RestoreRefused, match="history was rewritten"):
        archive.read_public_log(str(export), saved=forged, start=1)
