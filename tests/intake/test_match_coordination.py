"""Issue 16 through the pages: three reports from two organisations, two of them
naming one employer spelt differently and one naming another. The matched
reports' caseworkers are alerted and the third report stays untouched; both
reporters agree on their return pages; each caseworker shares on the case page
(a firewall decision each) and then sees the other's organisation and
reference; the public log verifies and counts the match and both decisions."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from journey import draft_token, open_report, passphrase_from, submit, walk_to_review

from safereport.accounts.models import SentAlert, StaffUser
from safereport.accounts.notify import STAFF_ALERTS, StaffAlert
from safereport.cases.models import Report
from safereport.core.vocabulary import Purpose
from safereport.disclosures.models import DisclosureAttempt
from safereport.matching.models import Match, MatchSide
from safereport.referrals.models import Referral
from safereport.transparency import selectors
from safereport.transparency.actions import do_sign_tree_head
from sr_testing.personas import make_referral_partners, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SAME_PERSON = "Another report names the same person or business"
QUESTION = "May your caseworker work together with the organisation that holds the other report?"
SHARE = "Share our reference with the other organisation"
# Each reporter's own spelling of the same employer, and a third, different one.
SPELLINGS = (
    {"who-kind": "business", "who-value": "A-1 Cleaning Ltd", "who-where": "E1 6AN"},
    {"who-kind": "business", "who-value": "a1 cleaning limited", "who-where": "e16an"},
    {"who-kind": "business", "who-value": "Bluebird Farms", "who-where": "PE21 6XX"},
)


def _report_naming(organisation, detail: dict[str, str]) -> tuple[Client, Report]:  # type: ignore[no-untyped-def]
    """A reporter's whole journey, naming ``detail`` at the review step; her
    browser stays open on her report (the phrase typed on the return page)."""
    reporter = Client()
    walk_to_review(reporter, organisation)
    sent = submit(reporter, draft_token(reporter), **detail, **{"who-agree": "on"})
    phrase = passphrase_from(sent)
    report = Report.objects.order_by("-pk").first()
    assert report is not None
    assert open_report(reporter, phrase).status_code == 302
    return reporter, report


def _second_step(reporter: Client) -> str:
    response = reporter.get("/en/return/report/more/")
    assert response.status_code == 200
    return response.content.decode()


def _staff(person: StaffUser) -> Client:
    client = Client()
    sign_in(client, person)
    return client


def _case(client: Client, report: Report) -> str:
    response = client.get(reverse("staff:case", args=[report.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def _ask(personas, *reports: Report) -> None:  # type: ignore[no-untyped-def]
    """Each report's own caseworker lets its return page ask its reporter (case page)."""
    for report in reports:
        mine = report.custodian_id == personas.support_org.pk
        client = _staff(personas.caseworker if mine else personas.other_caseworker)
        assert "Ask her on her return page" in _case(client, report)
        response = client.post(reverse("staff:match_ask", args=[report.public_id]))
        assert response.status_code == 302


def _answer(reporter: Client, answer: str):  # type: ignore[no-untyped-def]
    return reporter.post("/en/return/report/match/", {"answer": answer})


def _log_kinds() -> list[dict[str, object]]:
    return [json.loads(data) for data in selectors.entries(0, selectors.log_size())]


