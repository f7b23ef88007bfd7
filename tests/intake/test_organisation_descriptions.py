"""Reporters read each organisation's description in their language where the
organisation wrote one, and the English text, marked as English, where not."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from safereport.accounts.demo import DESCRIPTION_TRANSLATIONS, seed_demo
from sr_testing.proofs import post_with_proof

pytestmark = pytest.mark.django_db


def _organisation_step(client: Client, language: str) -> str:
    for slug, data in [
        ("kind", {"crime_type": "domestic_abuse"}),
        ("what-happened", {"what": "x", "when": "", "where": ""}),
        ("person", {"who": "", "relationship": "", "more": ""}),
        ("what-you-want", {"wants": "support_only", "needs": ""}),
        ("safe-contact", {"channel": ""}),
        ("about-you", {"name": "", "other": ""}),
        ("attachments", {"action": "continue"}),
        ("area", {"area": ""}),
    ]:
        response = post_with_proof(client, f"/{language}/report/{slug}/", data)
        assert response.status_code == 302, (slug, response.status_code)
    return client.get(f"/{language}/report/organisation/").content.decode()


@pytest.mark.parametrize("language", [c for c, _ in settings.LANGUAGES if c != "en"])
def test_the_demo_organisations_are_described_in_the_reporters_language(client, language):
    seed_demo()
    page = _organisation_step(client, language)
    direction = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
    for slug in ("puerta-abierta", "noor-sisters", "fair-work"):
        text = DESCRIPTION_TRANSLATIONS[slug][language]
        assert f'<p class="hint" lang="{language}" dir="{direction}">{text}</p>' in page


def test_without_a_translation_the_english_text_is_marked_as_english(client):
    from safereport.accounts.models import Organisation

    seed_demo()
    Organisation.objects.filter(slug="noor-sisters").update(description_translations={})
    page = _organisation_step(client, "es")
    noor = Organisation.objects.get(slug="noor-sisters")
    assert f'<p class="hint" lang="en" dir="ltr">{noor.description}</p>' in page
    with translation.override("en"):
        english = _organisation_step(Client(), "en")
    assert re.search(r'<p class="hint" lang="en" dir="ltr">A by-and-for organisation', english)
