"""/transparency/: one clear heading for the refused immigration requests."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_one_heading_says_the_count(client):
    page = client.get("/en/transparency/").content.decode()
    section = page.split('aria-labelledby="immigration-heading"')[1].split("</section>")[0]
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", section, re.S)
    assert [h.strip() for h in headings] == ["Requests from immigration authorities refused: 0"]
    assert section.count("Requests from immigration authorities") == 1
