"""No reporter's address or browser is written to the database or to any log.

The Django-level test sends requests with canary addresses and user agents
and searches every table and every captured log record. The server-level
tests start the real servers (gunicorn with the production configuration,
and the demo's runserver) as separate processes, connect from another
loopback address, send canaries, and search their output and database file.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from sr_testing.servers import ROOT, server_env, wait_for

CANARY_ADDRESS = "203.0.113.77"  # documentation range: never a real client
CANARY_AGENT = "CanaryBrowser/9.9 (safereport-privacy-test)"
CLIENT_LOOPBACK = "127.0.0.3"  # the real servers see connections from here


def every_value_in_the_database() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from introspection
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


@pytest.mark.django_db
def test_public_and_staff_requests_leave_no_address_or_agent(client, personas, caplog):
    from sr_testing.personas import sign_in

    caplog.set_level(logging.DEBUG)
    # Loggers that do not propagate to the root are captured too.
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
    headers = {
        "REMOTE_ADDR": CANARY_ADDRESS,
        "HTTP_USER_AGENT": CANARY_AGENT,
        "HTTP_X_FORWARDED_FOR": CANARY_ADDRESS,
        "HTTP_X_REAL_IP": CANARY_ADDRESS,
    }
    for path in ("/", "/en/", "/es/your-rights/", "/en/does-not-exist/", "/staff/login/"):
        client.get(path, **headers)
    client.post(
        "/staff/login/", {"username": "caseworker", "password": "x", "code": "1"}, **headers
    )
    sign_in(client, personas.caseworker)
    client.get("/staff/cases/", **headers)
    client.post("/staff/logout/", **headers)

    stored = every_value_in_the_database()
    assert "caseworker" in stored, "the search must see real rows"
    logged = "\n".join(f"{r.getMessage()} {r.__dict__!r}" for r in caplog.records)
    assert "Not Found" in logged, "the search must see real log records"
    for canary in (CANARY_ADDRESS, CANARY_AGENT, "CanaryBrowser"):
        assert canary not in stored
        assert canary not in logged


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def raw_request(port: int, payload: bytes) -> bytes:
    with socket.create_connection(
        ("127.0.0.1", port), timeout=60, source_address=(CLIENT_LOOPBACK, 0)
    ) as s:
        s.sendall(payload)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def http_get(port: int, path: str) -> bytes:
    return raw_request(
        port,
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {CANARY_AGENT}\r\n"
            f"X-Forwarded-For: {CANARY_ADDRESS}\r\nReferer: http://{CANARY_ADDRESS}/\r\n"
            "Connection: close\r\n\r\n"
        ).encode(),
    )


def run_server_and_collect(
    command: list[str], env: dict[str, str], port: int, tmp_path: Path
) -> tuple[str, bytes]:
    manage(env, "migrate", "--noinput")
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            wait_for(port, process)
            responses = [
                http_get(port, path) for path in ("/", "/en/", "/en/missing/", "/staff/login/")
            ]
            # A malformed request: gunicorn's own error message would name the address.
            raw_request(port, b"GET / HTTP/1.1\r\nHost: x\r\nThis header has no colon\r\n\r\n")
            time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(timeout=20)
    assert any(b" 200 OK" in r for r in responses), "the server must have answered"
    database = b"".join(p.read_bytes() for p in tmp_path.glob("*.sqlite3*"))
    return log_path.read_text(errors="replace"), database


def manage(env: dict[str, str], *command: str) -> None:
    """Run one ``safereport`` management command for a server's environment."""
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "safereport.manage", *command, "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def production_env(tmp_path: Path, port: int) -> dict[str, str]:
    """The environment of the production configuration on ``port``, static files collected."""
    env = server_env(tmp_path)
    env.update(
        SAFEREPORT_MODE="production",
        SAFEREPORT_SECRET_KEY="s" * 64,
        SAFEREPORT_INSTALLATION_SALT="00112233445566778899aabbccddeeff",
        SAFEREPORT_LEDGER_SIGNING_KEY="5e" * 32,
        SAFEREPORT_MATCHING_KEY="6d" * 32,
        SAFEREPORT_ALLOWED_HOSTS="127.0.0.1",
        SAFEREPORT_SSL_REDIRECT="0",
        SAFEREPORT_BIND=f"127.0.0.1:{port}",
        SAFEREPORT_WORKERS="1",
        DATABASE_URL=f"sqlite:///{tmp_path}/production.sqlite3",
    )
    manage(env, "collectstatic", "--noinput")
    return env


@pytest.mark.slow
def test_production_gunicorn_logs_no_address_or_agent(tmp_path):
    port = free_port()
    env = production_env(tmp_path, port)
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "safereport.wsgi",
    ]
    logs, database = run_server_and_collect(gunicorn, env, port, tmp_path)
    assert '"GET /en/ HTTP/1.1" 200' in logs, logs
    assert "Invalid request" in logs, "the malformed request must have been logged"
    for canary in (CLIENT_LOOPBACK, CANARY_ADDRESS, "CanaryBrowser"):
        assert canary not in logs, logs
        assert canary.encode() not in database


@pytest.mark.slow
def test_demo_runserver_logs_no_address_or_agent(tmp_path):
    port = free_port()
    env = server_env(tmp_path)
    command = [
        sys.executable,
        "-m",
        "safereport.manage",
        "runserver",
        f"127.0.0.1:{port}",
        "--noreload",
    ]
    logs, database = run_server_and_collect(command, env, port, tmp_path)
    assert '"GET /en/ HTTP/1.1" 200' in logs, logs
    for canary in (CLIENT_LOOPBACK, CANARY_ADDRESS, "CanaryBrowser"):
        assert canary not in logs, logs
        assert canary.encode() not in database
