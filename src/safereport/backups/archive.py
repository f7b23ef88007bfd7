"""Taking, restoring and pruning backups: the Django side of ``core.backup``.

* :func:`take_backup` writes the database (Django's serialisation, JSON
  Lines, every model in dependency order and by primary key: the same file
  loads into SQLite or PostgreSQL), the data folder's non-secret files and a
  manifest (time, migration state, the log's newest signed tree head, the
  retention window) into one file sealed to the offline backup public key.
* :func:`restore` checks the whole file first, refuses one that is expired,
  from another schema, or into a database that is not empty, then in one
  transaction loads it, brings the log up to the public log (an export or
  the live site, verified against the saved tree head) and shreds again
  every restored report that a later public-log entry records as deleted.
* :func:`prune` deletes backup files older than the retention window.

docs/operations.md "Backups" is the procedure; docs/threat-model.md
"Backups and restore" the reasoning and the limits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max, Model
from nacl.public import PrivateKey

from safereport.core import retention
from safereport.core.backup import (
    FILE,
    FILE_CHUNK,
    BackupError,
    BackupWriter,
    Record,
    database_lines,
    deletions_to_replay,
    open_backup,
    parse_public_key,
    verify_backup,
)
from safereport.core.events import EventKind
from safereport.core.ledger import (
    Frontier,
    LedgerError,
    SignedTreeHead,
    audit_log,
    decode_entry,
)

FORMAT = "safereport-backup-1"
SUFFIX = ".srbackup"
NAME = re.compile(r"safereport-(\d{8}T\d{6}Z)\.srbackup")
# Rows `migrate` makes by itself, recreated in every new database: not backed up.
NOT_BACKED_UP = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
LOG_TABLES = (
    "transparency.logentry",
    "transparency.merklenode",
    "transparency.logstate",
    "transparency.treehead",
)
# Files in the data folder that never go into a backup: secrets, the SQLite
# database itself (it is in the dump), the job queue, collected static files.
# Rows fetched at a time while dumping: attachments may be megabytes each.
SMALL_CHUNKS = {"cases.attachment": 4}
SECRET_NAMES = {
    "secret_key",
    "ledger_signing_key",
    "installation_salt",
    "deletion_key",
    "matching_key",
}
DELETION_KINDS = {EventKind.REPORT_DELETION, EventKind.RETENTION_DELETION}


def retention_window_months() -> int:
    """The longest retention period any organisation keeps closed cases for now
    (the default when there is none): no backup is kept or restored beyond it."""
    from safereport.accounts.models import Organisation

    longest = Organisation.objects.aggregate(m=Max("retention_months"))["m"]
    return int(longest or retention.DEFAULT_MONTHS)


def expires_at(created: dt.datetime, months: int) -> dt.datetime:
    return retention.add_months(created, months)


def backup_models() -> list[type[Model]]:
    """Every concrete model the backup holds, in an order that loads."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        model
        for model in ordered
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.label_lower not in NOT_BACKED_UP
    ]


def applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """Read everything from one consistent snapshot without blocking writers."""
    if connection.in_atomic_block:
        yield  # already inside a transaction (a test's): it is the snapshot
    elif connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # A deferred read transaction: a WAL snapshot that writers do not wait for
        # (Django's own transactions here begin IMMEDIATE, which would hold them off).
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("ROLLBACK")
    else:
        with transaction.atomic():
            yield


class _DumpSink:
    """A text stream the serialiser writes to; it feeds the backup writer."""

    def __init__(self, writer: BackupWriter) -> None:
        self.writer = writer

    def write(self, text: str) -> int:
        self.writer.database(text.encode("utf-8"))
        return len(text)

    def flush(self) -> None:
        pass


def data_files() -> list[Path]:
    """The data folder's files that go into a backup (no secrets, no database)."""
    root = settings.DATA_DIR
    skip_dirs = {
        Path(folder).resolve()
        for folder in (
            settings.STATIC_ROOT,
            settings.BACKUP_DIR,
            settings.KDF_SLOT_DIR,  # Argon2id admission lock files
        )
    }
    database = settings.DATABASES["default"].get("NAME")
    skip_files = {Path(settings.JOBS_SQLITE_PATH).name}
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        skip_files.add(Path(str(database)).name)
    found = []
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if path.is_symlink() or not path.is_file():
            continue
        if any(parent in skip_dirs for parent in path.parents) or path.name.startswith("."):
            continue
        base = path.name.split("-", 1)[0] if path.name.endswith(("-wal", "-shm")) else path.name
        if base in skip_files or base.endswith("-journal") or path.name in SECRET_NAMES:
            continue
        if "key" in path.name.lower() or "secret" in path.name.lower():
            continue  # anything that looks like a secret stays out
        found.append(path)
    return found


