"""A match tells each matched report's own caseworkers one fixed sentence, through a
real SMTP server: never the other report, its organisation, its reference or the
identifier. The case page says the same and nothing more; "Waiting for you" lists
the matched report; finding the match again mails nobody twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safereport.accounts.models import SentAlert, StaffUser
from safereport.accounts.notify import STAFF_ALERTS, WAITING_PATH, StaffAlert
from safereport.cases.models import Report
from safereport.core.matching import normalise_business_line, normalise_phone
from safereport.core.vocabulary import OrgKind, Role
from safereport.matching.actions import do_add_identifiers
from safereport.matching.models import Match
from sr_testing.personas import _org, _staff, sign_in
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = "MATCH-CANARY hit me"
NOTICE = "Another report names the same person or business."
# The identifiers as each reporter typed them: none of their words may reach a mail.
EMPLOYER = "Canary Cleaning Ltd, E1 6AN"
SAME_EMPLOYER = "CANARY-CLEANING limited e16an"
OTHER_EMPLOYER = "Bluebird Farms, PE21 6XX"
SECRET_WORDS = ("Canary", "CANARY", "Cleaning", "E1 6AN", "e16an", "Bluebird", "hit me")


def _give_address(person: StaffUser) -> None:
    person.email = f"{person.username}@staff.example"
    person.save(update_fields=["email"])


def _match_mail(smtp_server) -> list[str]:  # type: ignore[no-untyped-def]
    """Who got a match alert, sorted; checks no mail holds anything of either report."""
    subject = STAFF_ALERTS[StaffAlert.MATCH_FOUND][0]
    organisations = [str(report.custodian.name) for report in Report.objects.all()]
    found = []
    for message, rcpt, body in zip(
        smtp_server.messages, smtp_server.recipients, smtp_server.bodies(), strict=True
    ):
        for text in (body, str(message["Subject"])):
            for report in Report.objects.all():
                assert report.public_id not in text
            for secret in (*SECRET_WORDS, *organisations):
                assert secret not in text, secret
        if message["Subject"] == subject:
            assert "Another report names the same person or business" in body
            assert WAITING_PATH in body
            found.extend(rcpt)
    return sorted(found)


def _case_page(person: StaffUser, report: Report) -> str:
    client = Client()
    sign_in(client, person)
    response = client.get(reverse("staff:case", args=[report.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_match_tells_each_reports_own_caseworkers_and_nothing_more(personas, smtp_server):
    third_org = _org("third-support-centre", OrgKind.SUPPORT_ORG)
    third_caseworker = _staff(third_org, "third_caseworker", Role.CASEWORKER)
    people = [*personas.all_staff().values(), third_caseworker]
    for person in people:
        _give_address(person)

    first, _ = submit(personas, org=personas.support_org, text=CANARY)
    second, _ = submit(personas, org=personas.other_support_org, text=CANARY)
    third, _ = submit(personas, org=third_org, text=CANARY)
    smtp_server.messages.clear()
    smtp_server._collector.envelopes.clear()

    do_add_identifiers(first, [normalise_business_line(EMPLOYER)], acting_user=None)
    do_add_identifiers(third, [normalise_business_line(OTHER_EMPLOYER)], acting_user=None)
    assert _match_mail(smtp_server) == []  # no match yet: nobody is told anything
    found = do_add_identifiers(second, [normalise_business_line(SAME_EMPLOYER)], acting_user=None)
    assert len(found.matches) == 1

    # each matched report's own caseworkers and admins; never the third organisation's
    assert _match_mail(smtp_server) == [
        "caseworker@staff.example",
        "org_admin@staff.example",
        "other_caseworker@staff.example",
    ]
    assert len(smtp_server.messages) == 3

    # the case pages: the sentence on both matched reports, nothing about the other
    for person, mine, theirs in (
        (personas.caseworker, first, second),
        (personas.other_caseworker, second, first),
    ):
        page = _case_page(person, mine)
        assert page.count(NOTICE) == 1
        assert theirs.public_id not in page
        assert str(theirs.custodian.name) not in page
    assert NOTICE not in _case_page(third_caseworker, third)

    # "Waiting for you" lists the matched report to its own caseworkers only
    for person, mine, others in (
        (personas.caseworker, first, (second, third)),
        (third_caseworker, None, (first, second)),
    ):
        client = Client()
        sign_in(client, person)
        waiting = client.get(reverse("staff:waiting")).content.decode()
        assert ("matched-heading" in waiting) is (mine is not None)
        if mine is not None:
            assert f"/staff/cases/{mine.public_id}/" in waiting
        for report in others:
            assert f"/staff/cases/{report.public_id}/" not in waiting

    # the detection again (the same employer, and a second detail both name): no mail
    phone = normalise_phone("07700 900123")
    do_add_identifiers(second, [normalise_business_line(EMPLOYER), phone], acting_user=None)
    again = do_add_identifiers(first, [phone], acting_user=None)
    assert again.matches == () and Match.objects.count() == 1
    assert len(smtp_server.messages) == 3
    keys = SentAlert.objects.filter(alert=StaffAlert.MATCH_FOUND).values_list("key", flat=True)
    assert len(keys) == 3 and len(set(keys)) == 1 and keys[0].startswith("match:")


def test_many_reports_naming_one_employer_mail_each_person_once_an_hour(personas, smtp_server):
    """An anonymous flood of reports naming the identifier a real report named
    makes a match with every earlier report (here 5 reports: 10 matches); each
    caseworker still gets one mail in the hour, and "Waiting for you" lists them."""
    for person in personas.all_staff().values():
        _give_address(person)
    reports = [submit(personas, org=personas.support_org, text=CANARY)[0] for _ in range(5)]
    smtp_server.messages.clear()
    smtp_server._collector.envelopes.clear()
    spellings = (EMPLOYER, SAME_EMPLOYER)
    hours = {timezone.now().strftime("%Y%m%d%H")}
    for i, report in enumerate(reports):
        line = normalise_business_line(spellings[i % 2])
        do_add_identifiers(report, [line], acting_user=None)
    hours.add(timezone.now().strftime("%Y%m%d%H"))  # a run across the hour may mail twice
    assert Match.objects.count() == 10
    mailed = Counter(_match_mail(smtp_server))
    assert set(mailed) == {"caseworker@staff.example", "org_admin@staff.example"}
    assert all(1 <= count <= len(hours) for count in mailed.values())
    client = Client()
    sign_in(client, personas.caseworker)
    waiting = client.get(reverse("staff:waiting")).content.decode()
    assert all(f"/staff/cases/{report.public_id}/" in waiting for report in reports)


def test_waiting_lists_a_match_for_30_days_the_case_page_for_good(personas):
    first, _ = submit(personas, org=personas.support_org)
    second, _ = submit(personas, org=personas.other_support_org)
    for report in (first, second):
        do_add_identifiers(report, [normalise_business_line(EMPLOYER)], acting_user=None)
    client = Client()
    sign_in(client, personas.caseworker)
    page = client.get(reverse("staff:waiting")).content.decode()
    assert f"/staff/cases/{first.public_id}/" in page[page.index('id="matched-heading"') :]
    Match.objects.update(found_on=timezone.localdate() - dt.timedelta(days=30))
    assert 'id="matched-heading"' in client.get(reverse("staff:waiting")).content.decode()
    Match.objects.update(found_on=timezone.localdate() - dt.timedelta(days=31))
    assert 'id="matched-heading"' not in client.get(reverse("staff:waiting")).content.decode()
    assert NOTICE in _case_page(personas.caseworker, first)
