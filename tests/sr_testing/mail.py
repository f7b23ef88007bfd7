"""A real SMTP server on localhost (aiosmtpd) for mail tests.

Use the ``smtp_server`` fixture: Django's SMTP backend is pointed at it, and
``smtp_server.messages`` holds every message it received, parsed.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    def __init__(self, collector: _Collector, port: int) -> None:
        self._collector = collector
        self.port = port

    @property
    def messages(self) -> list[EmailMessage]:
        return self._collector.messages

    @property
    def recipients(self) -> list[list[str]]:
        return [rcpt for _, rcpt in self._collector.envelopes]

    def bodies(self) -> list[str]:
        return [str(m.get_body(preferencelist=("plain",)).get_content()) for m in self.messages]  # type: ignore[union-attr]


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield SmtpServer(collector, port)
    finally:
        controller.stop()
