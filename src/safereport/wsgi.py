"""WSGI entry point for gunicorn (see docs/operations.md and gunicorn.conf.py)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safereport.settings")
application = get_wsgi_application()
