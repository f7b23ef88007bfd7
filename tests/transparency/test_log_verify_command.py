"""`safereport ledger verify` against a live server and against an export; `ledger export`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from log_helpers import append_samples, sample_entry, tamper_entry

from safereport.core.ledger import encode_entry
from safereport.transparency import selectors

pytestmark = pytest.mark.django_db(transaction=True)


def verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("ledger", "verify", *args, "--quiet", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_verify_a_live_server_then_check_consistency_since_a_saved_head(live_server, tmp_path):
    append_samples(12)
    head_file = tmp_path / "head.json"
    code, out = verify(live_server.url, "--save-head", str(head_file))
    assert code == 0, out
    size = selectors.log_size()
    assert f"OK: {size} entries and 1 signed tree heads verify" in out
    saved = json.loads(head_file.read_text())
    assert saved["tree_size"] == size

    append_samples(5)
    code, out = verify(live_server.url, "--since", str(head_file))
    assert code == 0, out
    assert f"consistency proof from size {size} to {size + 5} verifies" in out


def test_verify_names_an_entry_changed_in_the_database(live_server):
    append_samples(5)
    victim = selectors.log_size()
    append_samples(1)  # a head signed just before and just after the victim names it exactly
    append_samples(3)
    forged = encode_entry(sample_entry(2))  # a different, well-formed entry
    assert forged != selectors.entry_data(victim)
    tamper_entry(victim, forged)
    code, out = verify(live_server.url)
    assert code == 1
    assert f"FAIL entry {victim}, tree head 1 (size {victim + 1})" in out
    assert f"entry {victim} was changed" in out
    # The next head (three entries later) can only bound it.
    assert f"tree head 2 (size {victim + 4}): root does not match" in out


def test_verify_fails_when_history_was_rewritten_since_a_saved_head(live_server, tmp_path):
    append_samples(6)
    head_file = tmp_path / "head.json"
    assert verify(live_server.url, "--save-head", str(head_file))[0] == 0
    tamper_entry(1, encode_entry(sample_entry(3)))
    code, out = verify(live_server.url, "--since", str(head_file))
    assert code == 1
    assert "log's history was rewritten" in out


def test_verify_refuses_a_key_other_than_the_one_pinned(live_server):
    append_samples(2)
    code, out = verify(live_server.url, "--key", "00" * 32)
    assert code == 1
    assert "is not the key given with --key" in out


def test_export_then_verify_the_export_names_a_changed_entry(tmp_path):
    append_samples(7)
    export = tmp_path / "log.json"
    call_command("ledger", "export", str(export), stdout=io.StringIO())
    assert verify("--export", str(export))[0] == 0
    assert verify(str(export))[0] == 0  # a file path works as the source too
    victim = selectors.log_size() - 3
    tamper_entry(victim, encode_entry(sample_entry(1)))
    call_command("ledger", "export", str(export), stdout=io.StringIO())
    code, out = verify("--export", str(export))
    assert code == 1
    assert f"FAIL entry {victim}: entry {victim} does not hash to its stored leaf hash" in out


def test_unreachable_server_or_unreadable_file_exit_2(tmp_path):
    assert verify("http://127.0.0.1:9/")[0] == 2
    assert verify(str(tmp_path / "missing.json"))[0] == 2
    (tmp_path / "other.json").write_text("{}")
    assert verify(str(tmp_path / "other.json"))[0] == 2


def test_an_entry_changed_into_bytes_that_are_not_text_is_still_named(live_server):
    append_samples(4)
    victim = selectors.log_size() - 2
    tamper_entry(victim, b'{"kind":"\xff\xfe","v":1,"week":"2026-W47"}')
    code, out = verify(live_server.url)
    assert code == 1
    assert f"FAIL entry {victim}" in out


def test_export_is_json_lines_read_in_keyset_pages(tmp_path, monkeypatch):
    append_samples(5)
    append_samples(6)
    pages: list[tuple[int, int]] = []
    real_page = selectors.stored_entries

    def recording_page(after: int, end: int, limit: int = 10_000) -> list:  # type: ignore[type-arg]
        pages.append((after, end))
        return real_page(after, end, 4)  # small pages, to read several

    monkeypatch.setattr(selectors, "stored_entries", recording_page)
    export = tmp_path / "log.jsonl"
    call_command("ledger", "export", str(export), stdout=io.StringIO())
    size = selectors.log_size()
    # Each page starts after the last index read: keyset, never OFFSET.
    assert [after for after, _ in pages] == [-1, 3, 7, 11][: len(pages)]
    assert pages[-1][0] == size - 1
    lines = [json.loads(line) for line in export.read_text().splitlines()]
    assert lines[0]["format"] == "safereport-transparency-export-v2"
    heads = [line["tree_head"]["tree_size"] for line in lines if "tree_head" in line]
    assert heads == [size - 6, size]
    assert [line["index"] for line in lines if "entry" in line] == list(range(size))
    assert verify(str(export))[0] == 0

    # A line left out is a broken input (exit 2), not a verdict about the log.
    kept = [line for line in export.read_text().splitlines() if '"index":2,' not in line]
    (tmp_path / "gap.jsonl").write_text("\n".join(kept) + "\n")
    code, out = verify(str(tmp_path / "gap.jsonl"))
    assert code == 2
    assert "skip or repeat entry 2" in out


def test_verify_over_http_reads_the_entries_in_pages(live_server, monkeypatch):
    append_samples(9)
    monkeypatch.setattr(selectors, "MAX_ENTRIES_PER_PAGE", 4)
    code, out = verify(live_server.url)
    assert code == 0, out
    assert f"OK: {selectors.log_size()} entries and 1 signed tree heads verify" in out