def test_three_reports_two_match_both_agree_each_caseworker_sees_the_other(
    personas, smtp_server, tmp_path
):
    for person in (personas.caseworker, personas.other_caseworker):
        person.email = f"{person.username}@staff.example"
        person.save(update_fields=["email"])
    first_reporter, first = _report_naming(personas.support_org, SPELLINGS[0])
    second_reporter, second = _report_naming(personas.other_support_org, SPELLINGS[1])
    third_reporter, third = _report_naming(personas.support_org, SPELLINGS[2])

    # One match, between the two reports naming A-1 Cleaning however spelt.
    match = Match.objects.get()
    assert {match.first_id, match.second_id} == {first.pk, second.pk}
    assert set(MatchSide.objects.values_list("report", flat=True)) == {first.pk, second.pk}
    alerted = SentAlert.objects.filter(alert=StaffAlert.MATCH_FOUND)
    assert {alert.staff.organisation_id for alert in alerted} == {
        personas.support_org.pk,
        personas.other_support_org.pk,
    }
    subject = STAFF_ALERTS[StaffAlert.MATCH_FOUND][0]
    mailed = {
        address
        for message, rcpt in zip(smtp_server.messages, smtp_server.recipients, strict=True)
        if message["Subject"] == subject
        for address in rcpt
    }
    assert {"caseworker@staff.example", "other_caseworker@staff.example"} <= mailed

    # The third report: no notice for its caseworker, no question for its reporter.
    caseworker, other_caseworker = _staff(personas.caseworker), _staff(personas.other_caseworker)
    assert SAME_PERSON not in _case(caseworker, third)
    assert SAME_PERSON not in _second_step(third_reporter)

    # Nothing on the matched reporters' pages until each caseworker chooses to ask
    # (a person named can file a report naming himself); an answer is refused.
    for reporter in (first_reporter, second_reporter):
        assert SAME_PERSON not in _second_step(reporter)
    early = first_reporter.post("/en/return/report/match/", {"answer": "yes"}, follow=True)
    assert "This question is no longer open." in early.content.decode()
    assert "She has not been asked about this match." in _case(caseworker, first)
    _ask(personas, first, second)
    assert "Ask her on her return page" not in _case(caseworker, first)

    # Each matched reporter is asked; the caseworkers cannot share before both agree.
    for reporter in (first_reporter, second_reporter):
        page = _second_step(reporter)
        assert QUESTION in page
        assert str(personas.other_support_org.name) not in page
        assert str(personas.support_org.name) not in page.split(SAME_PERSON)[1]
    page = _case(caseworker, first)
    assert "The reporter has not answered yet" in page and SHARE not in page
    assert second.public_id not in page

    assert _answer(first_reporter, "yes").status_code == 302
    page = _case(caseworker, first)
    assert "Nothing can be shared until the other person says yes too." in page
    assert SHARE not in page
    side = MatchSide.objects.get(report=first)
    refused = caseworker.post(reverse("staff:match_share", args=[first.public_id, side.pk]))
    assert refused.status_code == 302
    assert not DisclosureAttempt.objects.filter(purpose=Purpose.COORDINATED_SUPPORT).exists()

    # The second yes: both organisations are alerted, both may share.
    assert _answer(second_reporter, "yes").status_code == 302
    assert SentAlert.objects.filter(alert=StaffAlert.MATCH_AGREED).count() >= 2
    pairs = (
        (caseworker, first, second, personas.other_support_org),
        (other_caseworker, second, first, personas.support_org),
    )
    for client, mine, theirs, their_org in pairs:
        page = _case(client, mine)
        assert SHARE in page
        assert theirs.public_id not in page and str(their_org.name) not in page
    for client, mine, _theirs, _their_org in pairs:
        side = MatchSide.objects.get(report=mine)
        response = client.post(reverse("staff:match_share", args=[mine.public_id, side.pk]))
        assert response.status_code == 302

    # Each sees the other's organisation and reference.
    for client, mine, theirs, their_org in pairs:
        page = _case(client, mine)
        assert f"{their_org.name} holds the other report. Its reference: {theirs.public_id}." in (
            page
        )
    # Two firewall decisions, allowed by the coordinated-support rule, no section.
    attempts = DisclosureAttempt.objects.filter(purpose=Purpose.COORDINATED_SUPPORT)
    assert attempts.count() == 2
    for attempt in attempts:
        assert attempt.allowed and attempt.sections == []
        assert attempt.rule_ids == ["permit-coordinated-support"]
    # Her page says her caseworker told the other organisation, never its name.
    page = _second_step(first_reporter)
    assert "Your caseworker told the other organisation" in page
    assert str(personas.other_support_org.name) not in page

    # The log verifies, and counts the match and the two decisions.
    do_sign_tree_head()
    export = tmp_path / "log.jsonl"
    call_command("ledger", "export", str(export), stdout=io.StringIO())
    out = io.StringIO()
    call_command("ledger", "verify", "--export", str(export), "--quiet", stdout=out)
    assert "OK:" in out.getvalue()
    entries = _log_kinds()
    assert sum(e["kind"] == "match_found" for e in entries) == 1
    shared = [
        e
        for e in entries
        if e["kind"] == "disclosure_allowed" and e.get("purpose") == "coordinated_support"
    ]
    assert len(shared) == 2


def test_a_no_stops_the_sharing_and_the_reporter_may_change_her_mind(personas):
    first_reporter, first = _report_naming(personas.support_org, SPELLINGS[0])
    second_reporter, second = _report_naming(personas.other_support_org, SPELLINGS[1])
    caseworker = _staff(personas.caseworker)
    _ask(personas, first, second)
    assert _answer(first_reporter, "yes").status_code == 302
    assert _answer(second_reporter, "no").status_code == 302
    assert "The reporter said yes." in _case(caseworker, first)
    assert SHARE not in _case(caseworker, first)
    assert "You said no." in _second_step(second_reporter)
    # She changes her mind: now both agreed.
    assert _answer(second_reporter, "yes").status_code == 302
    assert SHARE in _case(caseworker, first)


