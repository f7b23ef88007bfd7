"""Settings come from the environment; production refuses to start without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from safereport.conf import ConfigError, env_bool, env_int, env_list

GOOD_PRODUCTION = {
    "SAFEREPORT_MODE": "production",
    "SAFEREPORT_SECRET_KEY": "x" * 64,
    "SAFEREPORT_ALLOWED_HOSTS": "report.example.org",
    "DATABASE_URL": "postgres://safereport@127.0.0.1:5432/safereport",
    "SAFEREPORT_LEDGER_SIGNING_KEY": "5e" * 32,
    "SAFEREPORT_INSTALLATION_SALT": "00112233445566778899aabbccddeeff",
    "SAFEREPORT_MATCHING_KEY": "6d" * 32,
    "REDIS_URL": "redis://:secret@10.0.0.7:6379/0",  # the default three workers share it
}


def load_settings(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("SAFEREPORT_", "DATABASE_URL"))
    }
    clean.update(env)
    clean["SAFEREPORT_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-c", "import safereport.settings as s; print(s.MODE, s.DEBUG)"],
        capture_output=True,
        text=True,
        env=clean,
        check=False,
    )


def test_demo_mode_needs_nothing(tmp_path):
    result = load_settings({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["demo", "False"]
    assert (tmp_path / "secret_key").exists()


def test_production_starts_with_every_secret(tmp_path):
    result = load_settings(GOOD_PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["production", "False"]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SAFEREPORT_SECRET_KEY", "SAFEREPORT_SECRET_KEY must be set"),
        ("SAFEREPORT_ALLOWED_HOSTS", "SAFEREPORT_ALLOWED_HOSTS must list"),
        ("DATABASE_URL", "DATABASE_URL must be set"),
        ("SAFEREPORT_INSTALLATION_SALT", "SAFEREPORT_INSTALLATION_SALT must be set"),
        ("SAFEREPORT_MATCHING_KEY", "SAFEREPORT_MATCHING_KEY must be set"),
    ],
)
def test_production_refuses_to_start_without_a_secret(tmp_path, missing, message):
    env = {k: v for k, v in GOOD_PRODUCTION.items() if k != missing}
    result = load_settings(env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_with_several_workers_needs_the_shared_queue(tmp_path):
    without = {k: v for k, v in GOOD_PRODUCTION.items() if k != "REDIS_URL"}
    refused = load_settings({**without, "SAFEREPORT_WORKERS": "3"}, tmp_path)
    assert refused.returncode != 0
    assert "SAFEREPORT_WORKERS is 3 but REDIS_URL is not set" in refused.stderr
    assert "job queue" in refused.stderr
    one = load_settings({**without, "SAFEREPORT_WORKERS": "1"}, tmp_path)
    assert one.returncode == 0, one.stderr
    bad = load_settings({**GOOD_PRODUCTION, "REDIS_URL": "http://127.0.0.1:6379"}, tmp_path)
    assert "REDIS_URL must start with redis://" in bad.stderr


def test_production_refuses_a_short_secret_key_and_debug(tmp_path):
    short = load_settings({**GOOD_PRODUCTION, "SAFEREPORT_SECRET_KEY": "short"}, tmp_path)
    assert "at least 50 characters" in short.stderr
    debug = load_settings({**GOOD_PRODUCTION, "SAFEREPORT_DEBUG": "1"}, tmp_path)
    assert "cannot be on in production" in debug.stderr


def test_env_helpers_validate_and_name_the_variable():
    assert env_bool("X", False, environ={"X": "yes"}) is True
    assert env_int("X", 3, environ={}) == 3
    assert env_list("X", [], environ={"X": "a, b,,c"}) == ["a", "b", "c"]
    with pytest.raises(ConfigError, match="X must be one of"):
        env_bool("X", False, environ={"X": "maybe"})
    with pytest.raises(ConfigError, match="X must be a whole number"):
        env_int("X", 1, environ={"X": "ten"})
    with pytest.raises(ConfigError, match="X must be at least 1"):
        env_int("X", 1, minimum=1, environ={"X": "0"})


def test_every_variable_read_is_listed_in_env_example():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [root / "src/safereport/settings.py", root / "gunicorn.conf.py"]
    used = set()
    for source in sources:
        used |= set(re.findall(r"\"((?:SAFEREPORT_|DATABASE_URL)[A-Z_]*)\"", source.read_text()))
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", (root / ".env.example").read_text(), re.M))
    assert used, "expected to find environment variables"
    assert used <= listed, f"missing from .env.example: {sorted(used - listed)}"


def test_production_checks_the_key_derivation_slots_at_start(tmp_path):
    # 4,096 derivations at once would need 256 GiB free.
    too_many = load_settings({**GOOD_PRODUCTION, "SAFEREPORT_KDF_SLOTS": "4096"}, tmp_path)
    assert too_many.returncode != 0
    assert "SAFEREPORT_KDF_SLOTS is 4096" in too_many.stderr and "MiB" in too_many.stderr
    unusable = load_settings(
        {**GOOD_PRODUCTION, "SAFEREPORT_KDF_SLOT_DIR": "/proc/no-such-folder"}, tmp_path
    )
    assert unusable.returncode != 0
    assert "SAFEREPORT_KDF_SLOT_DIR /proc/no-such-folder is not usable" in unusable.stderr
    chosen = load_settings({**GOOD_PRODUCTION, "SAFEREPORT_KDF_SLOTS": "1"}, tmp_path)
    assert chosen.returncode == 0, chosen.stderr
    assert (tmp_path / "kdf-slots" / "kdf-slot-0.lock").exists()
