"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation


def site(request: HttpRequest) -> dict[str, Any]:
    current = translation.get_language() or settings.LANGUAGE_CODE
    languages = [
        {
            "code": code,
            "name": name,
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
            "bidi": code in settings.LANGUAGES_BIDI,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "site_languages": languages,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
    }
