"""The review page: only what she answered, one "You skipped" line, and, beside
every choice that may reach the police, what the police may still do."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from journey import draft_token, start_report, step_url, submit, walk_to_review

from safereport.cases.models import Consent
from safereport.core.vocabulary import Purpose, Section
from safereport.intake.consent_sentence import consent_sentence
from sr_testing.personas import make_referral_partners

pytestmark = pytest.mark.django_db

PROTOCOL_WORDS = (
    "if the police learn who you are, they may check your immigration status",
    "it is only for a limited time, and it only starts after the police refer you",
    "The protocol does not protect you if the police or the Home Office do not see you as a victim",
)


def review_page(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("public:report_review"))
    assert response.status_code == 200
    return response.content.decode()


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def answers_part(page: str) -> str:
    return page.split("Your answers")[1].split("<form")[0]


def skipped_line(page: str) -> str:
    match = re.search(r'<p class="skipped">(.*?)</p>', page, re.S)
    assert match, "the review page has one 'You skipped' line"
    return match.group(1)


def walk_only_the_required(client, organisation, *, wants="support_only") -> None:  # type: ignore[no-untyped-def]
    start_report(client, {"crime_type": "domestic_abuse"})
    client.post(step_url("what-happened"), {"what": "He shouted at me.", "when": "", "where": ""})
    for slug, data in [
        ("person", {}),
        ("what-you-want", {"wants": wants}),
        ("safe-contact", {}),
        ("about-you", {}),
    ]:
        assert client.post(step_url(slug), data).status_code == 302, slug
    assert client.post(step_url("attachments"), {"action": "continue"}).status_code == 302
    assert client.post(step_url("area"), {"area": ""}).status_code == 302
    response = client.post(step_url("organisation"), {"organisation": organisation.slug})
    assert response["Location"] == reverse("public:report_review")


def test_only_answered_questions_are_listed_and_the_rest_in_one_line(client, personas):
    walk_to_review(client, personas.support_org)
    page = review_page(client)
    answers = text(answers_part(page))
    assert "Not given" not in page
    for answered in ("Last Friday", "At home", "My husband", "07700 900123", "sunflower"):
        assert answered in answers
    # Left empty in the walk: more about them, her name, more about her, files, area.
    assert "Anything else about them" not in answers
    assert "Your name (optional)" not in answers
    assert page.count('class="skipped"') == 1
    line = skipped_line(page)
    assert text(line) == (
        "You skipped (all optional): more about them, your name, more about you, "
        "photos and files, your area"
    )
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', line)
    assert [(href, words) for href, words in links] == [
        (step_url("person") + "?then=review", "more about them"),
        (step_url("about-you") + "?then=review", "your name"),
        (step_url("about-you") + "?then=review", "more about you"),
        (step_url("attachments") + "?then=review", "photos and files"),
        (step_url("area") + "?then=review", "your area"),
    ]


def test_with_only_the_required_answers_the_page_stays_short(client, personas):
    walk_only_the_required(client, personas.support_org)
    page = review_page(client)
    rows = re.findall(r'<div class="summary-row"><dt>([^<]+)</dt>', page)
    assert rows == [
        "What kind of harm is this about?",
        "What happened?",
        "What would you like to happen?",
        "How can the organisation contact you safely?",  # "only through this website"
        "Organisation",
    ]
    assert "Only through this website" in answers_part(page)
    assert text(skipped_line(page)).count(",") == 13  # all fourteen optional questions


def test_beside_the_police_choice_she_reads_what_the_police_may_still_do(client, personas):
    walk_to_review(client, personas.support_org, wants="police_through_organisation")
    page = review_page(client)
    box = re.search(r'<input type="checkbox" name="consent" value="police"[^>]*>', page)
    assert box and 'aria-describedby="consent-police-protocol"' in box.group(0)
    note = page.split('id="consent-police-protocol"')[1].split("</div>")[0]
    for words in PROTOCOL_WORDS:
        assert words in html.unescape(note)
    assert 'href="/en/your-rights/#protocol"' in note
    # The full text it links to says the same, from the same words.
    rights = html.unescape(client.get("/en/your-rights/").content.decode())
    assert 'id="protocol"' in rights
    for words in PROTOCOL_WORDS:
        assert words in rights


def test_a_choice_that_cannot_reach_the_police_has_no_police_statement(client, personas):
    make_referral_partners(personas)
    walk_to_review(client, personas.support_org, wants="legal_advice")
    page = review_page(client)
    assert 'name="consent" value="legal"' in page
    assert "protocol-note" not in page
    assert PROTOCOL_WORDS[0] not in html.unescape(page)


def test_the_consent_sentence_on_the_page_in_every_language(client, personas):
    walk_to_review(client, personas.support_org, wants="police_through_organisation", name="Ana")
    for language, _ in settings.LANGUAGES:
        with translation.override(language):
            page = client.get(reverse("public:report_review")).content.decode()
            expected = consent_sentence(
                organisation=personas.support_org.name,
                recipient=personas.police_force.name,
                purpose=Purpose.CRIME_INVESTIGATION,
                sections=(Section.INCIDENT, Section.PERPETRATOR, Section.IDENTITY),
                named=True,
            )
        assert f'<label for="consent-police">{expected}</label>' in page, language
        assert 'id="consent-police-protocol"' in page, language


def test_the_ticked_police_consent_is_the_one_described(client, personas):
    walk_to_review(client, personas.support_org, wants="anonymous_information_to_police")
    page = review_page(client)
    label = text(page.split('<label for="consent-police">')[1].split("</label>")[0])
    assert label == (
        "I agree that Test Support Centre may pass what happened and what I said about the "
        "person who harmed me to Test Police, so that they can look into the crime."
    )
    submit(client, draft_token(client), consents=("police",))
    consent = Consent.objects.get()
    assert consent.sections == ["incident", "perpetrator"]
    assert consent.protocol_limits_told_at is None  # only a caseworker's confirmation sets it
