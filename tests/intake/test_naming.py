"""Naming who is responsible later, from the return page (intake/naming.py), and
the proof of work that prices each detail (docs/matching.md, "Limits").

Through the pages with Django's test client (no JavaScript): the proofs are
solved as proof.js would (sr_testing.proofs) or refused as a flood's would be.
"""

from __future__ import annotations

import hashlib
import html
import re

import pytest
from django.core.cache import caches
from django.db.models import Sum
from django.test import Client, RequestFactory
from django.urls import reverse
from journey import draft_token, open_report, passphrase_from, submit, walk_to_review

from safereport.accounts.models import AuditEvent
from safereport.cases.models import Report
from safereport.core.events import EventKind
from safereport.core.pow import ProofPurpose, solve, solves, unit_bits
from safereport.intake import proofs
from safereport.matching.models import Match, MatchEntry, TagBudget
from sr_testing.proofs import bits_of, fields_in, solved

pytestmark = pytest.mark.django_db

NAME = reverse("public:return_name")
EMPLOYER = {"kind": "business", "value": "A-1 Cleaning Ltd", "where": "E1 6AN"}
PHONE = {"kind": "phone", "value": "07700 900456", "where": ""}


@pytest.fixture(autouse=True)
def _quiet_store():  # type: ignore[no-untyped-def]
    """Spent proofs and recent counts start empty in each test."""
    caches["secrets"].clear()
    yield
    caches["secrets"].clear()


def _rows(*details: dict[str, str], agree: bool = True) -> dict[str, str]:
    data = {
        f"who-{n}-{field}": value for n, d in enumerate(details, 1) for field, value in d.items()
    }
    return {**data, **({"who-agree": "on"} if agree else {})}


def _reporter(client: Client, organisation) -> Client:  # type: ignore[no-untyped-def]
    """A report sent through the journey, opened again in a fresh browser."""
    walk_to_review(client, organisation)
    phrase = passphrase_from(submit(client, draft_token(client)))
    returning = Client()
    assert open_report(returning, phrase).status_code == 302
    return returning


def _name(client: Client, data: dict[str, str]):  # type: ignore[no-untyped-def]
    """POST details with the naming page's own proof solved."""
    return client.post(NAME, {**data, **solved(client.get(NAME).content.decode())})


def _budget_used() -> int:
    return TagBudget.objects.aggregate(used=Sum("used"))["used"] or 0


def _left(page: str) -> int:
    found = re.search(r'data-details-left="(\d+)"', page)
    assert found, "the page says how many more details the report may name"
    return int(found.group(1))


