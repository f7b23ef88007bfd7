"""Template context shared by every page."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation

from safereport.accounts import permissions
from safereport.accounts.models import StaffUser


def _in_each_language(url: str) -> dict[str, str]:
    """``url`` in every language, as ``translate_url`` gives it, with the path
    resolved once instead of once per language (every page shows these links)."""
    parsed = urlsplit(url)
    try:
        match = resolve(unquote(parsed.path))
    except Resolver404:
        return {code: url for code, _ in settings.LANGUAGES}
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    found = {}
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            try:
                path = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                found[code] = url
            else:
                found[code] = urlunsplit(parsed._replace(path=path))
    return found


# Languages whose script many phones cannot show: their pages link a stylesheet
# with a subset of a Noto font (scripts/subset_fonts.py), and no other page does.
WEB_FONT_LANGUAGES = frozenset({"ur", "fa", "bn", "am"})


def web_font_stylesheet(language: str) -> str | None:
    if language not in WEB_FONT_LANGUAGES:
        return None
    return f"safereport/fonts/{translation.to_locale(language)}.css"


def site(request: HttpRequest) -> dict[str, Any]:
    current = translation.get_language() or settings.LANGUAGE_CODE
    urls = _in_each_language(request.get_full_path())
    languages = [
        {
            "code": code,
            "name": name,
            "url": urls[code],
            "current": code == current,
            "bidi": code in settings.LANGUAGES_BIDI,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "site_languages": languages,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "web_font_stylesheet": web_font_stylesheet(current),
    }


# What the staff navigation asks (``may.is_case_worker`` in a template).
NAVIGATION = (
    permissions.is_staff,
    permissions.is_case_worker,
    permissions.is_org_admin,
    permissions.is_police_liaison,
    permissions.is_service_staff,
    permissions.may_use_referrals,
    permissions.may_analyse,
    permissions.is_platform_operator,
)


def staff(request: HttpRequest) -> dict[str, Any]:
    """The signed-in staff member's answers to the navigation's questions."""
    user = getattr(request, "user", None)
    if not isinstance(user, StaffUser):
        return {}
    return {"may": {ask.__name__: ask(user) for ask in NAVIGATION}}
