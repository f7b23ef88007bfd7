"""The statistics charts: drawn once, stored in the database, served from their own URL.

The transparency page links each chart as ``/transparency/charts/<key>.png``
(``views_api.chart``) instead of inlining it, so the page stays small and a
browser fetches a chart once a year at most. ``key`` is the SHA-256 of what
the chart shows (``Drawing``): the bytes behind a URL never change, so they
are served ``immutable`` with a year's caching, and an unknown key is a 404.

A chart is drawn by the first process that renders the page's statistics
section with it (once per release and language, see ``views.page``) and
stored in ``StatisticChart``; every other process, on this server or
another, finds it there and draws nothing. What goes in is only what the
page already publishes: released noisy counts and their labels.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from safereport.transparency.models import StatisticChart

# Part of every key: a change to how charts are drawn gives them new URLs,
# which browsers that cached the old ones for a year will fetch.
DRAWING_VERSION = 1
# A chart no page has used for this long is removed. Longer than the page
# caches its statistics section (views.STATISTICS_CACHE_SECONDS, a day), so
# no cached page ever links to a removed chart.
KEEP_UNUSED = dt.timedelta(days=2)


@dataclass(frozen=True)
class Drawing:
    """Everything a chart shows: the same drawing always gives the same key."""

    title: str
    months: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (label, noisy count per month)
    ylabel: str

    @property
    def key(self) -> str:
        shown = [DRAWING_VERSION, self.title, self.months, self.rows, self.ylabel]
        canonical = json.dumps(shown, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chart_url(key: str) -> str:
    return str(reverse("transparency_api:chart", args=[key]))


def chart_urls(drawings: Sequence[Drawing]) -> list[str]:
    """The URL of each drawing's chart, drawing and storing those not stored yet.

    Two processes drawing the same chart at once store it once (the key is
    unique; the second insert is ignored, and its bytes were the same
    drawing). Called only when the page renders its statistics section.
    """
    keys = [drawing.key for drawing in drawings]
    now = timezone.now()
    stored = set(StatisticChart.objects.filter(key__in=keys).values_list("key", flat=True))
    missing = {drawing.key: drawing for drawing in drawings if drawing.key not in stored}
    if stored:
        StatisticChart.objects.filter(key__in=stored).update(used_at=now)
    if missing:
        StatisticChart.objects.bulk_create(
            [
                StatisticChart(key=key, png=draw_png(drawing), used_at=now)
                for key, drawing in missing.items()
            ],
            ignore_conflicts=True,
        )
        StatisticChart.objects.filter(used_at__lt=now - KEEP_UNUSED).delete()
    return [chart_url(key) for key in keys]


def stored_png(key: str) -> bytes | None:
    """The stored chart of ``key``, or ``None``."""
    png = StatisticChart.objects.filter(key=key).values_list("png", flat=True).first()
    return None if png is None else bytes(png)


def draw_png(drawing: Drawing) -> bytes:
    """A line chart of 720x346 pixels, as a 64-colour PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 3.6), dpi=96)
    axes = figure.add_subplot()
    markers = "osD^v<>p"
    positions = list(range(len(drawing.months)))
    for position, (label, values) in enumerate(drawing.rows):
        axes.plot(positions, values, marker=markers[position % len(markers)], label=label)
    axes.set_xticks(positions, drawing.months)
    axes.set_title(drawing.title)
    axes.set_ylabel(drawing.ylabel)
    axes.set_ylim(bottom=0)
    axes.tick_params(axis="x", labelrotation=45)
    axes.legend(fontsize="small", loc="upper left")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    drawn = io.BytesIO()
    figure.savefig(drawn, format="png", metadata={"Software": None})
    return _palette_png(drawn)


def _palette_png(drawn: io.BytesIO) -> bytes:
    """The chart in 64 colours: it looks the same (a few lines on white) and weighs
    about a fifth (some 20 KB instead of 90 KB at 720x346)."""
    from PIL import Image

    drawn.seek(0)
    with Image.open(drawn) as image:
        palette = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small = io.BytesIO()
    palette.save(small, format="PNG", optimize=True)
    return small.getvalue()
