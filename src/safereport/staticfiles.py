"""Static files: compressed, named by their content, cached for a year.

``safereport collectstatic`` (run by ``dev.py demo``, by the test session and
at every production install, docs/operations.md) copies the package's
static files to ``STATIC_ROOT`` through WhiteNoise's own
``CompressedManifestStaticFilesStorage``: each file also under a name with a
hash of its content (``site.3f2a9c1b7e4d.css``), with a gzip copy beside it
(and a Brotli one where the ``brotli`` module is installed), and a manifest
that ``{% static %}`` reads to link the hashed names. A hashed name's content
never changes, so ``StaticFilesMiddleware`` serves it with
``Cache-Control: max-age=31536000, public, immutable``; the unhashed names
stay available with WhiteNoise's short default.

Production refuses to start without the manifest (``require_manifest``, from
``wsgi.py``): without it every page would fail on its stylesheet. The demo
without ``collectstatic`` links the unhashed names (served from the package
by WhiteNoise's finders), so a fresh clone's ``runserver`` still works.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

ONE_YEAR = 365 * 24 * 60 * 60


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage; in demo mode, before the first
    ``collectstatic``, it links the unhashed names instead of failing."""

    def stored_name(self, name: str) -> str:
        if not self.hashed_files and not settings.PRODUCTION:
            return name  # no manifest yet: the demo serves the package's files by name
        return str(super().stored_name(name))


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with a year (not ten) as the life of a file named by its hash."""

    FOREVER = ONE_YEAR


def manifest_path() -> Path:
    return Path(settings.STATIC_ROOT) / StaticStorage.manifest_name


def require_manifest() -> None:
    """Refuse to serve in production without ``collectstatic``'s manifest."""
    if settings.PRODUCTION and not manifest_path().is_file():
        raise ImproperlyConfigured(
            f"{manifest_path()} is missing: run `safereport collectstatic --noinput` "
            "(docs/operations.md) before starting the server."
        )
