"""The statistics charts at their own URL: drawn once for every process, cached for a year."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image

from safereport.transparency import charts
from safereport.transparency import statistics as sr_stats
from safereport.transparency.models import StatisticCell, StatisticChart

CHART = re.compile(
    r'<img class="transparency-plot" src="(/transparency/charts/([0-9a-f]{64})\.png)"'
)
YEAR = "public, max-age=31536000, immutable"


def _released() -> None:
    for month, police, lawyers in [("2026-08", 12, 3), ("2026-09", 9, 4)]:
        for category, count in [("police_force", police), ("legal_adviser", lawyers)]:
            StatisticCell.objects.create(
                table="disclosures", category=category, month=month, noisy_count=count, epsilon=1
            )
    StatisticCell.objects.create(
        table="reports", category="domestic_abuse", month="2026-09", noisy_count=21, epsilon=1
    )


def _charts_on(client, path: str = "/en/transparency/") -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200
    return CHART.findall(response.content.decode())


@pytest.mark.django_db
def test_each_chart_is_a_png_at_its_own_url_cached_for_a_year(client):
    _released()
    found = _charts_on(client)
    assert len(found) == 2  # the two tables with released months
    for url, _key in found:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == YEAR
        assert "Set-Cookie" not in response and response.cookies == {}
        with Image.open(io.BytesIO(response.content)) as image:
            assert image.format == "PNG" and image.size[0] == 720
        head = client.head(url)
        assert head.status_code == 200 and head["Cache-Control"] == YEAR
    assert client.post(found[0][0]).status_code == 405


@pytest.mark.django_db
def test_a_chart_url_names_only_the_numbers_the_page_publishes(client):
    """The key is the hash of what the chart shows: title, months, labels and the
    stored noisy counts (nothing else goes in, so nothing personal can)."""
    _released()
    shown = {key for _url, key in _charts_on(client)}
    expected = {
        charts.Drawing(
            title=table.title,
            months=tuple(table.months),
            rows=tuple((label, tuple(values)) for label, values in table.rows),
            ylabel="Count (with noise)",
        ).key
        for table in sr_stats.published()
        if not table.empty
    }
    assert shown == expected
    assert set(StatisticChart.objects.values_list("key", flat=True)) == expected


@pytest.mark.django_db
def test_unknown_or_malformed_keys_are_not_found(client):
    _released()
    (_url, key), *_ = _charts_on(client)
    unknown = "0" * 64 if key != "0" * 64 else "1" * 64
    for path in [
        f"/transparency/charts/{unknown}.png",
        f"/transparency/charts/{key[:-1]}.png",  # too short
        f"/transparency/charts/{key.upper()}.png",
        f"/transparency/charts/{key}.gif",
        "/transparency/charts/../key.png",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "immutable" not in response.get("Cache-Control", ""), path


@pytest.mark.django_db
def test_another_process_serves_the_stored_charts_without_drawing(client, monkeypatch):
    _released()
    first = _charts_on(client)
    stored = StatisticChart.objects.count()
    cache.clear()  # as a fresh process starts, with nothing cached

    def no_drawing(drawing: charts.Drawing) -> bytes:
        raise AssertionError(f"drew {drawing.title!r} again")

    monkeypatch.setattr(charts, "draw_png", no_drawing)
    assert _charts_on(client) == first
    assert StatisticChart.objects.count() == stored


@pytest.mark.django_db
def test_right_to_left_pages_share_the_english_charts_and_other_languages_get_their_own(client):
    _released()
    english = _charts_on(client)
    assert _charts_on(client, "/ar/transparency/") == english  # matplotlib cannot lay out Arabic
    spanish = _charts_on(client, "/es/transparency/")
    assert len(spanish) == len(english) and set(spanish).isdisjoint(english)


@pytest.mark.django_db
def test_charts_no_page_has_used_for_days_are_removed_and_new_ones_kept(client):
    old = StatisticChart.objects.create(
        key="f" * 64, png=b"\x89PNG", used_at=timezone.now() - dt.timedelta(days=3)
    )
    recent = StatisticChart.objects.create(
        key="e" * 64, png=b"\x89PNG", used_at=timezone.now() - dt.timedelta(hours=20)
    )
    _released()
    found = _charts_on(client)  # draws the new charts, and clears out the old
    assert not StatisticChart.objects.filter(pk=old.pk).exists()
    assert StatisticChart.objects.filter(pk=recent.pk).exists()
    assert client.get(f"/transparency/charts/{'f' * 64}.png").status_code == 404
    for url, _key in found:
        assert client.get(url).status_code == 200
