"""The case page for daily work: one summary (status, who, risk, deadlines, the
safe-contact plan once), one timeline of everything in order with the reply
box at its end, each action returning the person to where they were, and
suggested referrals that say why in the reporter's own choice."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from safereport.cases.models import Report
from sr_testing.busy_case import make_busy_case
from sr_testing.personas import sign_in
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db


def case_url(report: Report, name: str = "staff:case") -> str:
    return reverse(name, args=[report.public_id])


def _visible(page: str) -> str:
    """The page's text without tags (what a person reads)."""
    return re.sub(r"<[^>]+>", " ", page)


@pytest.fixture
def busy(personas):  # type: ignore[no-untyped-def]
    return make_busy_case(personas)


def test_the_summary_says_each_thing_once(client, personas, busy):
    sign_in(client, personas.caseworker)
    page = client.get(case_url(busy.report)).content.decode()
    summary = page[page.index('id="summary"') : page.index('class="case-main"')]
    text = _visible(summary)
    assert len(re.findall(r"\bStatus\b", _visible(page))) == 1
    assert page.count("Their safe-contact plan") == 1
    assert page.count("sunflower") == 1 and page.count("Weekday mornings, 9 to 11") == 1
    for words in ("Status", "Looked after by", "Risk", "Kept until", "sunflower"):
        assert words in text, words
    assert "Level" in text and "high" in text.lower()  # the latest risk level, in the summary


def test_the_timeline_holds_everything_in_the_order_it_happened(client, personas, busy):
    sign_in(client, personas.caseworker)
    page = client.get(case_url(busy.report)).content.decode()
    timeline = page[page.index('id="timeline"') : page.index('id="reply"')]
    steps = [
        "Report received",
        busy.texts[0],  # the reporter wrote
        busy.texts[1],  # the reply
        busy.texts[2],  # a note
        "Risk assessed",
        "Referral to",
        busy.texts[3],
        busy.texts[4],
        "Handed to the police",
        "acknowledged the handover",
        busy.texts[5],  # the police's question
        busy.texts[6],  # the answer
        busy.texts[7],  # the update
    ]
    places = [timeline.find(step) for step in steps]
    assert -1 not in places, [s for s, p in zip(steps, places, strict=True) if p == -1]
    assert places == sorted(places)
    assert "Sharing with" in timeline  # the firewall's decisions for the referral and the police
    # Each entry has its own anchor, in order, and the reply box ends the timeline.
    anchors = re.findall(r'id="(event-\d+)"', timeline)
    assert anchors == [f"event-{n}" for n in range(1, len(anchors) + 1)]
    assert page.index('id="reply"') < page.index('id="note"')


@pytest.mark.parametrize(
    ("name", "data", "place", "landing", "notice"),
    [
        # A reply lands on the newest entry (the reply), the reply box just below.
        (
            "staff:case_reply",
            {"body": "We will call you."},
            "reply",
            "latest",
            "Your reply was sent.",
        ),
        ("staff:case_note", {"text": "Spoke to her."}, "note", "note", "Your note was added."),
        ("staff:case_status", {"status": "in_progress"}, "summary", "summary", "Status changed."),
        ("staff:case_assign", {"assignee": "me"}, "summary", "summary", "looks after this report"),
        ("staff:case_hold", {"reason": "police"}, "summary", "summary", "The case is kept until"),
    ],
)
def test_after_an_action_the_page_returns_to_where_the_person_was(
    client, personas, name, data, place, landing, notice
):
    report, _ = submit(personas)
    sign_in(client, personas.caseworker)
    response = client.post(case_url(report, name), data)
    assert response.status_code == 302
    assert response["Location"] == case_url(report) + f"#{landing}"
    page = client.get(response["Location"]).content.decode()
    assert page.count(f'id="{landing}"') == 1
    if landing == "latest":  # the newest entry of the timeline holds what was just sent
        newest = page[page.index('id="latest"') : page.index('id="reply"')]
        assert data["body"] in newest
    # The notice is shown there, at the place the person returns to, and not at the top.
    start = page.index(f'id="{place}"')
    assert notice in page[start:]
    assert notice not in page[: page.index('class="case-layout"')]
    # Each form sends the person back to its own place, even when it is shown again.
    action = case_url(report, name) + f"#{place}"
    assert f'action="{action}"' in page


def test_a_reply_with_errors_comes_back_at_the_reply_box(client, personas):
    report, _ = submit(personas)
    sign_in(client, personas.caseworker)
    response = client.post(case_url(report, "staff:case_reply"), {"body": ""})
    assert response.status_code == 400
    page = response.content.decode()
    form = page[page.index('id="reply"') :]
    assert "field-error" in form[: form.index("</form>")]


def test_the_idva_suggestion_repeats_the_reporters_choice_only(client, personas):
    report, _ = submit(personas)  # domestic abuse
    Report.objects.filter(pk=report.pk).update(wants="police_through_organisation")
    sign_in(client, personas.caseworker)
    page = client.get(case_url(report)).content.decode()
    assert "an adviser with them through police and court" not in page
    assert "They chose help to report to the police through the organisation" in page
    Report.objects.filter(pk=report.pk).update(wants="support_only")
    page = client.get(case_url(report)).content.decode()
    assert "They chose" not in page
