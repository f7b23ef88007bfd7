"""CSRF protection that works with `Referrer-Policy: no-referrer`.

Our pages tell browsers never to send a referrer, so that no address a
person visited here leaks anywhere. Under that policy, browsers send
`Origin: null` (and no `Referer`) with our own form posts, which Django's
origin and referer checks would reject. We accept exactly that case and keep
everything else: the CSRF token must match the one kept in the session, the
session cookies are `SameSite=Strict` (never sent from another site), and a
request that names a foreign origin is still refused.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware


class NoReferrerCsrfViewMiddleware(CsrfViewMiddleware):
    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null":
            return True
        return bool(super()._origin_verified(request))

    def _check_referer(self, request: HttpRequest) -> None:
        if "HTTP_REFERER" not in request.META:
            return  # no referrer, as our own policy asks of every browser
        super()._check_referer(request)
