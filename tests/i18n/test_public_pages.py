"""Every public page, in every language, through the full middleware stack.

The pages are found by walking the public URL tree (see public_site.py), so
pages other apps add are covered as they are mounted.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.templatetags.static import static

from i18n.public_site import (
    NOT_FOUND,
    all_languages,
    is_page,
    other_languages,
    public_paths,
    public_url_names,
    untranslated_texts,
    visible_texts,
)

pytestmark = pytest.mark.django_db

HTML_TAG = re.compile(r"<html\b[^>]*>")


def _pages(client, language):  # type: ignore[no-untyped-def]
    """(path, response) for every public page in one language; form-only URLs are skipped."""
    found = []
    for path in public_paths(language):
        response = client.get(path, follow=True)
        if not is_page(response.status_code):
            continue
        if path.endswith("/no-such-page/"):
            assert response.status_code == 404
        else:
            assert response.status_code == 200, f"{path}: {response.status_code}"
        found.append((path, response))
    assert len(found) >= 3
    return found


def test_the_public_pages_are_found():
    names = public_url_names()
    assert {"public:home", "public:rights"} <= set(names)
    assert public_paths("ar")[-1] == "/ar/no-such-page/"
    assert NOT_FOUND


@pytest.mark.parametrize("language", all_languages())
def test_every_public_page_sets_lang_and_dir(client, language):
    direction = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
    for path, response in _pages(client, language):
        html = response.content.decode()
        tag = HTML_TAG.search(html)
        assert tag, path
        assert f'lang="{language}"' in tag.group(0), f"{path}: {tag.group(0)}"
        assert f'dir="{direction}"' in tag.group(0), f"{path}: {tag.group(0)}"


@pytest.mark.parametrize("language", all_languages())
def test_every_public_page_is_never_stored_by_the_browser(client, language):
    for path, response in _pages(client, language):
        assert response["Cache-Control"] == "no-store", path
        assert response["Pragma"] == "no-cache", path


@pytest.mark.parametrize("language", all_languages())
def test_every_public_page_has_the_quick_exit_and_every_language(client, language):
    for path, response in _pages(client, language):
        html = response.content.decode()
        exits = re.findall(r'<a class="quick-exit" href="([^"]+)"[^>]*data-quick-exit', html)
        assert exits == [settings.QUICK_EXIT_URL], f"{path}: quick exit {exits}"
        assert static("safereport/quick-exit.js") in html, path
        for code, _ in settings.LANGUAGES:
            # The language links lead to the same page in the other language: no JavaScript needed.
            shown = response.request["PATH_INFO"]  # after any redirect
            same_page = shown.replace(f"/{language}/", f"/{code}/", 1)
            if not shown.endswith("/no-such-page/"):
                assert f'href="{same_page}"' in html, f"{path}: no link to {same_page}"
            assert f'hreflang="{code}"' in html, path


@pytest.mark.parametrize("language", other_languages())
def test_no_public_page_shows_english_text_in_another_language(client, language):
    checked = 0
    english_pages = _pages(client, "en")
    other_pages = _pages(client, language)
    for (_, english), (path, other) in zip(english_pages, other_pages, strict=True):
        found = untranslated_texts(english.content.decode(), other.content.decode(), language)
        assert found == [], path
        checked += len(visible_texts(other.content.decode(), language))
    assert checked > 50


def test_the_untranslated_text_check_catches_a_forgotten_string():
    english = '<html lang="en"><body><p>Hello there</p><a lang="ar">العربية</a></body></html>'
    spanish = '<html lang="es"><body><p>Hello there</p><a lang="ar">العربية</a></body></html>'
    assert untranslated_texts(english, spanish, "es") == ["Hello there"]
    marked = spanish.replace("<p>", '<p translate="no">')
    assert untranslated_texts(english, marked, "es") == []


def test_public_pages_set_at_most_the_public_session_cookie(client, settings):
    """Nothing but the session cookie: HttpOnly, SameSite=Strict, gone when the browser closes."""
    seen = set()
    for language in all_languages():
        for path, response in _pages(client, language):
            for name, morsel in response.cookies.items():
                seen.add(name)
                assert name == settings.PUBLIC_SESSION_COOKIE_NAME, f"{path} set {name}"
                if morsel.value:  # a deletion carries no value
                    assert morsel["httponly"] and morsel["samesite"] == "Strict"
                    assert not morsel["max-age"] and not morsel["expires"], "not a session cookie"
    assert seen <= {settings.PUBLIC_SESSION_COOKIE_NAME}
