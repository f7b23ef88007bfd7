"""The transparency page in a real browser: no JavaScript needed, accessible, in RTL too."""

from __future__ import annotations

import pytest
from pages_transparency import AnyPublicPage, TransparencyPage

from safereport.core.events import EventKind
from safereport.core.ledger import Entry
from safereport.core.policy import policy_hash
from safereport.transparency.actions import append_entry, do_sign_tree_head, this_week
from safereport.transparency.models import StatisticCell

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published_log() -> None:
    for _ in range(2):
        append_entry(Entry(kind=EventKind.IMMIGRATION_REQUEST_REFUSED, week=this_week()))
    do_sign_tree_head()  # as the job queue does within seconds
    for month, value in [("2026-08", 12), ("2026-09", 9), ("2026-10", 15)]:
        StatisticCell.objects.create(
            table="disclosures", category="police_force", month=month, noisy_count=value, epsilon=1
        )
        StatisticCell.objects.create(
            table="disclosures", category="legal_adviser", month=month, noisy_count=3, epsilon=1
        )


def test_the_page_shows_the_log_the_policy_and_statistics_without_javascript(
    nojs_page, published_log
):
    page, visits = nojs_page
    screen = TransparencyPage(page, visits)
    screen.open("/en/transparency/")
    assert screen.heading() == "Transparency: check our promise"
    assert screen.immigration_refusals() == "Requests from immigration authorities refused: 2"
    assert int(screen.tree_size()) >= 3
    assert "inv1-no-immigration-authority" in screen.show_policy()
    assert policy_hash() in page.content()
    rows = screen.statistics_table(
        "Disclosures allowed, by kind of recipient (each count is of one log entry, with noise)"
    )
    assert rows[0] == ["Category", "2026-08", "2026-09", "2026-10"]
    assert ["Police", "12", "9", "15"] in rows
    assert screen.plot_alt_texts()[0].startswith("Chart: Disclosures allowed")
    # The chart is its own image, fetched and shown without JavaScript.
    (src, width), *_ = screen.plots_shown()
    assert src.startswith("/transparency/charts/") and width == 720


@pytest.mark.parametrize("width", [360, 1280])
def test_the_page_passes_axe_in_a_right_to_left_language(nojs_page, published_log, width):
    page, visits = nojs_page
    page.set_viewport_size({"width": width, "height": 900})
    screen = TransparencyPage(page, visits)
    screen.open("/ar/transparency/")
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_every_public_page_links_to_the_transparency_page(browser_page):
    page, visits = browser_page
    home = AnyPublicPage(page, visits)
    home.open("/en/")
    home.follow_footer_link("Transparency log and statistics")
    assert page.url.endswith("/en/transparency/")
