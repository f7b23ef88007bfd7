"""Production refuses several workers on a per-process secrets store, and says how to fix it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from test_settings import GOOD_PRODUCTION


def deploy_check(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAFEREPORT_", "DATABASE_URL", "REDIS_URL"))
        # set by the browser tests in this process; `check --deploy` rightly refuses it
        and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean.update(GOOD_PRODUCTION, SAFEREPORT_DATA_DIR=str(tmp_path))
    del clean["REDIS_URL"]
    clean.update(env)
    clean["DATABASE_URL"] = f"sqlite:///{tmp_path}/check.sqlite3"
    return subprocess.run(
        [sys.executable, "-m", "safereport.manage", "check", "--deploy"],
        capture_output=True,
        text=True,
        env=clean,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "starts"),
    [
        ({"SAFEREPORT_WORKERS": "3"}, False),
        ({}, False),  # gunicorn.conf.py's default is three workers
        ({"SAFEREPORT_WORKERS": "1"}, True),
        ({"SAFEREPORT_WORKERS": "3", "REDIS_URL": "redis://:pw@10.0.0.5:6379/0"}, True),
    ],
)
def test_production_needs_a_shared_store_for_several_workers(tmp_path, env, starts):
    result = deploy_check(env, tmp_path)
    if starts:
        assert result.returncode == 0, result.stderr[-3000:]
        assert "REDIS_URL" not in result.stderr
    else:
        assert result.returncode != 0
        assert "ConfigError" in result.stderr
        assert "REDIS_URL is not set" in result.stderr
        assert "Set REDIS_URL" in result.stderr and "SAFEREPORT_WORKERS=1" in result.stderr
