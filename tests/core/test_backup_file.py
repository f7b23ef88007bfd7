"""The backup file format (core.backup): sealed to a key, authenticated, whole or refused."""

from __future__ import annotations

import io
import os

import pytest
from nacl.public import PrivateKey

from safereport.core.backup import (
    CHUNK,
    DATABASE,
    FILE,
    FILE_CHUNK,
    BackupError,
    BackupWriter,
    database_lines,
    deletion_commitment_key,
    deletions_to_replay,
    open_backup,
    verify_backup,
)
from safereport.core.events import EventKind
from safereport.core.ledger import Entry, make_commitment

MAC_KEY = bytes(range(32))
KEY = PrivateKey.generate()


def make_file(database: bytes, files: dict[str, bytes], *, key: PrivateKey = KEY) -> bytes:
    out = io.BytesIO()
    writer = BackupWriter(out, key.public_key)
    writer.manifest({"format": "test", "n": 1})
    writer.database(database)
    for name, data in files.items():
        writer.add_file(name, io.BytesIO(data), len(data))
    writer.finish(MAC_KEY)
    return out.getvalue()


DUMP = b"".join(b'{"model": "x", "pk": %d}\n' % i for i in range(20_000))  # several chunks


def test_a_backup_reads_back_whole() -> None:
    data = make_file(DUMP, {"a.txt": b"hello", "sub/b.bin": os.urandom(CHUNK + 5)})
    manifest, records = open_backup(io.BytesIO(data), KEY, MAC_KEY)
    assert manifest == {"format": "test", "n": 1}
    others: list[tuple[bytes, bytes]] = []
    lines = list(database_lines(records(), lambda r: others.append((r.kind, r.payload))))
    assert "\n".join(lines).encode() + b"\n" == DUMP
    assert [kind for kind, _ in others] == [FILE, FILE_CHUNK, FILE, FILE_CHUNK, FILE_CHUNK]
    assert others[1][1] == b"hello"
    assert verify_backup(io.BytesIO(data), KEY, MAC_KEY)["_read"] == {
        "database_bytes": len(DUMP),
        "files": 2,
    }


def test_the_file_does_not_show_its_content() -> None:
    data = make_file(b'{"secret": "canary-backup-123"}\n', {"note.txt": b"canary-file-456"})
    assert b"canary" not in data


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d[:-1], "cut short"),
        (lambda d: d[: len(d) // 2], "cut short"),
        (lambda d: d[:-200], "cut short"),
        (lambda d: d + b"x", "after the end"),
        (lambda d: d[:300] + bytes([d[300] ^ 1]) + d[301:], "does not decrypt"),
        (lambda d: d[:50] + bytes([d[50] ^ 1]) + d[51:], "not made for this private key"),
        (lambda d: b"X" + d[1:], "not a SafeReport backup"),
    ],
)
def test_a_changed_or_cut_file_is_refused(damage, message) -> None:  # type: ignore[no-untyped-def]
    data = make_file(DUMP, {"a.txt": b"hello"})
    with pytest.raises(BackupError, match=message):
        verify_backup(io.BytesIO(damage(data)), KEY, MAC_KEY)


def test_a_file_for_another_key_is_refused() -> None:
    data = make_file(DUMP, {}, key=PrivateKey.generate())
    with pytest.raises(BackupError, match="not made for this private key"):
        verify_backup(io.BytesIO(data), KEY, MAC_KEY)


def test_a_file_forged_with_the_public_key_alone_is_refused() -> None:
    """The public key is not secret: a file made without the installation's
    deletion key fails at the trailer."""
    out = io.BytesIO()
    writer = BackupWriter(out, KEY.public_key)
    writer.manifest({"format": "test"})
    writer.database(b"{}\n")
    writer.finish(b"\x01" * 32)
    with pytest.raises(BackupError, match="not made by this installation"):
        verify_backup(io.BytesIO(out.getvalue()), KEY, MAC_KEY)


def test_frames_are_bounded_whatever_the_input() -> None:
    """Memory stays flat: one big write becomes chunk-sized records."""
    out = io.BytesIO()
    writer = BackupWriter(out, KEY.public_key)
    writer.manifest({})
    writer.database(b"y" * (5 * CHUNK + 3))
    writer.finish(MAC_KEY)
    _, records = open_backup(io.BytesIO(out.getvalue()), KEY, MAC_KEY)
    sizes = [len(r.payload) for r in records() if r.kind == DATABASE]
    assert sizes == [CHUNK] * 5 + [3]


def _deletion(public_id: str, key: bytes) -> Entry:
    return Entry(
        kind=EventKind.REPORT_DELETION,
        week="2026-W49",
        org="test-org",
        count=1,
        commitment=make_commitment(deletion_commitment_key(key, public_id), os.urandom),
    )


def test_deletion_tags_find_the_deleted_reports_and_are_unlinkable() -> None:
    key = os.urandom(32)
    first, second = _deletion("AAAA1111", key), _deletion("AAAA1111", key)
    assert first.commitment != second.commitment  # a fresh nonce each time
    others = [_deletion("BBBB2222", os.urandom(32))]  # another installation's key
    found = deletions_to_replay(key, ["AAAA1111", "BBBB2222", "CCCC3333"], [first, *others])
    assert found == {"AAAA1111"}
