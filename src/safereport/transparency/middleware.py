"""Cache headers for the public transparency endpoints.

``SecurityHeadersMiddleware`` marks every page ``no-store`` (pages may hold
what someone typed). The log's JSON is the same for everyone and holds
nothing personal, so a view may set ``response.public_cache_control``; this
middleware, placed outside the security one, then applies it, and lets other
sites' verifiers read the JSON (CORS, CORP).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class PublicCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        cache_control = getattr(response, "public_cache_control", None)
        if cache_control:
            response.headers["Cache-Control"] = cache_control
            response.headers.pop("Pragma", None)
            response.headers.pop("Vary", None)  # the same bytes for every cookie and language
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response
