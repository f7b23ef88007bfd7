"""Issue 15 in a browser, in Arabic and in Farsi with JavaScript off: a receipt
in her script and one as digits, each typed back on the return page; a second
(duress) phrase whose page is the wrong phrase's page, and a flag that only
the caseworker sees."""

from __future__ import annotations

import re

import pytest
from pages import StaffLogin
from pages_public import JOURNEY_ANSWERS, JourneyScreen

from safereport.accounts.demo import DEMO_PASSWORD, seed_demo
from safereport.accounts.models import AuditEvent, StaffUser
from safereport.cases.models import Report
from safereport.core.crypto.receipts import DIGITS, language_words, new_receipt
from sr_testing.personas import fresh_backup_code

PER_REQUEST = re.compile(
    r'(name="(?:csrfmiddlewaretoken|pow_challenge|pow_ticket)" value=")[^"]*(")'
    r'|(data-proof-seed=")[^"]*(")'
)


# Her page's language, and the digits her keyboard types (Arabic-Indic, Persian).
LANGUAGE_DIGITS = {"ar": "٠١٢٣٤٥٦٧٨٩", "fa": "۰۱۲۳۴۵۶۷۸۹"}


def _without_tokens(html: str) -> str:
    return PER_REQUEST.sub(lambda m: "".join(g for g in m.groups() if g), html)


def send_in(lang: str, journey: JourneyScreen, receipt: str) -> str:
    page = journey.page
    journey.open(f"/{lang}/")
    page.locator(f'main a[href="/{lang}/report/"]').first.click()
    journey.check()
    page.locator(f'main a[href="/{lang}/report/kind/"]').click()
    journey.check()
    for _slug, values in JOURNEY_ANSWERS:
        journey.answer(values)
        journey.submit()
    lucia = StaffUser.objects.get(username="lucia")
    assert lucia.organisation is not None
    page.locator(f'main form input[name="organisation"][value="{lucia.organisation.slug}"]').check()
    journey.submit()
    assert page.url.endswith(f"/{lang}/report/review/")
    page.locator(f'main form input[name="receipt"][value="{receipt}"]').check()
    journey.send_report()
    return journey.passphrase()


def type_phrase(lang: str, journey: JourneyScreen, typed: str) -> str:
    """Type on the return page (through a proof-of-work wait if there is one);
    the HTML of the page it leads to."""
    page = journey.page
    journey.open(f"/{lang}/return/")
    page.locator('main form [name="passphrase"]').fill(typed)
    page.locator("main form[method=post] button[type=submit]").click()
    journey.check()
    return page.content()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", sorted(LANGUAGE_DIGITS))
def test_receipts_in_her_script_and_the_duress_phrase_without_javascript(
    lang, nojs_page, second_nojs_page
):
    page, visits = nojs_page
    seed_demo()
    page.set_viewport_size({"width": 360, "height": 800})
    journey = JourneyScreen(page, visits)

    # Words in her script, shown right to left as an ordered list of isolated words.
    words = send_in(lang, journey, lang)
    assert len(words.split()) == 8 and all(w in language_words(lang) for w in words.split())
    listed = page.locator("ol.passphrase-words")
    assert listed.get_attribute("dir") == "rtl"
    assert listed.locator("li").all_inner_texts() == words.split()
    # ...and a second phrase, asked for on the receipt page.
    page.locator('main form[action$="/report/second-phrase/"] button').click()
    journey.check()
    duress = journey.passphrase()
    assert len(duress.split()) == 8 and duress != words
    first = Report.objects.get()
    assert first.duress_lookup_digest is not None

    # Digits: left to right even on a right-to-left page.
    number = send_in(lang, journey, DIGITS)
    assert re.fullmatch(r"(\d{4} ){6}\d{4}", number)
    assert page.locator("[data-passphrase]").get_attribute("dir") == "ltr"

    # Back with each, typed loosely: extra spaces, her keyboard's digits.
    other, other_visits = second_nojs_page
    back = JourneyScreen(other, other_visits)
    type_phrase(lang, back, "  " + "   ".join(words.split()))
    assert other.url.endswith(f"/{lang}/return/report/")
    assert f"/{lang}/return/report/more/" in other.content()  # police, legal advice: a second step
    other.locator('main form[action$="/return/close/"] button').click()
    back.check()
    her_digits = number.translate(str.maketrans("0123456789", LANGUAGE_DIGITS[lang]))
    type_phrase(lang, back, her_digits)
    assert other.url.endswith(f"/{lang}/return/report/")
    other.locator('main form[action$="/return/close/"] button').click()
    back.check()

    # A duress phrase shows the same page as a wrong one: content and size.
    wrong_html = type_phrase(lang, back, new_receipt(lang).text)
    duress_html = type_phrase(lang, back, duress)
    assert other.url.endswith(f"/{lang}/return/")
    assert _without_tokens(duress_html) == _without_tokens(wrong_html)
    assert len(_without_tokens(duress_html).encode()) == len(_without_tokens(wrong_html).encode())
    assert other.locator('main form [name="passphrase"]').input_value() == ""

    flagged = Report.objects.get(pk=first.pk)
    assert flagged.under_pressure_at is not None
    assert Report.objects.exclude(pk=first.pk).get().under_pressure_at is None
    assert AuditEvent.objects.filter(kind="reporter_under_pressure").count() == 1

    # The real phrase still opens it, and shows nothing of the flag.
    type_phrase(lang, back, words)
    assert other.url.endswith(f"/{lang}/return/report/")
    assert "pressure" not in other.content().lower()

    # The caseworker sees it on the case page.
    login = StaffLogin(page, visits)
    login.open("/staff/login/")
    user = StaffUser.objects.get(username="lucia")
    login.sign_in("lucia", DEMO_PASSWORD, fresh_backup_code(user))
    login.open(f"/staff/cases/{flagged.public_id}/")
    assert "The reporter may be under pressure" in page.locator("main").inner_text()
