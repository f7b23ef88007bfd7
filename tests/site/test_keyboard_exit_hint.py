"""The footer's "press Escape twice" is shown only by the script that makes it true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import safereport

pytestmark = pytest.mark.django_db
SCRIPT = Path(safereport.__file__).parent / "static" / "safereport" / "quick-exit.js"


@pytest.mark.parametrize("path", ["/en/", "/ar/report/", "/en/your-rights/", "/en/transparency/"])
def test_the_escape_hint_is_hidden_until_the_script_shows_it(client, path):
    page = client.get(path).content.decode()
    hints = re.findall(r"<p [^>]*data-keyboard-exit-hint[^>]*>", page)
    assert len(hints) == 1, path
    assert " hidden" in hints[0]
    assert "/static/safereport/quick-exit." in page  # the script that shows it


def test_the_quick_exit_script_reveals_the_hint():
    script = SCRIPT.read_text()
    assert 'querySelector("[data-keyboard-exit-hint]")' in script
    assert "hint.hidden = false" in script