def _software_version() -> str:
    try:
        return importlib.metadata.version("safereport")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def default_backup_path(now: dt.datetime) -> Path:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BACKUP_DIR) / f"safereport-{stamp}{SUFFIX}"


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    manifest: dict[str, Any]


def take_backup(path: Path, *, now: dt.datetime, public_key_hex: str | None = None) -> BackupResult:
    """Write one backup file at ``path`` (atomically: a partial file is removed)."""
    from safereport.transparency import selectors
    from safereport.transparency.actions import do_sign_tree_head, verify_key

    key_hex = public_key_hex or settings.BACKUP_PUBLIC_KEY
    if not key_hex:
        raise BackupError(
            "no backup public key: set SAFEREPORT_BACKUP_PUBLIC_KEY "
            "(make a key pair with `safereport backup --new-key FILE`)"
        )
    public_key = parse_public_key(key_hex)
    do_sign_tree_head()  # so the saved head covers what was appended until now
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            writer = BackupWriter(out, public_key)
            with snapshot():
                head = selectors.latest_tree_head()
                manifest = {
                    "format": FORMAT,
                    "created_at": now.astimezone(dt.UTC).isoformat(),
                    "software": _software_version(),
                    "engine": connection.vendor,
                    "migrations": applied_migrations(),
                    "log_key": bytes(verify_key()).hex(),
                    "log_size": selectors.appended_size(),
                    "tree_head": head.to_json_dict() if head else None,
                    "retention_months": retention_window_months(),
                }
                writer.manifest(manifest)
                sink = _DumpSink(writer)
                for model in backup_models():
                    chunk = SMALL_CHUNKS.get(model._meta.label_lower, 500)
                    rows = model._base_manager.order_by("pk").iterator(chunk_size=chunk)
                    serializers.serialize("jsonl", rows, stream=sink, use_natural_foreign_keys=True)
            for file in data_files():
                with file.open("rb") as source:
                    size = os.fstat(source.fileno()).st_size
                    writer.add_file(str(file.relative_to(settings.DATA_DIR)), source, size)
            digest = writer.finish(settings.DELETION_KEY)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(path=path, size=path.stat().st_size, sha256=digest, manifest=manifest)


# --- restore ------------------------------------------------------------------


class RestoreRefused(Exception):
    """Nothing was changed; the message says why."""


@dataclass
class PublicLog:
    """The public log as a restore reads it: verified heads and the entries after a size."""

    key_hex: str
    latest: SignedTreeHead
    heads: list[SignedTreeHead]
    after: list[bytes]  # entries from index ``start`` to the latest verified head
    start: int


def read_public_log(source: str, *, saved: SignedTreeHead | None, start: int) -> PublicLog:
    """Read a ``ledger export`` file or a live site's log, verify every entry and
    head, and that the log still holds the saved head (consistency); keep the
    entries from index ``start`` on."""
    from safereport.transparency.management.commands.ledger import (
        ExportFile,
        HttpLog,
        SourceError,
    )

    try:
        server: HttpLog | None = None
        if source.startswith(("http://", "https://")):
            server = HttpLog(source)
            key, heads = server.key(), server.tree_heads()
            entries: Iterator[bytes] = server.entries(max((h.tree_size for h in heads), default=0))
        else:
            export = ExportFile(Path(source))
            key, heads = export.key, export.heads
            entries = (entry for entry, _ in export.entries())
        kept: list[bytes] = []

        def keep(stream: Iterator[bytes]) -> Iterator[bytes]:
            for index, data in enumerate(stream):
                if index >= start:
                    kept.append(data)
                yield data

        report = audit_log(keep(entries), heads, key, since=saved)
    except SourceError as error:
        raise RestoreRefused(f"cannot read the public log: {error}") from None
    if not report.ok or report.latest_tree_head is None:
        problem = report.first_problem
        raise RestoreRefused(
            "the public log does not verify against the backup's tree head: "
            + (problem.message if problem else "it has no signed tree head")
        )
    latest = report.latest_tree_head
    if server is not None and saved is not None and 0 < saved.tree_size < latest.tree_size:
        try:  # the site's own proof as well as the recomputation from its entries
            server.consistency(saved.tree_size, latest.tree_size).verify(
                saved.root_hash, latest.root_hash
            )
        except (LedgerError, SourceError) as error:
            raise RestoreRefused(f"the site's consistency proof does not verify: {error}") from None
    return PublicLog(
        key_hex=bytes(key).hex(),
        latest=latest,
        heads=[h for h in heads if h.tree_size <= latest.tree_size],
        after=kept[: max(0, latest.tree_size - start)],
        start=start,
    )


