"""A request for a host not in ALLOWED_HOSTS: a 400, and one plain log line.

No traceback, no request object, and of the Host header (chosen by whoever
sends the request) only a short excerpt with everything but printable ASCII
escaped. In the app (caplog sees every record a handler would) and from the
production gunicorn server's own output.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import pytest
from test_privacy_of_logs import free_port, manage, production_env, raw_request

from safereport.log_filters import EXCERPT_CHARACTERS
from sr_testing.servers import ROOT, wait_for

pytestmark = pytest.mark.django_db

# (name, Host header as the server receives it)
HOSTILE_HOSTS = [
    ("plain", "evil.example"),
    ("long", "a" * 5000 + ".example"),
    ("newline", "evil.example\r\n2026-12-06 ERROR forged: line"),
    ("terminal", "\x1b[2J\x1b[31mred.example\x1b[0m"),
    ("nul", "evil\x00.example"),
    ("unicode", "例え.テスト"),
    ("rtl", "\u202egpj.example"),
    ("spaces", "not a host at all"),
    ("port", "evil.example:99999"),
    ("userinfo", "127.0.0.1@evil.example"),
    ("bracket", "[::1"),
]
# The longest line the filter can write: the sentence, a 40-character excerpt
# in which each character may become a 10-character escape, and the count.
MAX_LINE = 80 + EXCERPT_CHARACTERS * 10 + 40


def _capture_every_logger(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        if not logger.propagate:  # e.g. django.request: seen too
            logger.addHandler(caplog.handler)


def _is_inert(line: str) -> bool:
    return line.isascii() and line.isprintable()


@pytest.mark.parametrize(("name", "host"), HOSTILE_HOSTS, ids=[n for n, _ in HOSTILE_HOSTS])
def test_a_hostile_host_gets_a_400_and_one_escaped_line(client, caplog, name, host):
    _capture_every_logger(caplog)
    response = client.get("/en/", HTTP_HOST=host)

    assert response.status_code == 400
    assert "Traceback" not in caplog.text
    assert all(record.exc_info is None and record.stack_info is None for record in caplog.records)
    refused = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(refused) == 1, caplog.text
    line = refused[0].getMessage()
    assert line.startswith("Refused a request for a host that is not allowed: ")
    assert not hasattr(refused[0], "request")
    assert _is_inert(line), line
    assert len(line) <= MAX_LINE
    # Nothing beyond the excerpt: no record anywhere holds the header's 41st character on.
    rest = host[EXCERPT_CHARACTERS:]
    every_message = "\n".join(r.getMessage() for r in caplog.records)
    if rest:
        assert rest not in every_message
    assert ascii(host[:EXCERPT_CHARACTERS]) in line
    # Every line anything logged for this request is inert and one line.
    assert all(_is_inert(r.getMessage()) for r in caplog.records), every_message


def test_the_long_header_is_counted_not_copied(client, caplog):
    _capture_every_logger(caplog)
    client.get("/en/", HTTP_HOST="b" * 10_000)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert line.endswith(
        f"'{'b' * EXCERPT_CHARACTERS}' and {10_000 - EXCERPT_CHARACTERS} more characters"
    )


def test_an_allowed_host_logs_nothing_of_the_kind(client, caplog):
    _capture_every_logger(caplog)
    assert client.get("/en/").status_code == 200
    assert not [r for r in caplog.records if r.name.startswith("django.security")]


@pytest.mark.slow
def test_production_gunicorn_writes_one_line_per_hostile_host(tmp_path):
    """The production configuration (gunicorn.conf.py, SAFEREPORT_MODE=production):
    raw requests with hostile Host headers; the server's whole output is read."""
    port = free_port()
    env = production_env(tmp_path, port)
    manage(env, "migrate", "--noinput")
    # What a raw HTTP request can carry in a Host header (no CR or LF: HTTP ends the
    # header there; gunicorn refuses NUL and other control characters itself).
    hosts = [
        "evil.example",
        "a" * 3000 + ".example",
        "\x1b[31mred.example",
        "例え.テスト",
        "not a host",
        "127.0.0.1@evil.example",
    ]
    log_path = tmp_path / "server.log"
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own server
            [*command, "safereport.wsgi"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_for(port, process)
            answers = [
                raw_request(
                    port,
                    b"GET /en/ HTTP/1.1\r\nHost: "
                    + host.encode("utf-8")
                    + b"\r\nConnection: close\r\n\r\n",
                )
                for host in hosts
            ]
            time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(timeout=20)
    logs = log_path.read_text("utf-8", errors="replace")
    assert all(answer.startswith(b"HTTP/1.1 400") for answer in answers), answers
    assert "Traceback" not in logs, logs
    refused = [line for line in logs.splitlines() if "host that is not allowed" in line]
    assert len(refused) == len(hosts), logs
    assert all(_is_inert(line) and len(line) <= MAX_LINE + 80 for line in refused), refused
    assert "a" * (EXCERPT_CHARACTERS + 1) not in logs
    assert "\x1b" not in logs and "例" not in logs
