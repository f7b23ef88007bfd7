"""The inbox: assignment, filters, search by reference, keyset pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safereport.accounts.actions import ActionRefused
from safereport.accounts.models import AuditEvent
from safereport.cases.actions import do_assign_report, do_change_status
from safereport.cases.models import Report
from safereport.cases.selectors import BadInboxRequest, InboxCursor, inbox_page
from sr_testing.personas import sign_in
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db


def inbox(client, **params):  # type: ignore[no-untyped-def]
    return client.get(reverse("staff:inbox"), params)


def assign_url(report: Report) -> str:
    return reverse("staff:case_assign", args=[report.public_id])


# -- assignment ---------------------------------------------------------------------


def test_a_caseworker_takes_a_report_and_gives_it_up(client, personas):
    report, _ = submit(personas)
    sign_in(client, personas.caseworker)
    assert client.post(assign_url(report), {"assignee": "me"}).status_code == 302
    report.refresh_from_db()
    assert report.assigned_to == personas.caseworker
    event = AuditEvent.objects.filter(kind="report_assigned").get()
    assert event.actor == personas.caseworker
    assert event.detail == {
        "report": report.public_id,
        "old": None,
        "new": personas.caseworker.pk,
    }
    client.post(assign_url(report), {"assignee": ""})
    report.refresh_from_db()
    assert report.assigned_to is None
    assert AuditEvent.objects.filter(kind="report_assigned").count() == 2


def test_a_caseworker_cannot_give_a_report_to_someone_else_or_take_a_colleagues(client, personas):
    report, _ = submit(personas)
    sign_in(client, personas.caseworker)
    response = client.post(assign_url(report), {"assignee": str(personas.org_admin.pk)})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assigned_to is None
    page = client.get(response["Location"]).content.decode()
    assert "only an admin can give it to someone else" in page
    do_assign_report(report, personas.org_admin, acting_user=personas.org_admin)
    with pytest.raises(ActionRefused):
        do_assign_report(report, personas.caseworker, acting_user=personas.caseworker)
    with pytest.raises(ActionRefused):
        do_assign_report(report, None, acting_user=personas.caseworker)
    report.refresh_from_db()
    assert report.assigned_to == personas.org_admin
    assert AuditEvent.objects.filter(kind="report_assigned").count() == 1


def test_an_admin_assigns_to_a_colleague_from_the_case_page(client, personas):
    report, _ = submit(personas)
    sign_in(client, personas.org_admin)
    page = client.get(reverse("staff:case", args=[report.public_id])).content.decode()
    assert f'<option value="{personas.caseworker.pk}"' in page
    client.post(assign_url(report), {"assignee": str(personas.caseworker.pk)})
    report.refresh_from_db()
    assert report.assigned_to == personas.caseworker


@pytest.mark.parametrize("assignee", ["other_caseworker", "police_liaison", "analyst"])
def test_nobody_outside_the_organisation_can_be_assigned(personas, assignee):
    report, _ = submit(personas)
    with pytest.raises(ActionRefused):
        do_assign_report(report, getattr(personas, assignee), acting_user=personas.org_admin)
    report.refresh_from_db()
    assert report.assigned_to is None


def test_another_organisations_caseworker_cannot_assign(client, personas):
    report, _ = submit(personas)
    with pytest.raises(ActionRefused):
        do_assign_report(report, personas.other_caseworker, acting_user=personas.other_caseworker)
    sign_in(client, personas.other_caseworker)
    assert client.post(assign_url(report), {"assignee": "me"}).status_code == 404
    report.refresh_from_db()
    assert report.assigned_to is None


@pytest.mark.parametrize("hostile", ["999999", "-1", "1; drop", "x" * 5000, "9" * 40, "１"])
def test_an_unknown_assignee_is_a_clear_message(client, personas, hostile):
    report, _ = submit(personas)
    sign_in(client, personas.org_admin)
    response = client.post(assign_url(report), {"assignee": hostile}, follow=True)
    assert "Choose a caseworker of this organisation." in response.content.decode()
    report.refresh_from_db()
    assert report.assigned_to is None


# -- filters and search ---------------------------------------------------------------


@pytest.fixture
def four(personas):  # type: ignore[no-untyped-def]
    """Four reports: mine, the admin's, unassigned new, unassigned waiting."""
    reports = [submit(personas)[0] for _ in range(4)]
    do_assign_report(reports[0], personas.caseworker, acting_user=personas.caseworker)
    do_assign_report(reports[1], personas.org_admin, acting_user=personas.org_admin)
    do_change_status(reports[1], "in_progress", acting_user=personas.org_admin)
    do_change_status(reports[3], "waiting_for_reporter", acting_user=personas.caseworker)
    return reports


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("all", [0, 1, 2, 3]),
        ("mine", [0]),
        ("unassigned", [2, 3]),
        ("new", [0, 2]),
        ("waiting", [3]),
        ("high-risk", []),
        ("deadline", []),
    ],
)
def test_each_filter_lists_what_it_says(client, personas, four, show, expected):
    submit(personas, org=personas.other_support_org)
    sign_in(client, personas.caseworker)
    response = inbox(client, show=show)
    assert response.status_code == 200
    page = response.content.decode()
    listed = sorted(i for i, report in enumerate(four) if report.public_id in page)
    assert listed == expected
    assert 'aria-current="page"' in page


