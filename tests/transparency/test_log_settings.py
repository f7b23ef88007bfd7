"""The log's signing key: required in production, generated in the demo, never malformed."""

from __future__ import annotations

import os
import subprocess
import sys

PRODUCTION = {
    "SAFEREPORT_MODE": "production",
    "SAFEREPORT_SECRET_KEY": "x" * 64,
    "SAFEREPORT_ALLOWED_HOSTS": "report.example.org",
    "DATABASE_URL": "postgres://safereport@127.0.0.1:5432/safereport",
    "SAFEREPORT_INSTALLATION_SALT": "00112233445566778899aabbccddeeff",
    "SAFEREPORT_MATCHING_KEY": "6d" * 32,
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def ledger_key(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("SAFEREPORT_", "DATABASE_URL"))
    }
    clean.update(env)
    clean["SAFEREPORT_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-c", "import safereport.settings as s; print(s.LEDGER_SIGNING_KEY)"],
        capture_output=True,
        text=True,
        env=clean,
        check=False,
    )


def test_production_refuses_to_start_without_the_ledger_key(tmp_path):
    result = ledger_key(PRODUCTION, tmp_path)
    assert result.returncode != 0
    assert "SAFEREPORT_LEDGER_SIGNING_KEY must be set" in result.stderr


def test_a_malformed_ledger_key_is_refused(tmp_path):
    result = ledger_key({**PRODUCTION, "SAFEREPORT_LEDGER_SIGNING_KEY": "abc"}, tmp_path)
    assert result.returncode != 0
    assert "must be 64 lowercase hex digits" in result.stderr


def test_production_uses_the_key_given(tmp_path):
    key = "0123456789abcdef" * 4
    result = ledger_key({**PRODUCTION, "SAFEREPORT_LEDGER_SIGNING_KEY": key}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key


def test_the_demo_makes_a_key_once_and_keeps_it(tmp_path):
    first = ledger_key({}, tmp_path)
    second = ledger_key({}, tmp_path)
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.strip()) == 64
    assert first.stdout == second.stdout
    assert (tmp_path / "ledger_signing_key").stat().st_mode & 0o077 == 0
