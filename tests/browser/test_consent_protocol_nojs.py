"""Issue 15 in a browser: the Protocol's limits beside the police choice (Arabic
and Farsi, JavaScript off), the consent sentence in her voice, the file picker with and
without JavaScript, and the footer's Escape hint only where it works."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import translation
from pages_journey import JourneyStep, Receipt

from safereport.accounts.demo import seed_demo
from safereport.accounts.models import Organisation
from safereport.cases.models import Consent
from safereport.core.vocabulary import OrgKind, Purpose, Section
from safereport.intake.consent_sentence import consent_sentence

ORGANISATION = "Puerta Abierta Women's Network"


def walk_to_review(step: JourneyStep, *, wants: str) -> None:
    """The journey in English with JavaScript off, the police choice on."""
    step.open("/en/report/")
    step.follow("Start")
    step.choose("Domestic abuse")
    step.press("Continue")
    step.fill("What happened?", "He threatened to call immigration if I leave.")
    step.press("Continue")
    step.fill("Who did it? (optional)", "My husband")
    step.press("Continue")
    step.choose(wants)
    step.press("Continue")
    step.press("Continue")  # safe contact: only through the website
    step.press("Continue")  # about you: no name
    step.press("Continue")  # no files
    step.press("Continue")  # area: rather not say
    step.choose(ORGANISATION)
    step.press("Continue")
    assert step.heading() == "Check your report before you send it"


def walk_to_attachments(step: JourneyStep) -> None:
    step.open("/en/report/")
    step.follow("Start")
    step.choose("Domestic abuse")
    step.press("Continue")
    step.fill("What happened?", "He broke my phone.")
    step.press("Continue")
    step.press("Continue")  # the person responsible
    step.choose("Support for me, and nothing else")
    step.press("Continue")
    step.press("Continue")  # safe contact
    step.press("Continue")  # about you
    assert step.heading() == "Photos and files"


# Her page's language, and how her consent sentence starts in it ("I agree").
I_AGREE = {"ar": "أوافق", "fa": "موافقم"}


def translated(lang: str, text: str) -> str:
    with translation.override(lang):
        return translation.gettext(text)


@pytest.mark.parametrize("lang", sorted(I_AGREE))
def test_in_her_rtl_language_without_javascript_the_police_choice_says_what_the_police_may_do(
    lang, nojs_page
):
    page, visits = nojs_page
    seed_demo()
    step = JourneyStep(page, visits)
    walk_to_review(step, wants="Pass information to the police without my name")
    step.open(f"/{lang}/report/review/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    box = page.locator("#consent-police")
    label = page.locator('label[for="consent-police"]')
    note = page.locator("#consent-police-protocol")
    # The statement is there, beside the choice: right under its sentence, in the same block.
    assert note.is_visible()
    assert box.get_attribute("aria-describedby") == "consent-police-protocol"
    said = note.inner_text()
    for source in (
        "Before you agree: the police and immigration",
        'The Home Office has an agreement (a "protocol") that it will not take enforcement '
        "action against a victim while the police investigate. This protection has conditions, "
        "it is only for a limited time, and it only starts after the police refer you. It does "
        "not give you the right to stay.",
        "The protocol does not protect you if the police or the Home Office do not see you as a "
        "victim. This happens to many people, for example to victims of trafficking or forced "
        "labour.",
    ):
        words = translated(lang, source)
        assert words != source, "translated"
        assert words in said
    label_box, note_box = label.bounding_box(), note.bounding_box()
    assert label_box and note_box
    assert 0 <= note_box["y"] - (label_box["y"] + label_box["height"]) < 40
    assert note.locator("xpath=..").get_attribute("class") == "choice"
    link = note.get_by_role("link")
    assert link.get_attribute("href") == f"/{lang}/your-rights/#protocol"

    # The sentence is hers, whole, and reads right to left with the names isolated.
    recipient = page.locator('label[for="consent-police"] bdi').nth(1).inner_text()
    assert Organisation.objects.get(name=recipient).kind == OrgKind.POLICE_FORCE.value
    with translation.override(lang):
        expected = consent_sentence(
            organisation=ORGANISATION,
            recipient=recipient,
            purpose=Purpose.CRIME_INVESTIGATION,
            sections=(Section.INCIDENT, Section.PERPETRATOR),
            named=False,
        )
    assert label.inner_text() == html.unescape(re.sub(r"<[^>]+>", "", expected))
    assert label.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert page.locator('label[for="consent-police"] bdi').first.inner_text() == ORGANISATION
    assert I_AGREE[lang] in label.inner_text()

    # The link leads to the same words on the rights page.
    link.click()
    step.check()
    assert page.url.endswith(f"/{lang}/your-rights/#protocol")
    for source in ("The police, immigration information and the Home Office protocol",):
        assert translated(lang, source) in page.locator("main").inner_text()
    page.go_back()
    step.check()

    box.check()
    step.press(translated(lang, "Send my report"))
    assert len(Receipt(page, visits).passphrase().split()) == 8  # words in her language (88 bits)
    consent = Consent.objects.get()
    assert consent.sections == ["incident", "perpetrator"]


def test_the_file_picker_works_without_javascript(nojs_page, tmp_path):
    page, visits = nojs_page
    seed_demo()
    step = JourneyStep(page, visits)
    walk_to_attachments(step)
    button = page.locator("label.file-button")
    assert button.inner_text() == "Choose a file"
    assert button.is_visible()
    assert not page.locator("[data-file-name]").is_visible()  # shown only by the script
    note = tmp_path / "note.txt"
    note.write_text("what he wrote to me")
    with page.expect_file_chooser() as chooser:
        button.click()  # the label opens the real input's picker
    chooser.value.set_files(str(note))
    assert page.locator("input[type=file]").evaluate("el => el.files[0].name") == "note.txt"
    step.press("Attach this file and add another")
    assert "The file was attached" in page.locator("main").inner_text()
    assert page.locator("[data-keyboard-exit-hint]").is_hidden()


def test_the_file_picker_names_the_chosen_file_with_javascript(browser_page, tmp_path):
    page, visits = browser_page
    seed_demo()
    step = JourneyStep(page, visits)
    step.open("/es/report/")
    assert page.locator("[data-keyboard-exit-hint]").is_visible()
    walk_to_attachments(step)
    shown = page.locator("[data-file-name]")
    assert shown.inner_text() == "No file chosen yet"
    photo = tmp_path / "صورة.txt"
    photo.write_text("a plain note")
    # Keyboard: the real input keeps the focus and opens the picker.
    with page.expect_file_chooser() as chooser:
        page.locator("input[type=file]").focus()
        page.keyboard.press("Space")
    chooser.value.set_files(str(photo))
    assert shown.inner_text() == "صورة.txt"
    step.press("Continue")
    assert step.heading() == "Your area"
