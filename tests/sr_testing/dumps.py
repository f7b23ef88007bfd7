"""The whole database as a thief would take it, for the stolen-database tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection


def dump_database() -> bytes:
    """The whole database as bytes: the SQLite image, or pg_dump's output."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return connection.connection.serialize()
    if connection.vendor == "postgresql":
        pg_dump = shutil.which("pg_dump") or "/usr/bin/pg_dump"
        if not Path(pg_dump).exists():
            pytest.skip("pg_dump is not installed, so the PostgreSQL database cannot be dumped")
        params = connection.get_connection_params()
        command = [pg_dump, "--no-owner", "--dbname", params["dbname"]]
        for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
            if params.get(key):
                command += [flag, str(params[key])]
        env = {"PGPASSWORD": str(params.get("password") or ""), "PATH": "/usr/bin:/bin"}
        return subprocess.run(command, check=True, capture_output=True, env=env).stdout  # noqa: S603
    pytest.skip(f"no dump for {connection.vendor}")