def test_search_by_reference_finds_one_report_however_it_is_typed(client, personas, four):
    sign_in(client, personas.caseworker)
    wanted = four[2].public_id
    typed = f"  {wanted[:4].upper()}-{wanted[4:8]} {wanted[8:]} "
    page = inbox(client, ref=typed).content.decode()
    assert wanted in page
    assert all(other.public_id not in page for other in four if other != four[2])


def test_search_never_finds_another_organisations_report(client, personas):
    foreign, _ = submit(personas, org=personas.other_support_org)
    sign_in(client, personas.caseworker)
    page = inbox(client, ref=foreign.public_id).content.decode()
    assert reverse("staff:case", args=[foreign.public_id]) not in page
    assert "No report of your organisation has that reference." in page


# -- keyset pages ---------------------------------------------------------------------


def _walk(actor, *, size: int, show: str = "all") -> list[list[Report]]:  # type: ignore[no-untyped-def]
    pages, after = [], ""
    while True:
        page = inbox_page(actor, view=show, after=after, size=size)
        pages.append(page.reports)
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


def test_pages_cover_every_report_once_in_order_even_with_equal_times(personas):
    reports = [submit(personas)[0] for _ in range(7)]
    # Three share one instant: the id breaks the tie, so none repeats or goes missing.
    same = timezone.now() - dt.timedelta(hours=1)
    Report.objects.filter(pk__in=[r.pk for r in reports[2:5]]).update(created_at=same)
    pages = _walk(personas.caseworker, size=2)
    assert [len(p) for p in pages] == [2, 2, 2, 1]
    flat = [r.pk for page in pages for r in page]
    expected = list(
        Report.objects.filter(custodian=personas.support_org)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    assert flat == expected and len(set(flat)) == 7


def test_a_report_arriving_while_paging_neither_repeats_nor_hides_one(personas):
    first = [submit(personas)[0] for _ in range(4)]
    page_one = inbox_page(personas.caseworker, size=2)
    newest = submit(personas)[0]
    page_two = inbox_page(personas.caseworker, after=page_one.next_cursor or "", size=2)
    seen = {r.pk for r in page_one.reports + page_two.reports}
    assert seen == {r.pk for r in first}
    assert newest.pk not in seen


def test_the_next_link_carries_the_filter_and_the_last_key(client, personas, monkeypatch):
    from safereport.cases import selectors

    reports = [submit(personas)[0] for _ in range(3)]
    sign_in(client, personas.caseworker)
    monkeypatch.setattr(selectors, "INBOX_PAGE_SIZE", 2)
    page = inbox(client, show="new").content.decode()
    cursor = InboxCursor(reports[1].created_at, reports[1].pk).encode()
    assert f"?show=new&amp;after={cursor}" in page
    assert 'rel="next"' in page


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "1.2.3",
        "-5.1",
        "1." + "9" * 19,
        "1" * 18 + ".1",
        "1e9.1",
        "0x10.1",
        "１２.3",
        "1.1\n",
        "x" * 10_000,
    ],
)
def test_a_hostile_cursor_gets_a_clear_400_and_the_first_page(client, personas, cursor):
    report, _ = submit(personas)
    sign_in(client, personas.caseworker)
    response = inbox(client, after=cursor)
    assert response.status_code == 400
    page = response.content.decode()
    assert "That page link is not valid." in page
    assert report.public_id in page


def test_an_unknown_filter_gets_a_clear_400(client, personas):
    sign_in(client, personas.caseworker)
    response = inbox(client, show="everything-of-everyone")
    assert response.status_code == 400
    assert "The inbox has no such filter." in response.content.decode()
    with pytest.raises(BadInboxRequest):
        inbox_page(personas.caseworker, view="nope")


def test_a_well_formed_cursor_from_long_ago_or_far_ahead_is_an_ordinary_page(client, personas):
    report, _ = submit(personas)
    sign_in(client, personas.caseworker)
    response = inbox(client, after="0.1")
    assert response.status_code == 200
    assert report.public_id not in response.content.decode()
    response = inbox(client, after="9" * 17 + "." + "9" * 18)
    assert response.status_code == 200
    assert report.public_id in response.content.decode()


def test_the_inbox_costs_the_same_queries_for_many_reports_as_for_one(
    client, personas, django_assert_max_num_queries
):
    sign_in(client, personas.caseworker)
    submit(personas)
    inbox(client)
    with django_assert_max_num_queries(12) as one:
        inbox(client)
    for _ in range(5):
        report, _ = submit(personas)
        do_assign_report(report, personas.caseworker, acting_user=personas.caseworker)
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        assert inbox(client).status_code == 200
    assert len(many.captured_queries) == len(one.captured_queries)
