"""Request and response handling that protects the people using SafeReport."""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _

from safereport.accounts.keys import refresh_staff_key

Handler = Callable[[HttpRequest], HttpResponse]

# Every request header or server variable that can identify a client or its
# device. They are removed before any other code runs, so no view, form,
# library or logger can store them.
CLIENT_IDENTIFIERS = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_X_CLUSTER_CLIENT_IP",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
    "HTTP_SEC_CH_UA_MODEL",
    "HTTP_SEC_CH_UA_FULL_VERSION_LIST",
)


class StripClientIdentifiersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key in CLIENT_IDENTIFIERS:
            request.META.pop(key, None)
        # Some libraries expect the key to exist; it must hold nothing real.
        request.META["REMOTE_ADDR"] = ""
        return self.get_response(request)


def is_staff_path(path: str) -> bool:
    return path.startswith(settings.STAFF_PATH_PREFIX)


class SplitSessionMiddleware:
    """Django's session middleware, with one cookie for public pages and another for staff.

    The staff cookie is scoped to the staff URL tree, so a browser never sends
    it with a public request; a reporter's draft never shares a session with a
    staff login on the same browser.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    @staticmethod
    def cookie_for(path: str) -> tuple[str, str]:
        if is_staff_path(path):
            return settings.STAFF_SESSION_COOKIE_NAME, settings.STAFF_PATH_PREFIX
        return settings.PUBLIC_SESSION_COOKIE_NAME, "/"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name, path = self.cookie_for(request.path)
        request.session = self.SessionStore(request.COOKIES.get(name))
        response = self.get_response(request)
        return self._save(request, response, name, path)

    def _save(
        self, request: HttpRequest, response: HttpResponse, name: str, path: str
    ) -> HttpResponse:
        session = request.session
        accessed, modified, empty = session.accessed, session.modified, session.is_empty()
        need_vary = accessed
        if name in request.COOKIES and empty:
            response.delete_cookie(name, path=path, samesite=settings.SESSION_COOKIE_SAMESITE)
            need_vary = True
        elif modified and not empty and response.status_code < 500:
            if session.get_expire_at_browser_close():
                max_age, expires = None, None
            else:
                max_age = session.get_expiry_age()
                expires = http_date(time.time() + max_age)
            try:
                session.save()
            except UpdateError:
                raise SessionInterrupted(
                    "The session was deleted before the request completed."
                ) from None
            response.set_cookie(
                name,
                session.session_key,
                max_age=max_age,
                expires=expires,
                path=path,
                secure=settings.SESSION_COOKIE_SECURE or None,
                httponly=True,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            need_vary = True
        if need_vary:
            patch_vary_headers(response, ("Cookie",))
        return response


class StaffSessionExpiryMiddleware:
    """Ends a staff session after a quiet spell or a working day, whichever comes first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_staff_path(request.path) and request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault("staff_started_at", now)
            last_seen = request.session.get("staff_last_seen_at", now)
            idle = now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60
            too_long = now - started > settings.STAFF_SESSION_MAX_HOURS * 3600
            if idle or too_long:
                logout(request)
                messages.info(request, _("Your session ended. Please sign in again."))
                return redirect(settings.LOGIN_URL)
            request.session["staff_last_seen_at"] = now
            # The sealed staff key lasts one idle spell from the last request.
            refresh_staff_key(request)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy and no caching of any page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith(settings.STATIC_URL):
            # Pages may hold what someone typed; a shared phone must not keep them.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response
