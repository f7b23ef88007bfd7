"""Receipts in her language or as a number, and the second (duress) phrase:
the page after it is the page after a wrong phrase; only the caseworker
learns the reporter may be under pressure."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from journey import draft_token, open_report, passphrase_from, submit, walk_to_review

from safereport.accounts.models import AuditEvent
from safereport.cases.models import Report
from safereport.core.crypto.receipts import DIGITS, language_words, new_receipt
from sr_testing.personas import sign_in

pytestmark = pytest.mark.django_db


def _send(client: Client, personas, receipt: str = "", language: str = "en") -> str:  # type: ignore[no-untyped-def]
    with translation.override(language):
        walk_to_review(client, personas.support_org, wants="police_through_organisation")
        review = client.get(reverse("public:report_review")).content.decode()
        assert 'name="receipt"' in review
        return passphrase_from(submit(client, draft_token(client), ("police",), receipt=receipt))


def _second_phrase(client: Client, language: str = "en") -> str:
    with translation.override(language):
        response = client.post(reverse("public:report_second_phrase"))
    assert response.status_code == 200
    return passphrase_from(response)


_PER_REQUEST = re.compile(
    r'(name="(?:csrfmiddlewaretoken|pow_challenge|pow_ticket)" value=")[^"]*(")'
    r'|(data-proof-seed=")[^"]*(")'
)


def _without_tokens(html: str) -> str:
    return _PER_REQUEST.sub(lambda m: "".join(g for g in m.groups() if g), html)


def _typed(language: str, typed: str):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return open_report(Client(), typed)


@pytest.mark.parametrize("form", ["ar", DIGITS])
def test_an_arabic_receipt_in_words_or_digits_opens_the_report(client, personas, form):  # type: ignore[no-untyped-def]
    phrase = _send(client, personas, receipt=form, language="ar")
    if form == "ar":
        assert len(phrase.split()) == 8
        assert all(w in language_words("ar") for w in phrase.split())
    else:
        assert re.fullmatch(r"(\d{4} ){6}\d{4}", phrase)
    response = _typed("ar", "  " + "   ".join(phrase.split()) + " ")
    assert response.status_code == 302


def test_the_receipt_page_isolates_the_words_direction(client, personas):  # type: ignore[no-untyped-def]
    with translation.override("ar"):
        walk_to_review(client, personas.support_org)
        page = submit(client, draft_token(client), receipt="en").content.decode()
    assert '<ol class="passphrase-words" dir="ltr" lang="en">' in page
    assert "<li><bdi>" in page


def test_a_duress_phrase_shows_exactly_the_wrong_phrase_page_and_flags_the_case(
    client,  # type: ignore[no-untyped-def]
    personas,
):
    phrase = _send(client, personas, receipt="ar", language="ar")
    duress = _second_phrase(client, "ar")
    assert duress != phrase and len(duress.split()) == 8
    report = Report.objects.get()
    assert report.duress_lookup_digest is not None and report.under_pressure_at is None

    wrong = new_receipt("ar").text  # well-formed, opens nothing
    after_wrong = _typed("ar", wrong)
    assert Report.objects.get().under_pressure_at is None
    after_duress = _typed("ar", duress)
    assert after_duress.status_code == after_wrong.status_code == 400
    wrong_page = _without_tokens(after_wrong.content.decode())
    duress_page = _without_tokens(after_duress.content.decode())
    assert duress_page == wrong_page
    assert len(after_duress.content) == len(after_wrong.content)
    # The field is emptied, as after a wrong one. A word of the phrase may sit
    # inside a longer word of the page's help text ("ترتيب" in "بالترتيب").
    field = re.search(r'<input[^>]*name="passphrase"[^>]*>', duress_page)
    assert field is not None and 'value="' not in field.group(0)
    assert duress not in duress_page

    flagged = Report.objects.get()
    assert flagged.under_pressure_at is not None
    event = AuditEvent.objects.get(kind="reporter_under_pressure")
    assert event.actor is None and event.detail == {"report": flagged.public_id}

    # The real phrase still opens the report, and nothing there tells of the flag.
    reporter = Client()
    assert open_report(reporter, phrase).status_code == 302
    page = reporter.get(reverse("public:return_report")).content.decode()
    assert "pressure" not in page.lower() and "duress" not in page.lower()


def test_the_caseworker_sees_the_flag(client, personas):  # type: ignore[no-untyped-def]
    _send(client, personas)
    duress = _second_phrase(client)
    report = Report.objects.get()
    staff = Client()
    sign_in(staff, personas.caseworker)
    case_url = reverse("staff:case", args=[report.public_id])
    assert "may be under pressure" not in staff.get(case_url).content.decode()
    open_report(Client(), duress)
    assert "The reporter may be under pressure" in staff.get(case_url).content.decode()


def test_one_second_phrase_and_only_right_after_sending(client, personas):  # type: ignore[no-untyped-def]
    assert client.post(reverse("public:report_second_phrase")).status_code == 302
    _send(client, personas)
    _second_phrase(client)
    again = client.post(reverse("public:report_second_phrase"))
    assert again.status_code == 302
    assert Client().post(reverse("public:report_second_phrase")).status_code == 302
    assert AuditEvent.objects.filter(kind="duress_phrase_set").count() == 1


def test_a_typo_is_shown_back_with_the_word_to_check(client, personas):  # type: ignore[no-untyped-def]
    phrase = _send(client, personas, receipt="es", language="es")
    words = phrase.split()
    words[3] = "qqqqzz"
    typo = " ".join(words)
    response = _typed("es", typo)
    page = response.content.decode()
    assert response.status_code == 400
    assert f'value="{typo}"' in page
    assert ": 4." in page  # "check these words: 4."


def test_a_number_with_a_wrong_digit_is_shown_back(client, personas):  # type: ignore[no-untyped-def]
    phrase = _send(client, personas, receipt=DIGITS)
    typo = phrase[:-1] + str((int(phrase[-1]) + 1) % 10)
    page = _typed("en", typo).content.decode()
    assert f'value="{typo}"' in page


def test_police_and_consents_wait_behind_a_second_step(client, personas):  # type: ignore[no-untyped-def]
    phrase = _send(client, personas)
    reporter = Client()
    open_report(reporter, phrase)
    first = reporter.get(reverse("public:return_report")).content.decode()
    more = reporter.get(reverse("public:return_more")).content.decode()
    assert "Test Police" not in first and "Withdraw my agreement" not in first
    assert reverse("public:return_more") in first
    assert "Withdraw my agreement to share with Test Police" in more