def _nonempty_tables() -> list[str]:
    """Models holding rows that ``migrate`` (and a worker signing its entry) did
    not make by themselves."""
    from safereport.transparency.models import LogEntry

    busy = [
        model._meta.label_lower
        for model in backup_models()
        if model._meta.label_lower not in LOG_TABLES and model._base_manager.exists()
    ]
    if LogEntry.objects.exclude(kind=EventKind.FIREWALL_POLICY_RECORDED.value).exists():
        busy.append("transparency.logentry")
    return busy


def _empty_tables(models: list[type[Model]]) -> None:
    """Delete every row of ``models`` inside the restore's transaction (foreign
    keys are checked at commit). On PostgreSQL the log's append-only triggers are
    set aside for these statements: this needs the tables' owner, the role that
    runs ``migrate``."""
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            guarded = model._meta.label_lower in LOG_TABLES and model._meta.model_name != "logstate"
            trigger = connection.ops.quote_name(f"{model._meta.db_table}_append_only")
            if guarded and connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a quoted table name
            if guarded and connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


def _clear_migrate_log() -> None:
    """Remove the log rows ``migrate`` wrote (its firewall-policy entry, and a head
    a worker may have signed over it): the backup's log replaces them."""
    from safereport.transparency.models import LogEntry, LogState, MerkleNode, TreeHead

    _empty_tables([LogEntry, MerkleNode, TreeHead, LogState])


