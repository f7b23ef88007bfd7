"""WSGI entry point for gunicorn (see docs/operations.md and gunicorn.conf.py)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safereport.settings")
application = get_wsgi_application()

from safereport.staticfiles import require_manifest  # noqa: E402 - needs the settings

require_manifest()  # production: collectstatic first

# Import every view now (the analysis views pull in SciPy), so that start-up
# pays for it once (gunicorn preloads the app before forking workers) instead
# of the first person to open a page.
get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
