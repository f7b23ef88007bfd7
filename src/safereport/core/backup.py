"""Encrypted backup files, and the tags that let a restore find later deletions.

Pure: bytes and file objects in and out, keys as arguments (no Django).

The file (``docs/operations.md`` "Backups")
-------------------------------------------
::

    MAGIC (20 bytes) | sealed file key (80 bytes) | stream header (24 bytes) | frames

* A fresh random 32-byte file key is sealed to the offline backup public key
  (X25519, libsodium ``crypto_box_seal``: only the private key opens it).
* The content is one ``crypto_secretstream_xchacha20poly1305`` stream under
  that key, with ``MAGIC || sealed key`` as the associated data of its first
  message. Each frame is a 4-byte big-endian length and one encrypted message
  of at most ``CHUNK`` plaintext bytes, so writing and reading use constant
  memory. Every message is authenticated and numbered by the stream itself:
  a changed, reordered, dropped or added frame fails to decrypt, and a file
  cut short lacks the final message (``TAG_FINAL``) and is refused.
* Each plaintext message is a one-byte record type and its payload:
  ``M`` the manifest (JSON, first), ``D`` a piece of the database dump,
  ``F`` a data-folder file's header (JSON: ``name``, ``size``), ``C`` a
  piece of that file, ``T`` the trailer (JSON, last, final): the SHA-256 of
  every earlier message and an HMAC of that digest under the installation's
  deletion key, so that a file made from scratch with the (public) backup
  key, by someone without the server's secrets, is refused too.

Deletion tags
-------------
When a report is shredded, the public log gets an entry whose commitment is
made (``core.ledger.make_commitment``, a fresh nonce each time) under
``deletion_commitment_key(deletion_key, public_id)``. The public sees an
unlinkable tag; whoever holds the installation's deletion key can test each
restored report against each deletion entry and shred again the ones that
match (``deletions_to_replay``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from nacl import bindings
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.utils import random as random_bytes

from safereport.core.ledger import Entry, matches_commitment

MAGIC = b"SAFEREPORT-BACKUP-1\n"
CHUNK = 64 * 1024
FILE_KEY_SIZE = bindings.crypto_secretstream_xchacha20poly1305_KEYBYTES
SEALED_KEY_SIZE = FILE_KEY_SIZE + bindings.crypto_box_SEALBYTES
HEADER_SIZE = bindings.crypto_secretstream_xchacha20poly1305_HEADERBYTES
ABYTES = bindings.crypto_secretstream_xchacha20poly1305_ABYTES
TAG_MESSAGE = bindings.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = bindings.crypto_secretstream_xchacha20poly1305_TAG_FINAL
MAX_FRAME = CHUNK + 1 + ABYTES
DELETION_LABEL = b"safereport/deletion/v1"
TRAILER_LABEL = b"safereport/backup-trailer/v1"

MANIFEST, DATABASE, FILE, FILE_CHUNK, TRAILER = b"M", b"D", b"F", b"C", b"T"


class BackupError(Exception):
    """A backup file that cannot be used; the message says why, in plain words."""


def deletion_commitment_key(deletion_key: bytes, public_id: str) -> bytes:
    """The per-report key under which its deletion entries are committed."""
    if len(deletion_key) < 32:
        raise ValueError("the deletion key must be at least 32 bytes")
    return hmac.new(deletion_key, DELETION_LABEL + public_id.encode(), hashlib.sha256).digest()


def deletions_to_replay(
    deletion_key: bytes, public_ids: Iterable[str], entries: Iterable[Entry]
) -> set[str]:
    """The public ids among ``public_ids`` that one of ``entries`` records as deleted.

    Costs one HMAC per (report, committed entry) pair: entries after a
    backup are few (those since the backup was taken).
    """
    committed = [e for e in entries if e.commitment is not None]
    found = set()
    for public_id in public_ids:
        key = deletion_commitment_key(deletion_key, public_id)
        if any(matches_commitment(key, entry) for entry in committed):
            found.add(public_id)
    return found


def _key_bytes(text: str, what: str) -> bytes:
    try:
        raw = bytes.fromhex(text.strip())
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise BackupError(f"{what} must be 64 hexadecimal digits")
    return raw


def parse_public_key(text: str) -> PublicKey:
    return PublicKey(_key_bytes(text, "the backup public key"))


def parse_private_key(text: str) -> PrivateKey:
    return PrivateKey(_key_bytes(text, "the backup private key file"))


def new_key_pair() -> tuple[str, str]:
    """A fresh (private, public) backup key pair, each as 64 hex digits."""
    key = PrivateKey.generate()
    return bytes(key).hex(), bytes(key.public_key).hex()


def _trailer_mac(mac_key: bytes, digest: bytes) -> str:
    return hmac.new(mac_key, TRAILER_LABEL + digest, hashlib.sha256).hexdigest()


class BackupWriter:
    """Writes one backup file to ``out`` in constant memory.

    Call :meth:`manifest` first, then :meth:`database` pieces and
    :meth:`add_file` in any order, then :meth:`finish` once.
    """

    def __init__(self, out: IO[bytes], public_key: PublicKey) -> None:
        self._out = out
        key = random_bytes(FILE_KEY_SIZE)
        sealed = SealedBox(public_key).encrypt(key)
        self._state = bindings.crypto_secretstream_xchacha20poly1305_state()
        header = bindings.crypto_secretstream_xchacha20poly1305_init_push(self._state, key)
        out.write(MAGIC + sealed + header)
        self._ad: bytes | None = MAGIC + sealed
        self._hash = hashlib.sha256()
        self._pending = bytearray()
        self.size = len(MAGIC) + len(sealed) + len(header)
        self._started = self._finished = False

    def _push(self, kind: bytes, payload: bytes, tag: int = TAG_MESSAGE) -> None:
        message = kind + payload
        if kind != TRAILER:
            self._hash.update(struct.pack(">I", len(message)) + message)
        frame = bindings.crypto_secretstream_xchacha20poly1305_push(
            self._state, message, self._ad, tag
        )
        self._ad = None
        self._out.write(struct.pack(">I", len(frame)) + frame)
        self.size += 4 + len(frame)

    def manifest(self, manifest: dict[str, Any]) -> None:
        if self._started:
            raise BackupError("the manifest comes first")
        self._started = True
        self._push(MANIFEST, json.dumps(manifest, sort_keys=True).encode())

    def database(self, data: bytes) -> None:
        """Add a piece of the database dump (buffered into whole chunks)."""
        self._pending += data
        while len(self._pending) >= CHUNK:
            self._push(DATABASE, bytes(self._pending[:CHUNK]))
            del self._pending[:CHUNK]

    def _flush_database(self) -> None:
        if self._pending:
            self._push(DATABASE, bytes(self._pending))
            self._pending.clear()

    def add_file(self, name: str, source: IO[bytes], size: int) -> None:
        self._flush_database()
        self._push(FILE, json.dumps({"name": name, "size": size}).encode())
        left = size
        while left > 0:
            piece = source.read(min(CHUNK, left))
            if not piece:
                raise BackupError(f"{name} became shorter while it was being backed up")
            self._push(FILE_CHUNK, piece)
            left -= len(piece)

    def finish(self, mac_key: bytes) -> str:
        """Write the trailer; returns the content's SHA-256 (hex)."""
        self._flush_database()
        digest = self._hash.digest()
        trailer = {"sha256": digest.hex(), "mac": _trailer_mac(mac_key, digest)}
        self._push(TRAILER, json.dumps(trailer).encode(), TAG_FINAL)
        self._finished = True
        return digest.hex()


