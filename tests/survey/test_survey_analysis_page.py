"""The analyst page: analysts only, aggregates only, small counts never shown."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from survey_helpers import answer_surveys, store_small_design

from safereport.survey.selectors import MIN_RESPONDENTS_FOR_ESTIMATES
from sr_testing.personas import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def analysis_page(client, personas) -> str:
    assert sign_in(client, personas.analyst).status_code == 302
    response = client.get(reverse("staff:analysis"))
    assert response.status_code == 200
    return response.content.decode()


def row(page: str, table_id: str, key: str) -> list[str]:
    """The cells of the row of ``table_id`` whose first cell contains ``key``."""
    table = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)
        ]
        if cells and key in cells[0]:
            return cells
    raise AssertionError(f"no row {key!r} in {table_id}")


@pytest.mark.parametrize(
    "persona", ["caseworker", "org_admin", "other_caseworker", "police_liaison", "service_staff"]
)
def test_every_other_persona_is_refused_the_page_and_its_figure(client, personas, persona):
    store_small_design()
    answer_surveys(12)
    assert sign_in(client, getattr(personas, persona)).status_code == 302
    for query in ("", "?figure=png", "?figure=svg"):
        assert client.get(reverse("staff:analysis") + query).status_code == 403


def test_the_outsider_and_anonymous_visitors_are_refused(client, personas):
    store_small_design()
    assert client.get(reverse("staff:analysis") + "?figure=png").status_code == 302
    assert sign_in(client, personas.outsider).status_code == 400
    assert client.get(reverse("staff:analysis")).status_code == 302


def test_without_a_design_the_page_says_the_survey_is_closed(client, personas):
    page = analysis_page(client, personas)
    assert "No survey design is stored yet" in page
    assert 'id="illustrative-notice"' in page


def test_counts_under_ten_are_shown_as_fewer_than_ten(client, personas):
    store_small_design(n_sets=6, n_blocks=2)
    answer_surveys(9, language="es")  # blocks 1,2,1,2,... -> 5 and 4
    answer_surveys(10, language="ar", seed=1)  # -> 5 and 5
    answer_surveys(1, language="ur", complete=False, seed=2)
    page = analysis_page(client, personas)
    assert row(page, "progress-by-language", "Español")[1:] == ["fewer than 10", "fewer than 10"]
    assert row(page, "progress-by-language", "العربية")[1:] == ["10", "10"]
    assert row(page, "progress-by-language", "اردو")[1:] == ["fewer than 10", "0"]
    assert row(page, "progress-by-language", "English")[1:] == ["0", "0"]
    assert row(page, "progress-by-block", "1")[1:] == ["10", "10"]
    assert row(page, "progress-by-block", "2")[1:] == ["10", "fewer than 10"]
    totals = page.split('id="progress-total"', 1)[1].split("</table>", 1)[0]
    assert "<td>20</td><td>19</td>" in totals
    # no page ever shows a count from 1 to 9
    assert not re.search(r"<td>[1-9]</td>", page.split('id="regimes"')[0])


def test_estimates_wait_for_enough_completed_responses(client, personas):
    store_small_design(n_sets=6, n_blocks=2)
    answer_surveys(MIN_RESPONDENTS_FOR_ESTIMATES - 1)
    answer_surveys(5, complete=False, seed=3)
    page = analysis_page(client, personas)
    assert 'id="no-estimates"' in page and 'id="estimates"' not in page
    assert 'id="illustrative-notice"' in page


def test_with_enough_responses_the_page_shows_estimates_from_them(client, personas):
    store_small_design(n_sets=6, n_blocks=2)
    answer_surveys(MIN_RESPONDENTS_FOR_ESTIMATES + 30, seed=4)
    page = analysis_page(client, personas)
    assert 'id="estimates"' in page and 'id="no-estimates"' not in page
    assert 'id="illustrative-notice"' not in page
    assert f"estimated on the {MIN_RESPONDENTS_FOR_ESTIMATES + 30} completed responses" in page
    firewall = row(page, "estimates", "Never shared with immigration enforcement")
    assert float(firewall[1]) != 0.0
    assert row(page, "regimes", "Firewall")


def test_the_figure_is_served_as_png_and_svg_files(client, personas):
    store_small_design()
    assert sign_in(client, personas.analyst).status_code == 302
    png = client.get(reverse("staff:analysis") + "?figure=png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = client.get(reverse("staff:analysis") + "?figure=svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert "attachment" in svg["Content-Disposition"]
    assert client.get(reverse("staff:analysis") + "?figure=gif").status_code == 404