def _typed(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else ""


def test_the_second_step_links_to_the_page_with_the_sentences_and_the_box(client, personas):
    reporter = _reporter(client, personas.support_org)
    more = reporter.get(reverse("public:return_more")).content.decode()
    assert f'href="{NAME}"' in more
    page = reporter.get(NAME).content.decode()
    assert "your caseworker is told only that another report names them" in page
    assert "nothing about it is ever shared with immigration enforcement" in page
    assert 'name="who-agree"' in page and "checked" not in page.split('name="who-agree"')[1][:40]
    assert _left(page) == 10
    # The proof is priced for the three rows the form can send (intake/proofs.py).
    bits = bits_of(fields_in(page)["pow_challenge"])
    assert page.count('name="who-3-value"') == 1 and bits == 8 + unit_bits(3)


def test_two_details_from_the_return_page_make_two_entries_and_are_never_shown(client, personas):
    reporter = _reporter(client, personas.support_org)
    response = _name(reporter, _rows(EMPLOYER, PHONE))
    assert response.status_code == 302 and response["Location"] == NAME
    assert MatchEntry.objects.count() == 2 and Match.objects.count() == 0
    assert _budget_used() == 2
    assert AuditEvent.objects.filter(kind=EventKind.MATCHING_TAG_COMPUTED).count() == 2
    page = reporter.get(NAME).content.decode()
    assert "Your details were added and locked away." in page
    assert _left(page) == 8
    assert "Cleaning" not in page and "7700 900456" not in page and "7700900456" not in page


def test_a_second_report_naming_one_of_them_makes_a_match(client, personas):
    reporter = _reporter(client, personas.support_org)
    assert _name(reporter, _rows(EMPLOYER, PHONE)).status_code == 302
    other = _reporter(Client(), personas.other_support_org)
    respelled = {"kind": "business", "value": "a1 cleaning limited", "where": "e16an"}
    assert _name(other, _rows(respelled)).status_code == 302
    match = Match.objects.get()
    assert {match.first.custodian, match.second.custodian} == {
        personas.support_org,
        personas.other_support_org,
    }
    # She is told the same words whether or not her detail matched.
    assert "Your details were added and locked away." in other.get(NAME).content.decode()


def test_naming_one_again_counts_like_a_new_one(client, personas):
    """The count left must not tell whoever holds her phrase whether she named it before."""
    reporter = _reporter(client, personas.support_org)
    assert _name(reporter, _rows(EMPLOYER)).status_code == 302
    assert _name(reporter, _rows(EMPLOYER)).status_code == 302
    assert MatchEntry.objects.count() == 1
    assert _left(reporter.get(NAME).content.decode()) == 8


def test_past_the_limit_she_is_told_how_many_more_and_keeps_what_she_typed(
    client, personas, settings
):
    settings.MATCHING_IDENTIFIERS_PER_REPORT = 3
    reporter = _reporter(client, personas.support_org)
    assert _name(reporter, _rows(EMPLOYER, PHONE)).status_code == 302
    page = reporter.get(NAME).content.decode()
    assert _left(page) == 1 and 'name="who-2-value"' not in page  # one row for one more
    vehicle = {"kind": "vehicle", "value": "AB12 CDE", "where": ""}
    # Two details with the page's proof for one: the proof is too easy ...
    refused = reporter.post(NAME, {**_rows(PHONE, vehicle), **solved(page)})
    assert refused.status_code == 400 and "not enough any more" in refused.content.decode()
    # ... and the wait page's proof, priced for two, gets her to the limit's message.
    wait = refused.content.decode()
    assert bits_of(fields_in(wait)["pow_challenge"]) == 8 + unit_bits(2)
    response = reporter.post(NAME, {**_rows(PHONE, vehicle), **solved(wait)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your report can name 1 more detail. Remove some and try again." in page
    assert _typed(page, "who-1-value") == "07700 900456"
    assert _typed(page, "who-2-value") == "AB12 CDE"
    assert MatchEntry.objects.count() == 2 and _budget_used() == 2


def test_the_hours_budget_spent_she_is_told_kindly_and_keeps_what_she_typed(
    client, personas, settings
):
    settings.MATCHING_TAGS_PER_HOUR = 1
    reporter = _reporter(client, personas.support_org)
    response = _name(reporter, _rows(EMPLOYER, PHONE))
    page = response.content.decode()
    assert response.status_code == 429
    assert "please try again in an hour" in page and "Nothing was added." in page
    assert _typed(page, "who-1-value") == "A-1 Cleaning Ltd"
    assert _typed(page, "who-1-where") == "E1 6AN"
    assert _typed(page, "who-2-value") == "07700 900456"
    assert MatchEntry.objects.count() == 0 and _budget_used() == 0
    assert AuditEvent.objects.filter(kind=EventKind.MATCHING_THROTTLED).count() == 1


@pytest.mark.parametrize(
    ("detail", "says"),
    [
        ({"kind": "phone", "value": "12ab", "where": ""}, "Check the phone number's digits."),
        ({"kind": "business", "value": "A-1 Cleaning Ltd", "where": ""}, "its town or postcode"),
        ({"kind": "email", "value": "boss at example", "where": ""}, "name@example.com"),
        ({"kind": "", "value": "07700 900456", "where": ""}, "Choose what kind of detail"),
    ],
)
def test_an_unreadable_detail_keeps_the_form_and_adds_nothing(client, personas, detail, says):
    reporter = _reporter(client, personas.support_org)
    response = _name(reporter, _rows(EMPLOYER, detail))
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert says in page and "There is a problem" in page
    assert _typed(response.content.decode(), "who-2-value") == detail["value"]
    assert _typed(response.content.decode(), "who-1-value") == "A-1 Cleaning Ltd"
    assert MatchEntry.objects.count() == 0 and _budget_used() == 0


def test_without_the_box_ticked_nothing_is_added(client, personas):
    reporter = _reporter(client, personas.support_org)
    response = _name(reporter, _rows(EMPLOYER, agree=False))
    assert response.status_code == 400
    assert "Tick the box to use these details" in response.content.decode()
    assert MatchEntry.objects.count() == 0 and _budget_used() == 0


def test_the_page_needs_the_report_opened(client):
    response = client.get(NAME)
    assert response.status_code == 302 and response["Location"] == reverse("public:return_start")


# -- a flood cannot spend the hourly tag budget without paying per detail ------------


def _proof_for(purpose: ProofPurpose, units: int) -> dict[str, str]:
    """A valid proof for ``purpose`` priced for ``units`` (what a page would carry)."""
    issued = proofs.issue(RequestFactory().get("/"), purpose, units)
    return {
        "pow_challenge": issued.challenge,
        "pow_solution": str(solve(issued.challenge, issued.bits)),
    }


def test_a_flood_without_valid_proofs_leaves_the_budget_unchanged(client, personas):
    reporter = _reporter(client, personas.support_org)
    email = {"kind": "email", "value": "boss@example.com", "where": ""}
    three = _rows(PHONE, email, {"kind": "vehicle", "value": "AB12 CDE", "where": ""})
    page = reporter.get(NAME).content.decode()
    challenge = fields_in(page)["pow_challenge"]
    spent = solved(reporter.get(NAME).content.decode())
    assert (
        _name(reporter, _rows({"kind": "vehicle", "value": "XY99 ZZZ", "where": ""})).status_code
        == 302
    )
    assert reporter.post(NAME, {**_rows(EMPLOYER), **spent}).status_code == 302  # now spent
    budget, entries = _budget_used(), MatchEntry.objects.count()
    assert (budget, entries) == (2, 2)
    tampered = challenge.replace(f".{bits_of(challenge)}.", ".0.", 1)
    seed = hashlib.sha256(challenge.encode("ascii")).digest()
    guess = next(n for n in range(100) if not solves(seed, n, bits_of(challenge)))
    flood = [
        {},  # no proof at all
        {"pow_challenge": challenge, "pow_solution": str(guess)},  # a guess, not a solution
        {"pow_challenge": tampered, "pow_solution": "0"},  # the difficulty rewritten
        spent,  # a proof already used
        _proof_for(ProofPurpose.NAME, 1),  # priced for one detail, sent with three
        _proof_for(ProofPurpose.SEND, 3),  # made for another page
        None,  # a wait ticket, sent before its time
    ]
    for proof in flood:
        if proof is None:
            proof = {
                "pow_ticket": proofs.issue(RequestFactory().get("/"), ProofPurpose.NAME, 3).ticket
            }
        response = reporter.post(NAME, {**three, **proof})
        assert "One moment, please" in response.content.decode(), proof
        assert _budget_used() == budget and MatchEntry.objects.count() == entries, proof
    assert AuditEvent.objects.filter(kind=EventKind.MATCHING_TAG_COMPUTED).count() == 2
    # A reporter with a valid proof still adds her detail.
    assert _name(reporter, three).status_code == 302
    assert _budget_used() == budget + 3 and MatchEntry.objects.count() == entries + 3


def test_at_review_a_detail_needs_a_proof_priced_for_it(client, personas):
    walk_to_review(client, personas.support_org)
    token = draft_token(client)
    named = {
        "draft": token,
        "who-kind": "business",
        "who-value": "A-1 Cleaning Ltd",
        "who-where": "E1 6AN",
        "who-agree": "on",
    }
    # A proof enough to send a report alone does not buy a detail too.
    response = client.post(
        reverse("public:report_submit"), {**named, **_proof_for(ProofPurpose.SEND, 1)}
    )
    assert response.status_code == 400 and "not enough any more" in response.content.decode()
    assert Report.objects.count() == 0 and _budget_used() == 0
    # The review page's own proof is priced for the report and one detail.
    sent = submit(client, token, **{k: v for k, v in named.items() if k != "draft"})
    assert passphrase_from(sent)
    assert MatchEntry.objects.count() == 1 and _budget_used() == 1


@pytest.mark.parametrize("language", ["ar", "pl"])
def test_the_page_is_there_in_every_language(client, personas, language):
    reporter = _reporter(client, personas.support_org)
    response = reporter.get(f"/{language}/return/report/name/")
    page = response.content.decode()
    assert response.status_code == 200 and f'lang="{language}"' in page
    assert _left(page) == 10 and 'name="who-agree"' in page