def _wipe() -> None:
    """``--replace``: remove everything a backup holds, and the sessions."""
    from django.contrib.sessions.models import Session

    models = [*reversed(backup_models()), Session]
    through = [
        field.remote_field.through
        for model in models
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    _empty_tables([*through, *models])


class _FileStager:
    """Receives the data-folder records of pass two into a private folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.current: IO[bytes] | None = None
        self.names: list[str] = []

    def __call__(self, record: Record) -> None:
        if record.kind == FILE:
            self.close()
            name = json.loads(record.payload)["name"]
            relative = Path(name)
            if relative.is_absolute() or ".." in relative.parts or not relative.parts:
                raise BackupError(f"a file name in the backup is not allowed: {name!r}")
            target = self.folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            self.current = target.open("wb")
            self.names.append(name)
        elif record.kind == FILE_CHUNK and self.current is not None:
            self.current.write(record.payload)

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    objects: int
    reshredded: list[str]
    log_entries_added: int
    tree_size: int
    files: list[str] = field(default_factory=list)


def _load_database(lines: Iterator[str]) -> int:
    count = 0
    deferred = []
    models: set[type[Model]] = set()
    for obj in serializers.deserialize("jsonl", lines, handle_forward_references=True):
        obj.save()
        models.add(type(obj.object))
        if obj.deferred_fields:
            deferred.append(obj)
        count += 1
    for obj in deferred:
        obj.save_deferred_fields()
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return count


def _bring_log_up_to(public: PublicLog) -> int:
    """Append the public log's entries the backup lacks, and its newer heads;
    then check the restored log's root against the newest head."""
    from safereport.transparency.actions import append_entry, store_tree_head
    from safereport.transparency.models import LogState, TreeHead

    state = LogState.objects.get(id=1)
    size = state.size
    if size > public.latest.tree_size:
        raise RestoreRefused(
            f"the public log given has {public.latest.tree_size} signed entries, fewer than "
            f"the {size} in the backup: give a newer export (or the live site)"
        )
    added = 0
    for data in public.after[size - public.start :]:
        append_entry(decode_entry(data))
        added += 1
    known = set(TreeHead.objects.values_list("tree_size", flat=True))
    for head in public.heads:
        if head.tree_size not in known:
            store_tree_head(head)
    state = LogState.objects.get(id=1)
    root = Frontier.from_bytes(state.size, bytes(state.frontier)).root()
    if state.size != public.latest.tree_size or root != public.latest.root_hash:
        raise RestoreRefused(
            "the restored log does not give the public log's newest root: the backup's "
            "log and the public log differ"
        )
    newest = max(h.timestamp_ms for h in public.heads)
    LogState.objects.filter(id=1, last_timestamp_ms__lt=newest).update(last_timestamp_ms=newest)
    return added


def restore(
    path: Path,
    private_key: PrivateKey,
    *,
    log_source: str,
    now: dt.datetime,
    replace: bool = False,
) -> RestoreResult:
    """Restore ``path`` into this (empty, migrated) database; see the module doc."""
    from safereport.cases.actions import shred
    from safereport.cases.models import Report
    from safereport.transparency.actions import verify_key

    mac_key = settings.DELETION_KEY
    try:
        with path.open("rb") as source:
            manifest = verify_backup(source, private_key, mac_key)
    except OSError as error:
        raise RestoreRefused(f"cannot read {path}: {error.strerror}") from None
    except BackupError as error:
        raise RestoreRefused(f"{path.name} is refused: {error}. Nothing was changed.") from None
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"{path.name} is not a {FORMAT} file")
    created = dt.datetime.fromisoformat(manifest["created_at"])
    months = int(manifest["retention_months"])
    if expires_at(created, months) <= now:
        raise RestoreRefused(
            f"{path.name} was taken on {created.date().isoformat()}, more than {months} months "
            "ago (the longest retention period when it was taken): it has expired and must not "
            "be restored. Nothing was changed."
        )
    ours = applied_migrations()
    if manifest["migrations"] != ours:
        missing = sorted(set(manifest["migrations"]) - set(ours))
        extra = sorted(set(ours) - set(manifest["migrations"]))
        raise RestoreRefused(
            "this database's schema is not the backup's: restore with the version that made it "
            f"(SafeReport {manifest.get('software')}), then upgrade. Migrations only in the "
            f"backup: {missing or 'none'}; only here: {extra or 'none'}."
        )
    if manifest["log_key"] != bytes(verify_key()).hex():
        raise RestoreRefused(
            "this installation's ledger signing key is not the one the backup's log was signed "
            "with: set SAFEREPORT_LEDGER_SIGNING_KEY (and the other secrets) as on the old server"
        )
    busy = _nonempty_tables()
    if busy and not replace:
        raise RestoreRefused(
            "the database is not empty (" + ", ".join(busy[:5]) + "): restore into a new "
            "database (create it, run `safereport migrate`, then restore), or add --replace "
            "to delete everything in this one first. Nothing was changed."
        )
    saved = SignedTreeHead.from_json_dict(manifest["tree_head"]) if manifest["tree_head"] else None
    public = read_public_log(log_source, saved=saved, start=saved.tree_size if saved else 0)
    if public.key_hex != manifest["log_key"]:
        raise RestoreRefused("the public log given is signed with another key than the backup's")

    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=settings.DATA_DIR))
    try:
        stager = _FileStager(staging)
        with path.open("rb") as source, transaction.atomic(durable=True):
            _, records = open_backup(source, private_key, mac_key)
            if replace:
                _wipe()
            else:
                _clear_migrate_log()
            objects = _load_database(database_lines(records(), stager))
            stager.close()
            added = _bring_log_up_to(public)
            deletions = [
                entry
                for entry in (decode_entry(data) for data in public.after)
                if entry.kind in DELETION_KINDS
            ]
            alive = Report.objects.filter(shredded_at=None).values_list("public_id", flat=True)
            again = sorted(deletions_to_replay(mac_key, list(alive), deletions))
            for report in Report.objects.filter(public_id__in=again):
                shred(report, by="restore")
        for name in stager.names:
            target = settings.DATA_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
    except BackupError as error:
        raise RestoreRefused(f"{path.name} is refused: {error}. Nothing was changed.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(
        manifest=manifest,
        objects=objects,
        reshredded=again,
        log_entries_added=added,
        tree_size=public.latest.tree_size,
        files=stager.names,
    )


# --- pruning ------------------------------------------------------------------


def backup_time(path: Path) -> dt.datetime:
    """When a backup file was taken: from its name if ``take_backup`` named it,
    else its modification time."""
    match = NAME.fullmatch(path.name)
    if match:
        return dt.datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)


def prune(now: dt.datetime) -> list[Path]:
    """Delete the backup files in the backup folder older than the retention window."""
    folder = Path(settings.BACKUP_DIR)
    if not folder.is_dir():
        return []
    months = retention_window_months()
    removed = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.is_file() and expires_at(backup_time(path), months) <= now:
            path.unlink()
            removed.append(path)
    return removed