@dataclass(frozen=True, slots=True)
class Record:
    kind: bytes  # DATABASE, FILE (payload: the JSON header) or FILE_CHUNK
    payload: bytes


def _read_exact(source: IO[bytes], size: int, what: str) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise BackupError(f"the file is cut short ({what} is incomplete): it is not a whole backup")
    return data


def open_backup(
    source: IO[bytes], private_key: PrivateKey, mac_key: bytes
) -> tuple[dict[str, Any], Callable[[], Iterator[Record]]]:
    """Read the manifest of the backup in ``source``; return it and a reader of the rest.

    The reader yields the records after the manifest and checks the trailer
    at the end; it raises :class:`BackupError` for anything that does not
    decrypt or verify. Nothing read may be trusted before the reader has
    finished: check a whole file first (:func:`verify_backup`).
    """
    magic = source.read(len(MAGIC))
    if magic != MAGIC:
        raise BackupError("this is not a SafeReport backup file (it does not start as one)")
    sealed = _read_exact(source, SEALED_KEY_SIZE, "the sealed key")
    try:
        key = SealedBox(private_key).decrypt(sealed)
    except CryptoError:
        raise BackupError(
            "this backup was not made for this private key (or its key block was changed)"
        ) from None
    header = _read_exact(source, HEADER_SIZE, "the stream header")
    state = bindings.crypto_secretstream_xchacha20poly1305_state()
    bindings.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
    digest = hashlib.sha256()
    ad: list[bytes | None] = [MAGIC + sealed]
    count = [0]

    def pull() -> tuple[bytes, int] | None:
        length_bytes = source.read(4)
        if not length_bytes:
            return None
        if len(length_bytes) != 4:
            raise BackupError("the file is cut short: it is not a whole backup")
        (length,) = struct.unpack(">I", length_bytes)
        if not ABYTES < length <= MAX_FRAME:
            raise BackupError(f"frame {count[0]} has an impossible length: the file was changed")
        frame = _read_exact(source, length, f"frame {count[0]}")
        try:
            message, tag = bindings.crypto_secretstream_xchacha20poly1305_pull(state, frame, ad[0])
        except (CryptoError, RuntimeError, ValueError):
            raise BackupError(
                f"frame {count[0]} does not decrypt: the file was changed or damaged"
            ) from None
        ad[0] = None
        count[0] += 1
        if not message:
            raise BackupError("an empty record: the file was changed")
        return message, tag

    first = pull()
    if first is None or first[0][:1] != MANIFEST or first[1] == TAG_FINAL:
        raise BackupError("the backup has no manifest")
    digest.update(struct.pack(">I", len(first[0])) + first[0])
    try:
        manifest = json.loads(first[0][1:])
    except json.JSONDecodeError:
        raise BackupError("the backup's manifest is not JSON") from None

    def records() -> Iterator[Record]:
        while (pulled := pull()) is not None:
            message, tag = pulled
            kind = message[:1]
            if kind == TRAILER:
                if tag != TAG_FINAL:
                    raise BackupError("the trailer is not the final record: the file was changed")
                _check_trailer(message[1:], digest.digest(), mac_key)
                if source.read(1):
                    raise BackupError("there are bytes after the end of the backup")
                return
            if tag == TAG_FINAL or kind not in (DATABASE, FILE, FILE_CHUNK):
                raise BackupError("a record out of place: the file was changed")
            digest.update(struct.pack(">I", len(message)) + message)
            yield Record(kind, message[1:])
        raise BackupError("the file is cut short (no final record): it is not a whole backup")

    return manifest, records


