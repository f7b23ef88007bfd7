"""The review step's opt-in: a detail of who is responsible, used only when ticked."""

from __future__ import annotations

import pytest
from django.urls import reverse
from journey import draft_token, passphrase_from, submit, walk_to_review

from safereport.cases.models import Report
from safereport.matching.models import Match, MatchEntry

pytestmark = pytest.mark.django_db

EMPLOYER = {"who-kind": "business", "who-value": "A-1 Cleaning Ltd", "who-where": "E1 6AN"}


def _send(client, organisation, **extra):  # type: ignore[no-untyped-def]
    walk_to_review(client, organisation)
    return submit(client, draft_token(client), **extra)


def test_the_review_page_says_what_happens_on_a_match_and_what_never_does(client, personas):
    walk_to_review(client, personas.support_org)
    page = client.get(reverse("public:report_review")).content.decode()
    assert "Who is responsible? (optional)" in page
    assert "your caseworker is told only that another report names them" in page
    assert "nothing about it is ever shared with immigration enforcement" in page
    assert 'name="who-agree"' in page and "checked" not in page.split('name="who-agree"')[1][:40]


def test_nothing_is_added_when_the_detail_is_left_empty(client, personas):
    response = _send(client, personas.support_org)
    assert passphrase_from(response)
    assert Report.objects.count() == 1
    assert MatchEntry.objects.count() == 0


def test_a_detail_without_the_box_ticked_sends_nothing_and_says_why(client, personas):
    response = _send(client, personas.support_org, **EMPLOYER)
    assert response.status_code == 400
    assert "Tick the box to use this detail, or leave it empty." in response.content.decode()
    assert Report.objects.count() == 0 and MatchEntry.objects.count() == 0


def test_an_unreadable_detail_sends_nothing(client, personas):
    response = _send(
        client, personas.support_org, **{**EMPLOYER, "who-where": "", "who-agree": "on"}
    )
    assert response.status_code == 400
    assert "We could not read this detail." in response.content.decode()
    assert Report.objects.count() == 0


def test_two_reporters_naming_one_employer_differently_make_a_match(client, personas):
    from django.test import Client

    first = _send(client, personas.support_org, **{**EMPLOYER, "who-agree": "on"})
    assert passphrase_from(first)
    assert MatchEntry.objects.count() == 1 and Match.objects.count() == 0
    other = Client()
    second = _send(
        other,
        personas.other_support_org,
        **{
            "who-kind": "business",
            "who-value": "a1 cleaning limited",
            "who-where": "e16an",
            "who-agree": "on",
        },
    )
    assert passphrase_from(second)
    match = Match.objects.get()
    assert {match.first.custodian, match.second.custodian} == {
        personas.support_org,
        personas.other_support_org,
    }