def test_her_answer_never_touches_another_reports_side(personas):
    first_reporter, first = _report_naming(personas.support_org, SPELLINGS[0])
    _second_reporter, second = _report_naming(personas.other_support_org, SPELLINGS[1])
    _ask(personas, first, second)
    theirs = MatchSide.objects.get(report=second)
    # A form naming the other report's side answers her own question only.
    response = first_reporter.post(
        "/en/return/report/match/", {"match": theirs.pk, "answer": "yes"}, follow=True
    )
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert theirs.answer == MatchSide.Answer.WAITING
    assert MatchSide.objects.get(report=first).answer == MatchSide.Answer.YES
    # An answer must be yes or no.
    response = first_reporter.post("/en/return/report/match/", {"answer": "maybe"}, follow=True)
    assert "Choose yes or no." in response.content.decode()
    assert MatchSide.objects.get(report=first).answer == MatchSide.Answer.YES


def test_a_report_without_a_match_has_no_question_to_answer(personas):
    reporter, report = _report_naming(personas.support_org, SPELLINGS[2])
    assert SAME_PERSON not in _second_step(reporter)
    response = reporter.post("/en/return/report/match/", {"answer": "yes"}, follow=True)
    assert "This question is no longer open." in response.content.decode()
    assert not MatchSide.objects.filter(report=report).exists()


def test_many_reports_naming_what_she_named_ask_her_one_question(personas):
    """Three more reports name her employer (a gangmaster's other workers, or a
    flood): her page still asks once, and her one answer covers every match
    not yet shared; a match already shared keeps its answer."""
    her_browser, hers = _report_naming(personas.support_org, SPELLINGS[0])
    others = [_report_naming(personas.other_support_org, SPELLINGS[1]) for _ in range(3)]
    assert MatchSide.objects.filter(report=hers).count() == 3
    _ask(personas, hers, others[0][1])  # one press asks her about all three
    page = _second_step(her_browser)
    assert page.count(SAME_PERSON) == 1 and page.count(QUESTION) == 1
    assert page.count('name="answer" value="yes"') == 1

    # She says yes; one other reporter says yes too and both sides share.
    assert _answer(her_browser, "yes").status_code == 302
    assert set(MatchSide.objects.filter(report=hers).values_list("answer", flat=True)) == {"yes"}
    first_other_browser, first_other = others[0]
    assert _answer(first_other_browser, "yes").status_code == 302
    side = MatchSide.objects.get(report=hers, match__in=Match.objects.filter(second=first_other))
    caseworker = _staff(personas.caseworker)
    caseworker.post(reverse("staff:match_share", args=[hers.public_id, side.pk]))
    side.refresh_from_db()
    assert side.shared_id is not None
    page = _second_step(her_browser)
    assert "Your caseworker told the other organisation" in page
    assert page.count(QUESTION) == 1 and "You said yes." in page

    # She changes her mind: the two matches not yet shared become no; the shared stays.
    assert _answer(her_browser, "no").status_code == 302
    answers = dict(MatchSide.objects.filter(report=hers).values_list("pk", "answer"))
    assert answers.pop(side.pk) == "yes"
    assert set(answers.values()) == {"no"}
    assert "You said no." in _second_step(her_browser)


def test_waiting_lists_an_agreed_match_until_the_reference_is_shared(personas):
    first_reporter, first = _report_naming(personas.support_org, SPELLINGS[0])
    second_reporter, second = _report_naming(personas.other_support_org, SPELLINGS[1])
    Match.objects.update(found_on=dt.date(2020, 1, 1))  # long past the 30 days
    caseworker = _staff(personas.caseworker)
    link = f"/staff/cases/{first.public_id}/"

    def matched_list() -> str:
        page = caseworker.get(reverse("staff:waiting")).content.decode()
        if 'id="matched-heading"' not in page:
            return ""
        return page.split('id="matched-heading"')[1].split("</section>")[0]

    assert link not in matched_list()
    _ask(personas, first, second)
    for reporter in (first_reporter, second_reporter):
        assert _answer(reporter, "yes").status_code == 302
    assert link in matched_list()
    side = MatchSide.objects.get(report=first)
    caseworker.post(reverse("staff:match_share", args=[first.public_id, side.pk]))
    assert link not in matched_list()


