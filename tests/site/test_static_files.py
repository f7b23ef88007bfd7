"""Static files: hashed names, compressed bodies, a year in the browser's cache."""

from __future__ import annotations

import gzip
import re

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safereport.staticfiles import StaticStorage, require_manifest

SOURCE = settings.STATICFILES_DIRS[0] / "safereport" / "site.css"


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


@pytest.fixture
def stylesheet_url(client) -> str:  # type: ignore[no-untyped-def]
    """The stylesheet as the home page links it."""
    page = client.get("/en/").content.decode()
    found = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


@pytest.mark.django_db
def test_pages_link_the_stylesheet_by_a_name_with_its_hash(stylesheet_url):
    assert re.fullmatch(r"/static/safereport/site\.[0-9a-f]{12}\.css", stylesheet_url)


@pytest.mark.django_db
def test_a_hashed_file_is_cached_for_a_year_and_sent_compressed_when_asked(client, stylesheet_url):
    response = client.get(stylesheet_url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    compressed = _body(response)
    assert len(compressed) < SOURCE.stat().st_size
    assert gzip.decompress(compressed) == SOURCE.read_bytes()


@pytest.mark.django_db
def test_a_client_that_asks_for_no_compression_gets_the_plain_file(client, stylesheet_url):
    response = client.get(stylesheet_url)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert _body(response) == SOURCE.read_bytes()


@pytest.mark.django_db
def test_the_unhashed_name_may_change_so_it_is_not_cached_for_long(client):
    response = client.get("/static/safereport/site.css", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert "max-age=31536000" not in response["Cache-Control"]


def test_production_refuses_to_start_without_the_manifest(settings, tmp_path):
    settings.PRODUCTION = True
    settings.STATIC_ROOT = tmp_path
    with pytest.raises(ImproperlyConfigured, match="collectstatic"):
        require_manifest()
    (tmp_path / StaticStorage.manifest_name).write_text('{"paths": {}, "version": "1.1"}')
    require_manifest()


def test_the_demo_links_unhashed_names_until_its_first_collectstatic(settings, tmp_path):
    settings.PRODUCTION = False
    assert StaticStorage(location=tmp_path).url("safereport/site.css") == (
        "/static/safereport/site.css"
    )
    settings.PRODUCTION = True
    with pytest.raises(ValueError, match="manifest"):
        StaticStorage(location=tmp_path).url("safereport/site.css")
