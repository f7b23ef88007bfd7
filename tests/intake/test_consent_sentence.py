"""The consent sentence reads right in her voice for every set of sections, in every language.

For each public language, each purpose a reporter can agree to, every
non-empty set of sections a reporter can write (in the order the offers list
them), with and without her name: the sentence names the organisation, the
recipient and each chosen section's words, no other section's words, and
never speaks to her as "you".
"""

from __future__ import annotations

import html
import itertools
import re

import pytest
from django.conf import settings
from django.utils import translation

from safereport.core.vocabulary import Purpose, Section
from safereport.intake.consent_sentence import (
    IDENTITY_WITHOUT_NAME,
    SECTION_WORDS,
    consent_sentence,
    join_words,
    section_words,
)

LANGUAGES = [code for code, _ in settings.LANGUAGES]
SAYABLE = list(SECTION_WORDS)  # every section a reporter writes at intake
SUBSETS = [
    subset
    for size in range(1, len(SAYABLE) + 1)
    for subset in itertools.combinations(SAYABLE, size)
]
ORGANISATION = "Puerta Abierta Women's Network"
RECIPIENT = "Riverside Constabulary"

# Words that speak to the reader ("you", "your") in each language: the
# sentence is hers, so none may appear in it (whole words only).
SECOND_PERSON = {
    "en": {"you", "your", "yours", "yourself"},
    "es": {"tú", "tu", "tus", "usted", "ti", "contigo"},
    "pt": {"você", "vocês", "seu", "sua", "seus", "suas", "teu", "tua", "ti"},
    "tl": {"ka", "mo", "ikaw", "iyo", "iyong", "ninyo", "kayo"},
    "ar": {"أنت", "أنتِ", "لك", "عنك", "بك", "منك", "اسمك", "إليك", "معك"},
    "ur": {"آپ", "تم", "تمہارا", "تمہاری", "تجھ"},
    "pl": {
        "ty",
        "cię",
        "ciebie",
        "ci",
        "tobie",
        "tobą",
        "twój",
        "twoja",
        "twoje",
        "twoim",
        "twojej",
        "twojego",
    },
    "ro": {"tu", "te", "ți", "tău", "ta", "tale", "dumneavoastră", "vă", "voastră"},
    "fa": {"شما", "تو", "شمارا"},
    "bn": {"আপনি", "আপনার", "আপনাকে", "তুমি", "তোমার", "তোমাকে", "তুই", "তোর"},
    "zh-hans": {"你", "您"},  # single characters: see words_of
    "am": {"እርስዎ", "እርስዎን", "ለእርስዎ", "የእርስዎ", "አንተ", "አንቺ", "ያንተ", "ያንቺ"},
}
# What each language's first person looks like ("I agree"): at least one must appear.
FIRST_PERSON = {
    "en": {"I"},
    "es": {"acepto", "estoy"},
    "pt": {"concordo"},
    "tl": {"ako", "pumapayag"},
    "ar": {"أوافق"},
    "ur": {"میری", "میں", "مجھے"},
    "pl": {"zgadzam"},
    "ro": {"sunt"},
    "fa": {"موافقم"},
    "bn": {"আমি"},
    "zh-hans": {"我"},
    "am": {"እስማማለሁ"},
}


def text_of(sentence: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", sentence))


# Bengali vowel signs are not \w, so a word would break at each one: keep the script whole.
WORD = re.compile(r"[\w\u0980-\u09ff]+")
# Chinese has no spaces, so a "word" is a whole run of characters: each Han character
# counts as a word too, so that 你 ("you") or 我 ("I") is seen inside a run.
HAN = re.compile(r"[\u4e00-\u9fff]")


def words_of(text: str) -> set[str]:
    return set(WORD.findall(text.lower())) | set(WORD.findall(text)) | set(HAN.findall(text))


def test_every_public_language_is_checked():
    assert set(LANGUAGES) == set(SECOND_PERSON) == set(FIRST_PERSON)
    assert len(SUBSETS) == 2 ** len(SAYABLE) - 1


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("purpose", [Purpose.CRIME_INVESTIGATION, Purpose.LEGAL_ADVICE])
def test_the_sentence_names_exactly_the_chosen_sections_in_her_voice(language, purpose):
    with translation.override(language):
        every_word = {s: str(SECTION_WORDS[s]) for s in SAYABLE}
        without_name = str(IDENTITY_WITHOUT_NAME)
        for subset, named in itertools.product(SUBSETS, (True, False)):
            sentence = text_of(
                consent_sentence(
                    organisation=ORGANISATION,
                    recipient=RECIPIENT,
                    purpose=purpose,
                    sections=subset,
                    named=named,
                )
            )
            where = (language, purpose, [s.value for s in subset], named)
            assert ORGANISATION in sentence, where
            assert RECIPIENT in sentence, where
            assert sentence.index(ORGANISATION) != sentence.index(RECIPIENT), where
            for section in SAYABLE:
                words = every_word[section]
                if section is Section.IDENTITY and not named:
                    words = without_name
                if section in subset:
                    assert words in sentence, (where, section)
                else:
                    assert every_word[section] not in sentence, (where, section)
                    if section is Section.IDENTITY:
                        assert without_name not in sentence, where
            seen = words_of(sentence)
            assert not seen & SECOND_PERSON[language], (where, seen & SECOND_PERSON[language])
            assert seen & FIRST_PERSON[language], where
            assert "%(" not in sentence and "%s" not in sentence, where


def test_the_english_sentence_reads_as_she_would_say_it():
    with translation.override("en"):
        sentence = text_of(
            consent_sentence(
                organisation=ORGANISATION,
                recipient=RECIPIENT,
                purpose=Purpose.CRIME_INVESTIGATION,
                sections=(Section.INCIDENT, Section.PERPETRATOR),
                named=False,
            )
        )
    assert sentence == (
        "I agree that Puerta Abierta Women's Network may pass what happened and what I said "
        "about the person who harmed me to Riverside Constabulary, so that they can look into "
        "the crime."
    )


@pytest.mark.parametrize(
    ("words", "joined"),
    [
        ([], ""),
        (["a"], "a"),
        (["a", "b"], "a and b"),
        (["a", "b", "c"], "a, b and c"),
    ],
)
def test_words_are_joined_as_a_list(words, joined):
    with translation.override("en"):
        assert join_words(words) == joined


def test_the_identity_section_says_my_name_only_when_she_gave_one():
    with translation.override("en"):
        assert section_words([Section.IDENTITY], named=True) == [
            "my name and what I said about myself"
        ]
        assert section_words([Section.IDENTITY], named=False) == ["what I said about myself"]


def test_names_and_words_are_escaped_and_isolated():
    with translation.override("ar"):
        sentence = consent_sentence(
            organisation="<script>alert(1)</script> & Co",
            recipient="Riverside",
            purpose=Purpose.CRIME_INVESTIGATION,
            sections=(Section.INCIDENT,),
            named=True,
        )
    assert "<script>" not in sentence
    assert "<bdi>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</bdi>" in sentence
    assert "<bdi>Riverside</bdi>" in sentence
