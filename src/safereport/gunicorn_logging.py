"""A gunicorn logger that cannot write a client's address or browser.

Gunicorn's access-log atoms include the client address (`h`), the user
agent (`a`), the referer (`f`) and every request header; and its error log
names the client address when a request is malformed ("Invalid request from
ip=..."). This logger removes those atoms and scrubs anything shaped like an
IP address from every line, so even a misconfigured log format stays clean.
Used by `gunicorn.conf.py` at the repository root.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

_IPV4 = r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"
_IPV6 = r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])"
ADDRESS = re.compile(f"{_IPV4}|{_IPV6}")
REMOVED = "[address removed]"
_PRIVATE_ATOMS = {"h", "a", "f", "u"}


def scrub(text: str) -> str:
    return ADDRESS.sub(REMOVED, text)


class _ScrubAddresses(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class PrivateLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(_ScrubAddresses())
            for handler in log.handlers:
                handler.addFilter(_ScrubAddresses())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in list(atoms):
            if key in _PRIVATE_ATOMS or (key.startswith("{") and key.endswith("}i")):
                atoms[key] = "-"
        return atoms
