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