def test_a_joint_referral_after_coordination_goes_through_the_referral_flow(personas):
    """Item 3's last sentence: once both sides shared, each caseworker refers her
    own report to one labour-rights organisation through the usual referral page
    (its own consent, its own firewall decision); that organisation receives the
    two referrals and opens each, and nothing about either report reached it
    through the match itself."""
    partners = make_referral_partners(personas)
    labour = partners.labour_rights_org
    labour.referral_kinds = ["labour_rights_organisation"]
    labour.save(update_fields=["referral_kinds"])
    first_reporter, first = _report_naming(personas.support_org, SPELLINGS[0])
    second_reporter, second = _report_naming(personas.other_support_org, SPELLINGS[1])
    _ask(personas, first, second)
    for reporter in (first_reporter, second_reporter):
        assert _answer(reporter, "yes").status_code == 302
    pairs = (
        (_staff(personas.caseworker), first, second),
        (_staff(personas.other_caseworker), second, first),
    )
    for client, mine, _theirs in pairs:
        side = MatchSide.objects.get(report=mine)
        client.post(reverse("staff:match_share", args=[mine.public_id, side.pk]))
    assert not Referral.objects.exists()  # the match itself sends nothing to anyone

    for client, mine, _theirs in pairs:
        assert "To refer together" in _case(client, mine)  # the case page points the way
    for client, mine, theirs in pairs:
        response = client.post(
            reverse("staff:referral_new", kwargs={"public_id": mine.public_id}),
            {
                "kind": "labour_rights_organisation",
                "service": labour.pk,
                "sections": ["incident"],
                "consent": "spoken",
                "consent_note": f"By phone; a joint referral with {theirs.public_id}.",
            },
        )
        assert response.status_code == 302, response.content[:2000]

    referrals = Referral.objects.filter(service=labour)
    assert {(r.report_id, r.sender_id) for r in referrals} == {
        (first.pk, personas.support_org.pk),
        (second.pk, personas.other_support_org.pk),
    }
    decisions = DisclosureAttempt.objects.filter(recipient=labour)
    assert decisions.count() == 2 and all(a.allowed for a in decisions)
    assert {a.purpose for a in decisions} == {Purpose.SUPPORT_REFERRAL.value}
    # The labour-rights organisation opens both packages: each holds that report's
    # incident and nothing else.
    service = _staff(partners.labour_rights_staff)
    for referral in referrals:
        package = referral.package
        assert package.sections == ["incident"]
        opened = service.get(f"/staff/disclosures/packages/{package.package_id}/")
        assert opened.status_code == 200
        assert "He pushed me and took my phone." in opened.content.decode()


def test_her_one_yes_to_many_agreed_matches_mails_each_person_once(personas, smtp_server):
    """Three other reporters said yes first (a flood's reporters would); her one
    yes makes three more agreed matches at once. Each caseworker is mailed once in
    the hour, and "Waiting for you" lists her report until it is shared."""
    for person in (personas.caseworker, personas.other_caseworker):
        person.email = f"{person.username}@staff.example"
        person.save(update_fields=["email"])
    hours = {timezone.now().strftime("%Y%m%d%H")}
    her_browser, hers = _report_naming(personas.support_org, SPELLINGS[0])
    others = [_report_naming(personas.other_support_org, SPELLINGS[1]) for _ in range(3)]
    _ask(personas, hers, *(report for _browser, report in others))
    for browser, _report in others:
        assert _answer(browser, "yes").status_code == 302
    assert _answer(her_browser, "yes").status_code == 302
    hours.add(timezone.now().strftime("%Y%m%d%H"))  # a run across the hour may mail twice
    # Four reports naming one employer: six matches (the three others match each
    # other too), every side agreed.
    assert Match.objects.count() == 6
    assert set(MatchSide.objects.values_list("answer", flat=True)) == {"yes"}
    subject = STAFF_ALERTS[StaffAlert.MATCH_AGREED][0]
    mailed = Counter(
        address
        for message, rcpt in zip(smtp_server.messages, smtp_server.recipients, strict=True)
        if message["Subject"] == subject
        for address in rcpt
    )
    assert {"caseworker@staff.example", "other_caseworker@staff.example"} <= set(mailed)
    assert all(count <= len(hours) for count in mailed.values())
    waiting = _staff(personas.caseworker).get(reverse("staff:waiting")).content.decode()
    assert f"/staff/cases/{hers.public_id}/" in waiting
