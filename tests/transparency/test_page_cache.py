"""The transparency page: statistics rendered once per release, the log always live."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from log_helpers import append_samples, sample_entry

from safereport.core.events import EventKind
from safereport.core.ledger import Entry, iso_week
from safereport.transparency import selectors
from safereport.transparency import statistics as sr_stats
from safereport.transparency.actions import append_entry, do_sign_tree_head
from safereport.transparency.models import StatisticCell

PAGE = "/en/transparency/"
NOTHING_YET = "Nothing published yet"


def _page(client, path: str = PAGE) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200
    return str(response.content.decode())


def _row(label: str, table: str, category: str) -> str:
    """The table row the page must show for ``category``, from the stored cells."""
    values = StatisticCell.objects.filter(table=table, category=category).order_by("month")
    cells = "".join(f"<td>{cell.noisy_count}</td>" for cell in values)
    return f'<tr><th scope="row">{label}</th>{cells}</tr>'


@pytest.mark.django_db
def test_after_a_release_the_page_shows_the_new_figures(client, monkeypatch):
    monkeypatch.setattr(sr_stats, "first_month", lambda: "2026-09")
    assert _page(client).count(NOTHING_YET) == len(sr_stats.TABLES)  # rendered and cached

    for _ in range(3):
        append_entry(sample_entry(0, day=dt.date(2026, 9, 16)))  # disclosures to the police
    assert sr_stats.do_release_statistics(dt.date(2026, 10, 21)) > 0

    html = _page(client)
    assert '<th scope="col">2026-09</th>' in html
    assert _row("Police", "disclosures", "police_force") in html
    assert html.count(NOTHING_YET) < len(sr_stats.TABLES)


@pytest.mark.django_db
def test_cells_stored_by_another_process_show_on_the_next_request(client):
    """No message reaches this process when a worker releases: the page must
    notice the stored cells by itself (here written in plain SQL, as another
    process's release would leave them)."""
    assert "2026-08" not in _page(client)
    quote = connection.ops.quote_name
    columns = ", ".join(
        map(quote, ["table", "category", "month", "noisy_count", "epsilon", "released_at"])
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(StatisticCell._meta.db_table)} ({columns}) "  # noqa: S608 - quoted names
            "VALUES (%s, %s, %s, %s, %s, %s)",
            ["reports", "domestic_abuse", "2026-08", 4321, 1.0, dt.datetime.now(dt.UTC)],
        )
    html = _page(client)
    assert '<th scope="col">2026-08</th>' in html
    assert "<td>4321</td>" in html


@pytest.mark.django_db
def test_statistics_are_read_once_per_release_not_on_every_request(client):
    StatisticCell.objects.create(
        table="reports", category="domestic_abuse", month="2026-07", noisy_count=17, epsilon=1
    )
    assert "<td>17</td>" in _page(client)
    with CaptureQueriesContext(connection) as queries:
        assert "<td>17</td>" in _page(client)
    read_cells = [q["sql"] for q in queries.captured_queries if "noisy_count" in q["sql"]]
    assert read_cells == [], "the cached statistics were read again"


@pytest.mark.django_db
def test_a_page_served_from_the_cache_reads_what_can_change_in_one_query(client):
    append_samples(2)
    StatisticCell.objects.create(
        table="reports", category="domestic_abuse", month="2026-07", noisy_count=17, epsilon=1
    )
    first = _page(client)
    with CaptureQueriesContext(connection) as queries:
        assert _page(client) == first
    assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_one_visitors_notice_is_never_served_to_another(client):
    """The whole page is cached for visitors without a session; a visitor
    whose session holds a notice sees it, and nobody after her does."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.session import SessionStorage
    from django.test import Client, RequestFactory

    her = Client()
    session = her.session  # a public session, as the intake pages start one
    request = RequestFactory().get(PAGE)
    request.session = session
    notice = SessionStorage(request)
    notice.add(constants.INFO, "Only-for-her notice")
    notice.update(HttpResponse())
    session.save()
    her.cookies[settings.PUBLIC_SESSION_COOKIE_NAME] = session.session_key

    assert "Only-for-her notice" not in _page(client)  # the whole page, cached
    assert "Only-for-her notice" in _page(her)
    assert "Only-for-her notice" not in _page(client)
    assert "Only-for-her notice" not in _page(Client())


@pytest.mark.django_db
def test_a_query_string_is_never_cached_into_the_page_others_get(client):
    assert "sneaky=1" in _page(client, PAGE + "?sneaky=1")  # the language links keep it
    assert "sneaky" not in _page(client)


@pytest.mark.django_db
def test_a_new_signed_tree_head_shows_at_once(client):
    append_samples(2)
    first = selectors.latest_tree_head()
    assert first is not None
    assert f"<dd>{first.head.tree_size}</dd>" in _page(client)
    refused = Entry(
        kind=EventKind.IMMIGRATION_REQUEST_REFUSED, week=iso_week(dt.datetime.now(dt.UTC).date())
    )
    append_entry(refused)
    html = _page(client)  # appended, not yet signed: nothing new is published
    assert first.head.root_hash.hex() in html
    assert "Requests from immigration authorities refused: 0" in html
    head = do_sign_tree_head()
    assert head is not None
    html = _page(client)
    assert f"<dd>{head.head.tree_size}</dd>" in html
    assert head.head.root_hash.hex() in html
    assert "Requests from immigration authorities refused: 1" in html


def test_a_chart_is_a_palette_png_of_the_size_the_page_gives_it():
    import io

    from PIL import Image

    from safereport.transparency.charts import Drawing, draw_png

    months = tuple(f"2025-{m:02d}" for m in range(1, 13))
    rows = tuple((f"Category {i}", tuple((7 * m + i) % 40 for m in range(12))) for i in range(6))
    data = draw_png(Drawing("A table", months, rows, "Count (with noise)"))
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.mode == "P"
        assert image.size[0] == 720 and abs(image.size[1] - 346) <= 1
    assert len(data) < 40_000
