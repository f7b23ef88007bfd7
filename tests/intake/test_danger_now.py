""" "I am in danger now": ticked on the first step, the report is read first.

Its unread escalation to the organisation's admins comes after 2 hours, not 24
(as for a high risk), and the inbox's "high risk" filter lists it with a badge.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from journey import draft_token, submit, walk_to_review

from safereport.cases.actions import reports_unread_too_long, unread_interval
from safereport.cases.models import Report
from sr_testing.personas import sign_in

pytestmark = pytest.mark.django_db


def _send(personas, *, danger_now: bool) -> Report:  # type: ignore[no-untyped-def]
    client = Client()
    walk_to_review(client, personas.support_org, danger_now=danger_now)
    response = submit(client, draft_token(client))
    assert response.status_code == 200
    return Report.objects.latest("created_at")


def test_the_first_step_offers_the_choice_and_says_what_it_does(client):
    page = client.get("/en/report/kind/").content.decode()
    assert 'name="danger_now"' in page
    assert "I am in danger now, or may be very soon" in page
    assert "also call 999" in page


def test_in_danger_now_is_escalated_after_two_hours_and_listed_as_urgent(personas):
    urgent = _send(personas, danger_now=True)
    ordinary = _send(personas, danger_now=False)
    assert urgent.danger_now and not ordinary.danger_now
    assert unread_interval(urgent) == dt.timedelta(hours=2)
    assert unread_interval(ordinary) == dt.timedelta(hours=24)

    start = max(urgent.created_at, ordinary.created_at)
    assert urgent not in reports_unread_too_long(start + dt.timedelta(hours=1, minutes=59))
    due = reports_unread_too_long(start + dt.timedelta(hours=2))
    assert urgent in due and ordinary not in due

    caseworker = Client()
    sign_in(caseworker, personas.caseworker)
    listed = caseworker.get(reverse("staff:inbox") + "?show=high-risk").content.decode()
    assert urgent.public_id in listed and ordinary.public_id not in listed
    assert "In danger now" in listed
    case = caseworker.get(reverse("staff:case", kwargs={"public_id": urgent.public_id}))
    assert "She said she is in danger now, or may be very soon" in case.content.decode()
