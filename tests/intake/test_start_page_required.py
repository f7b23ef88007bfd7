"""The start page names exactly the answers the journey requires."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safereport.intake import journey

pytestmark = pytest.mark.django_db


def required_questions() -> set[tuple[str, str]]:
    found = set()
    for step in journey.STEPS:
        kwargs = {"areas": []} if step.slug == "area" else {}
        if step.slug == "organisation":
            kwargs = {"choices": []}
        for name, field in step.form(**kwargs).fields.items():
            if field.required:
                found.add((step.slug, name))
    return found


def test_the_start_page_names_what_is_required(client):
    # If another answer becomes required, the start page's sentence must name it too.
    assert required_questions() == {
        ("kind", "crime_type"),
        ("what-happened", "what"),
        ("what-you-want", "wants"),
        ("organisation", "organisation"),
    }
    page = client.get(reverse("public:report_start")).content.decode()
    assert "Only the first two" not in page
    assert (
        "Only four answers are needed: the kind of harm, what happened, what you would like to "
        "happen, and which organisation should read your report. Everything else is optional."
    ) in page
