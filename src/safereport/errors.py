"""The server-error page, in the visitor's language when it can be.

A 500 means something already went wrong, so this view renders a tiny
template that needs no database, no session and no context processor, in
the language of the URL (/es/..., /ar/...), and falls back to the static
English ``500.html`` if even that fails.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils import translation

logger = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        with translation.override(language):
            html = loader.get_template("500_translated.html").render(
                {
                    "language": language,
                    "direction": "rtl" if translation.get_language_bidi() else "ltr",
                    "home": f"/{language}/",
                    "quick_exit_url": settings.QUICK_EXIT_URL,
                }
            )
    except Exception:  # the error page must never fail: the plain English page
        logger.exception("the translated error page could not be rendered")
        html = loader.get_template("500.html").render()
    return HttpResponseServerError(html)
