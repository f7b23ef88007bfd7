"""Small validating readers for settings taken from the environment.

Each helper names the variable in its error, so a misconfigured server says
exactly what is wrong at start-up instead of failing later. Every variable
read here is listed in `.env.example`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


class ConfigError(Exception):
    """A setting in the environment is missing or malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str:
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigError(f"{name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        value = default
    else:
        try:
            value = int(raw.strip())
        except ValueError:
            raise ConfigError(f"{name} must be a whole number; got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be at most {maximum}; got {value}.")
    return value


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(
    name: str, choices: set[str], default: str, *, environ: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, environ=environ).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(sorted(choices))}; got {value!r}.")
    return value


def web_workers(*, environ: Mapping[str, str] | None = None) -> int:
    """How many gunicorn workers serve the site (gunicorn.conf.py and the
    production check on the secrets store read the same value)."""
    return env_int("SAFEREPORT_WORKERS", 3, minimum=1, maximum=256, environ=environ)


def env_redis_url(name: str, *, environ: Mapping[str, str] | None = None) -> str:
    """A Redis address (``redis://``, ``rediss://`` or ``unix://``), or "" when unset."""
    value = env_str(name, "", environ=environ).strip()
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"{name} must start with redis://, rediss:// or unix://; got {value!r}.")
    return value
