"""``safereport ledger``: verify the transparency log, or export it.

    safereport ledger verify https://safereport.example/ [--since HEAD.json] [--save-head FILE]
                                                         [--key HEX]
    safereport ledger verify --export log.jsonl [--since HEAD.json] [--save-head FILE]
    safereport ledger export log.jsonl
    safereport ledger key

``verify`` fetches every entry, every signed tree head and the public key
(over HTTP with the standard library only, or from an export file, read as
a stream in one pass: its time and memory are linear in the log's size),
recomputes the Merkle root of every size a head signs, checks every
signature, and with ``--since`` checks that a head saved on an earlier run is
still consistent with the log (from the entries and, over HTTP, from the
server's consistency proof too). It exits 1 on any mismatch, naming the entry
index or tree head, and 2 when it cannot fetch or read its input.
``verify`` needs no database: anyone can run it against any server.

``export`` writes this server's log to a file in the format of
docs/transparency.md §9 (JSON Lines, with the stored leaf hashes, so a
changed row is named exactly), reading the database in keyset pages.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from itertools import tee
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from nacl.signing import VerifyKey
from tqdm import tqdm

from safereport.core.ledger import (
    AuditReport,
    ConsistencyProof,
    LedgerError,
    Problem,
    SignedTreeHead,
    audit_log,
    entries_page_from_json,
    public_key_from_json,
    public_key_to_json,
)

EXPORT_FORMAT = "safereport-transparency-export-v2"
FETCH_TIMEOUT = 60
PROGRESS_FROM = 10_000  # show a progress bar for logs at least this long


class SourceError(Exception):
    """The log could not be fetched or read: exit 2, not a verdict."""


class HttpLog:
    """Fetches the log's JSON endpoints from a server."""

    def __init__(self, base_url: str) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise SourceError(f"{base_url!r} is not an http(s) URL")
        self.base = f"{parsed.scheme}://{parsed.netloc}{parsed.path.rstrip('/')}/transparency/"

    def get(self, path: str, **params: int) -> Any:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - scheme checked above
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 - scheme checked above
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise SourceError(f"{url}: HTTP {error.code}: {error.read()[:300]!r}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SourceError(f"{url}: {error}") from None
        except json.JSONDecodeError as error:
            raise SourceError(f"{url}: not JSON ({error})") from None

    def key(self) -> VerifyKey:
        return public_key_from_json(self.get("key"))

    def tree_heads(self) -> list[SignedTreeHead]:
        heads: list[SignedTreeHead] = []
        while True:
            page = self.get("sths", start=len(heads))
            batch = page.get("tree_heads") if isinstance(page, dict) else None
            if not isinstance(batch, list):
                raise SourceError("/transparency/sths did not answer a list of tree heads")
            heads.extend(SignedTreeHead.from_json_dict(h) for h in batch)
            if not batch or len(heads) >= page.get("total", 0):
                return heads

    def entries(self, size: int) -> Iterator[bytes]:
        """The first ``size`` entries, a page at a time (none kept here)."""
        done = 0
        while done < size:
            start, batch = entries_page_from_json(self.get("entries", start=done, end=size))
            if start != done or not batch:
                raise SourceError(f"/transparency/entries answered no entries from {done}")
            batch = batch[: size - done]
            done += len(batch)
            yield from batch

    def consistency(self, first: int, second: int) -> ConsistencyProof:
        return ConsistencyProof.from_json_dict(
            self.get("proof/consistency", first=first, second=second)
        )


class ExportFile:
    """An export file (docs/transparency.md §9), read as a stream.

    JSON Lines: a header ``{"format": ..., "key": ...}``, then one
    ``{"tree_head": ...}`` line per signed head, then one ``{"index": i,
    "entry": ..., "leaf_hash": ...}`` line per entry in order. The header
    and the heads are read on opening; :meth:`entries` then yields
    ``(entry bytes, stored leaf hash)`` one line at a time, so a file of any
    size is verified in constant memory (beside the 32-byte leaf hashes).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._file = path.open(encoding="utf-8")
        except OSError as error:
            raise SourceError(f"cannot read {path}: {error.strerror}") from None
        header = self._line()
        if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
            raise SourceError(f"{path} is not a SafeReport log export ({EXPORT_FORMAT})")
        self.key = public_key_from_json(header.get("key"))
        self.heads: list[SignedTreeHead] = []
        self._first: Any = None
        while (line := self._line()) is not None:
            if not (isinstance(line, dict) and set(line) == {"tree_head"}):
                self._first = line
                break
            self.heads.append(SignedTreeHead.from_json_dict(line["tree_head"]))

    def _line(self) -> Any:
        try:
            raw = self._file.readline()
            if not raw:
                return None
            return json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise SourceError(f"{self.path} holds a line that is not JSON: {error}") from None
        except OSError as error:
            raise SourceError(f"cannot read {self.path}: {error.strerror}") from None

    def entries(self) -> Iterator[tuple[bytes, bytes]]:
        line, index = self._first, 0
        while line is not None:
            if not isinstance(line, dict) or set(line) != {"index", "entry", "leaf_hash"}:
                raise SourceError(f"line for entry {index} is not an entry line")
            if line["index"] != index or not isinstance(line["entry"], str):
                raise SourceError(f"the export's entry lines skip or repeat entry {index}")
            try:
                stored = bytes.fromhex(line["leaf_hash"])
            except (TypeError, ValueError):
                raise SourceError(f"entry {index}: leaf_hash must be hex") from None
            yield line["entry"].encode("utf-8"), stored
            line, index = self._line(), index + 1
        self._file.close()


def where(problem: Problem, heads: list[SignedTreeHead]) -> str:
    parts = []
    if problem.entry_index is not None:
        parts.append(f"entry {problem.entry_index}")
    elif problem.entry_range is not None:
        parts.append(f"entries {problem.entry_range[0]}..{problem.entry_range[1] - 1}")
    if problem.tree_head_index is not None:
        size = heads[problem.tree_head_index].tree_size
        parts.append(f"tree head {problem.tree_head_index} (size {size})")
    return ", ".join(parts) or "the log"


class Command(BaseCommand):
    help = "Verify the transparency log (of any server, or an export) or export this server's log."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="check every entry, root and signature")
        verify.add_argument("source", nargs="?", help="the server's URL, or an export file")
        verify.add_argument("--export", dest="export_file", help="verify an export file")
        verify.add_argument("--since", help="a tree head (JSON) saved on an earlier run")
        verify.add_argument("--save-head", help="write the newest verified tree head here")
        verify.add_argument("--key", help="the log's public key (64 hex), known out of band")
        verify.add_argument("--quiet", action="store_true", help="no progress bar")
        export = sub.add_parser("export", help="write this server's log to a file")
        export.add_argument("file")
        sub.add_parser("key", help="print this server's public key (JSON)")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["subcommand"]
        if command == "export":
            self.export(Path(options["file"]))
        elif command == "key":
            from safereport.transparency.actions import verify_key

            self.stdout.write(json.dumps(public_key_to_json(verify_key())))
        else:
            try:
                code = self.verify(options)
            except SourceError as error:
                raise CommandError(f"cannot verify: {error}", returncode=2) from None
            except LedgerError as error:
                raise CommandError(f"FAIL: the log is malformed: {error}", returncode=1) from None
            if code:
                raise CommandError("FAIL: the log does not verify", returncode=code)

    # --- verify -------------------------------------------------------------

    def verify(self, options: dict[str, Any]) -> int:
        source, export_file = options["source"], options["export_file"]
        if bool(source) == bool(export_file):
            raise SourceError("give either a server URL (or export file) or --export FILE")
        since = None
        if options["since"]:
            try:
                saved = json.loads(Path(options["since"]).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as error:
                raise SourceError(f"cannot read --since {options['since']}: {error}") from None
            since = SignedTreeHead.from_json_dict(saved)
        quiet = options["quiet"]
        leaf_hashes: Iterable[bytes] | None = None
        server: HttpLog | None = None
        entries: Iterable[bytes]
        if export_file or not source.startswith(("http://", "https://")):
            path = Path(export_file or source)
            self.say(f"Reading the export {path}")
            export = ExportFile(path)
            key, heads = export.key, export.heads
            pairs, pairs_again = tee(export.entries())  # read in step: tee buffers one line
            entries = (entry for entry, _ in pairs)
            leaf_hashes = (stored for _, stored in pairs_again)
        else:
            server = HttpLog(source)
            self.say(f"Fetching the log from {server.base}")
            key = server.key()
            heads = server.tree_heads()
            entries = server.entries(max((h.tree_size for h in heads), default=0))
        size = max((h.tree_size for h in heads), default=0)
        if options["key"] and options["key"].lower() != bytes(key).hex():
            self.say(f"FAIL the log's key {bytes(key).hex()} is not the key given with --key")
            return 1
        self.say(f"Public key {bytes(key).hex()}")
        with self.bar(size, "checking entries", quiet) as bar:
            done = [0]

            def progress(n: int) -> None:
                bar.update(n - done[0])
                done[0] = n

            report = audit_log(
                entries, heads, key, since=since, leaf_hashes=leaf_hashes, progress=progress
            )
        ok = self.print_report(report, heads)
        if ok and since is not None and server is not None and report.latest_tree_head:
            ok = self.check_consistency_proof(server, since, report.latest_tree_head)
        if ok and options["save_head"] and report.latest_tree_head is not None:
            Path(options["save_head"]).write_text(
                json.dumps(report.latest_tree_head.to_json_dict(), indent=2) + "\n"
            )
            self.say(f"Saved the newest verified tree head to {options['save_head']}")
        return 0 if ok else 1

    def check_consistency_proof(
        self, server: HttpLog, since: SignedTreeHead, latest: SignedTreeHead
    ) -> bool:
        proof = server.consistency(since.tree_size, latest.tree_size)
        try:
            proof.verify(since.root_hash, latest.root_hash)
        except LedgerError as error:
            self.say(f"FAIL the server's consistency proof does not verify: {error}")
            return False
        self.say(
            f"The server's consistency proof from size {since.tree_size} to "
            f"{latest.tree_size} verifies."
        )
        return True

    def print_report(self, report: AuditReport, heads: list[SignedTreeHead]) -> bool:
        for problem in report.problems:
            self.say(f"FAIL {where(problem, heads)}: {problem.message}")
        if not report.ok:
            return False
        latest = report.latest_tree_head
        assert latest is not None  # noqa: S101 - a report without problems has a verified head
        self.say(
            f"OK: {report.entries_checked} entries and {report.tree_heads_checked} signed tree "
            f"heads verify; root of size {latest.tree_size} is {latest.root_hash.hex()}."
        )
        if report.unsigned_entries:
            self.say(f"note: {report.unsigned_entries} entries are not yet covered by a head.")
        return True

    def bar(self, total: int, what: str, quiet: bool) -> tqdm[Any]:
        disable = quiet or total < PROGRESS_FROM
        return tqdm(total=total, desc=what, unit=" entries", disable=disable, file=sys.stderr)

    def say(self, line: str) -> None:
        self.stdout.write(line)

    # --- export -------------------------------------------------------------

    def export(self, path: Path) -> None:
        """Write the log as JSON Lines, streaming: keyset pages in, one line per entry out."""
        from safereport.transparency import selectors
        from safereport.transparency.actions import verify_key

        heads = 0
        size = entries = 0
        with path.open("w", encoding="utf-8") as out:
            header = {"format": EXPORT_FORMAT, "key": public_key_to_json(verify_key())}
            out.write(_line(header))
            while batch := selectors.tree_heads_after(size):
                for head in batch:
                    out.write(_line({"tree_head": head.to_json_dict()}))
                heads += len(batch)
                size = batch[-1].tree_size
            for row in selectors.iter_stored_entries(size):
                if row.index != entries:
                    raise CommandError(f"entry {entries} is missing from the database")
                # The line of _line(), written directly: a million of them add up.
                text = json.dumps(row.data.decode("utf-8", errors="replace"))
                out.write(
                    f'{{"index":{row.index},"entry":{text},"leaf_hash":"{row.leaf_hash.hex()}"}}\n'
                )
                entries += 1
        if entries != size:
            raise CommandError(f"entry {entries} is missing from the database")
        self.say(f"Exported {entries} entries and {heads} tree heads to {path}")


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True) + "\n"
