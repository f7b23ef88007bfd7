"""The page-weight budget: every public page, in every language, is at most 30 KB
compressed (its HTML, stylesheets and scripts), not counting a web font, which
the browser caches after the first page in that language.

The page is fetched through the whole middleware stack; the stylesheets and
scripts it links are read from the folder ``collectstatic`` filled for the
test session (the hashed files production serves), and each is measured as
gzip at its best level, as WhiteNoise stores it.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings

from i18n.public_site import all_languages, is_page, public_paths

pytestmark = pytest.mark.django_db

BUDGET = 30 * 1024
STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"')
SCRIPT = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"')
FONT_FILE = re.compile(r"\.(woff2?|ttf|otf)$")


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def static_file(url: str) -> Path:
    assert url.startswith(settings.STATIC_URL), f"not a static file of the site: {url}"
    name = url[len(settings.STATIC_URL) :].split("?")[0]
    path = Path(settings.STATIC_ROOT) / name
    assert path.is_file(), f"{url} is linked but was not collected"
    return path


def page_weight(html: bytes) -> tuple[int, list[str]]:
    """Compressed bytes of the page and of the stylesheets and scripts it links."""
    text = html.decode()
    assets = STYLESHEET.findall(text) + SCRIPT.findall(text)
    total = compressed(html)
    for url in assets:
        assert not FONT_FILE.search(url), f"a font linked as a page asset: {url}"
        total += compressed(static_file(url).read_bytes())
    return total, assets


@pytest.mark.parametrize("language", all_languages())
def test_every_public_page_is_within_the_weight_budget(client, language):
    measured = {}
    for path in public_paths(language):
        response = client.get(path, follow=True)
        if not is_page(response.status_code):
            continue
        weight, assets = page_weight(response.content)
        assert any("site" in url and url.endswith(".css") for url in assets), path
        measured[path] = weight
    assert len(measured) >= 3
    too_heavy = {path: weight for path, weight in measured.items() if weight > BUDGET}
    assert too_heavy == {}, f"over {BUDGET} bytes compressed: {too_heavy}"


def test_the_measure_counts_what_a_page_links(client):
    """A guard on the measure itself: a page's stylesheet adds to its weight."""
    html = client.get("/en/").content
    weight, assets = page_weight(html)
    assert assets
    assert weight > compressed(html) + 1000  # the stylesheet, compressed, is over 1 KB
