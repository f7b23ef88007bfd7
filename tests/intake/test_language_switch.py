"""Switching language keeps what was typed but not yet sent (no JavaScript needed).

On a page with a form, the language choices are submit buttons of that form;
the typed text is carried to the same page in the new language, unsaved.
"""

from __future__ import annotations

import json
import re

import journey
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from journey import draft_token, open_report, passphrase_from, step_url, submit, walk_to_review

from safereport.cases.models import Message
from sr_testing import custody
from sr_testing.proofs import post_with_proof

pytestmark = pytest.mark.django_db


def _public_session(client: Client):  # type: ignore[no-untyped-def]
    from importlib import import_module

    from django.conf import settings

    cookie = client.cookies.get(settings.PUBLIC_SESSION_COOKIE_NAME)
    assert cookie is not None, "the journey has a public session"
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie.value)


def _switch(client: Client, url: str, language: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(url, {**data, "switch_language": language})


def test_the_language_choices_on_a_step_are_buttons_of_its_form(client):
    journey.start_report(client, {"crime_type": "domestic_abuse"})
    page = client.get(step_url("what-happened")).content.decode()
    assert '<form id="step-form"' in page
    buttons = re.findall(
        r'<button type="submit" form="step-form" name="switch_language" value="([\w-]+)"', page
    )
    # every language but the current one
    assert sorted(buttons) == sorted(code for code, _ in settings.LANGUAGES if code != "en")
    assert {"ar", "es", "fa", "pl", "pt", "ro", "tl", "ur"} <= set(buttons)


def test_typed_text_comes_back_in_the_new_language_and_is_not_saved(client):
    journey.start_report(client, {"crime_type": "domestic_abuse"})
    typed = {"what": "He took my passport and my phone.", "when": "Friday night", "where": ""}
    response = _switch(client, step_url("what-happened"), "ar", typed)
    assert response.status_code == 302
    assert response["Location"] == "/ar/report/what-happened/"
    page = client.get(response["Location"]).content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "He took my passport and my phone.</textarea>" in page
    assert 'value="Friday night"' in page
    # Carried once, not saved: the answer was never sent, so the next question waits for it.
    assert client.get("/ar/report/person/")["Location"] == "/ar/report/what-happened/"
    again = client.get("/ar/report/what-happened/").content.decode()
    assert "He took my passport and my phone." not in again


def test_a_choice_not_yet_sent_is_kept_too(client):
    # No draft yet: the switch carries the first page's proof of work, like its Continue.
    data = {"crime_type": "labour_exploitation", "switch_language": "ur"}
    response = post_with_proof(client, step_url("kind"), data)
    page = client.get(response["Location"]).content.decode()
    assert re.search(r'value="labour_exploitation"[^>]*checked', page)


def test_the_question_it_was_asked_from_is_kept(client):
    journey.start_report(client, {"crime_type": "domestic_abuse"})
    response = client.post(
        step_url("what-happened") + "?then=review",
        {"what": "x", "when": "", "where": "", "then": "review", "switch_language": "es"},
    )
    assert response["Location"] == "/es/report/what-happened/?then=review"


def test_an_unknown_language_is_an_ordinary_submit(client):
    journey.start_report(client, {"crime_type": "domestic_abuse"})
    response = _switch(client, step_url("what-happened"), "xx", {"what": "", "when": ""})
    assert response.status_code == 400  # validated as usual: "what" is required
    assert "There is a problem" in response.content.decode()


def test_nothing_is_kept_when_nothing_was_typed(client):
    journey.start_report(client, {"crime_type": "domestic_abuse"})
    _switch(client, step_url("what-happened"), "es", {"what": "", "when": "", "where": ""})
    session = _public_session(client)
    assert "intake_draft" in session  # the right session: the draft's token is in it
    assert custody.sealed(client, "draft", staff=False) is not None
    assert custody.sealed(client, "carry:step:what-happened", staff=False) is None


def test_what_is_carried_is_sealed_for_the_browser_not_in_the_database(client):
    from django.contrib.sessions.models import Session

    journey.start_report(client, {"crime_type": "domestic_abuse"})
    _switch(client, step_url("what-happened"), "pt", {"what": "Carried canary 7741", "when": ""})
    kept = custody.sealed(client, "carry:step:what-happened", staff=False)
    assert kept is not None and b"7741" not in kept
    opened = json.loads(custody.opened(client, "carry:step:what-happened", staff=False))
    assert opened["what"] == "Carried canary 7741"
    assert Session.objects.exists()
    assert not any("7741" in json.dumps(s.get_decoded()) for s in Session.objects.all())


@pytest.fixture
def returned(client, personas):  # type: ignore[no-untyped-def]
    walk_to_review(client, personas.support_org)
    passphrase = passphrase_from(submit(client, draft_token(client)))
    reporter = Client()
    assert open_report(reporter, passphrase).status_code == 302
    return reporter


def test_a_message_being_written_survives_the_switch_and_is_not_sent(returned):
    response = _switch(
        returned, reverse("public:return_message"), "tl", {"body": "Can we talk on Monday?"}
    )
    assert response["Location"] == "/tl/return/report/"
    page = returned.get(response["Location"]).content.decode()
    assert "Can we talk on Monday?</textarea>" in page
    assert Message.objects.count() == 0


def test_information_being_added_survives_the_switch(returned):
    response = _switch(
        returned, reverse("public:return_add"), "es", {"text": "He came back on Sunday."}
    )
    assert response["Location"] == "/es/return/report/add/"
    page = returned.get(response["Location"]).content.decode()
    assert "He came back on Sunday.</textarea>" in page


def test_each_language_in_the_contact_question_is_marked_with_its_language(client):
    for slug, data in [
        ("kind", {"crime_type": "domestic_abuse"}),
        ("what-happened", {"what": "x", "when": "", "where": ""}),
        ("person", {"who": "", "relationship": "", "more": ""}),
        ("what-you-want", {"wants": "support_only", "needs": ""}),
    ]:
        assert post_with_proof(client, step_url(slug), data).status_code == 302
    page = client.get(step_url("safe-contact")).content.decode()
    assert '<option value="es" lang="es" dir="ltr">Español</option>' in page
    assert '<option value="ar" lang="ar" dir="rtl">العربية</option>' in page
    assert '<option value="" selected>' in page  # "No preference" stays in the page's language


def test_what_is_carried_is_no_longer_than_the_field_allows(client):
    from safereport.intake.forms import WhatHappenedForm

    journey.start_report(client, {"crime_type": "domestic_abuse"})
    limit = WhatHappenedForm.base_fields["when"].max_length
    _switch(client, step_url("what-happened"), "es", {"what": "x", "when": "w" * (limit + 500)})
    opened = json.loads(custody.opened(client, "carry:step:what-happened", staff=False))
    assert len(opened["when"]) == limit
