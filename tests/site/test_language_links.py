"""The language links on every page: each language's URL of the same page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from safereport.context_processors import _in_each_language

PATHS = [
    "/en/",
    "/en/transparency/",
    "/en/report/kind/?then=review",
    "/ar/report/what-happened/",
    "/es/transparency/?a=1#part",
    "/en/no-such-page/",
    "/staff/login/",
    "/",
]


@pytest.mark.parametrize("active", ["en", "ar"])
@pytest.mark.parametrize("path", PATHS)
def test_the_links_are_what_translate_url_gives(path, active):
    """Resolved once for every language, the same as Django's translate_url per language."""
    with translation.override(active):
        assert _in_each_language(path) == {
            code: translate_url(path, code) for code, _ in settings.LANGUAGES
        }