def _check_trailer(payload: bytes, digest: bytes, mac_key: bytes) -> None:
    try:
        trailer = json.loads(payload)
        stated, mac = trailer["sha256"], trailer["mac"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise BackupError("the backup's trailer is malformed") from None
    if not hmac.compare_digest(str(stated), digest.hex()):
        raise BackupError("the content does not match its recorded hash")
    if not hmac.compare_digest(str(mac), _trailer_mac(mac_key, digest)):
        raise BackupError(
            "the backup was not made by this installation (its deletion key does not match)"
        )


def verify_backup(source: IO[bytes], private_key: PrivateKey, mac_key: bytes) -> dict[str, Any]:
    """Read a whole backup, checking everything; return its manifest (with the
    record counts), or raise :class:`BackupError`."""
    manifest, records = open_backup(source, private_key, mac_key)
    counts = {"database_bytes": 0, "files": 0}
    for record in records():
        if record.kind == DATABASE:
            counts["database_bytes"] += len(record.payload)
        elif record.kind == FILE:
            counts["files"] += 1
    return {**manifest, "_read": counts}


def database_lines(records: Iterable[Record], other: Callable[[Record], None]) -> Iterator[str]:
    """The database dump's lines (JSON Lines), from the ``D`` records, in order;
    every other record is handed to ``other`` as it comes."""
    pending = b""
    for record in records:
        if record.kind != DATABASE:
            other(record)
            continue
        pending += record.payload
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line:
                yield line.decode("utf-8")
    if pending:
        yield pending.decode("utf-8")
