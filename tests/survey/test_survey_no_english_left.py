"""No survey page shows English text in another language (the site's own checker)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from survey_helpers import store_small_design

from i18n.public_site import untranslated_texts

pytestmark = pytest.mark.django_db


def survey_pages(language: str) -> list[str]:
    """Introduction, a question, a choice, the same choice with an error, thank-you."""
    client = Client()
    with translation.override(language):
        first = reverse("public:survey_question", args=["age"])
        task = reverse("public:survey_task", args=[1])
        pages = [client.get(reverse("public:survey")), client.get(first)]
        client.post(first, {})
        pages += [client.get(task), client.post(task, {})]
        for number in (1, 2, 3):
            client.post(reverse("public:survey_task", args=[number]), {"choice": "A"})
        pages.append(client.get(reverse("public:survey_thanks")))
    assert all(page.status_code == 200 for page in pages)
    return [page.content.decode() for page in pages]


@pytest.mark.parametrize("language", [c for c, _ in settings.LANGUAGES if c != "en"])
def test_no_survey_page_shows_english_text_in_another_language(language):
    store_small_design()
    english = survey_pages("en")
    for page_en, page_other in zip(english, survey_pages(language), strict=True):
        assert untranslated_texts(page_en, page_other, language) == []
