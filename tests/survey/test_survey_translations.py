"""Every survey string is translated, and each compiled catalogue matches its source."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from safereport.core.choice import BARRIERS_EXPERIMENT
from safereport.core.simulate.regimes import CHANNEL_LABELS, REGIME_LABELS, REGIME_SHORT_LABELS
from safereport.survey.questions import QUESTIONS

LOCALE = Path(__file__).resolve().parents[2] / "src/safereport/survey/locale"
# Every language the site offers (a catalogue being written for one it does not
# offer yet, settings.LANGUAGES_IN_PROGRESS, is checked once it is offered).
LANGUAGES = tuple(code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
CATALOGUES = [
    LOCALE / translation.to_locale(code) / "LC_MESSAGES" / "django.po" for code in LANGUAGES
]


def core_labels() -> set[str]:
    e = BARRIERS_EXPERIMENT
    labels = {e.opt_out_label}
    for attribute in e.attributes:
        labels.add(attribute.label)
        labels.update(level.label for level in attribute.levels)
        if attribute.unit:
            labels.add(attribute.unit)
    labels.update(REGIME_LABELS.values(), REGIME_SHORT_LABELS.values(), CHANNEL_LABELS.values())
    return labels


def test_there_is_a_catalogue_for_every_language_but_english():
    assert len(LANGUAGES) >= 8
    assert [p for p in CATALOGUES if not p.exists()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_no_entry_is_untranslated_or_fuzzy(path):
    po = polib.pofile(str(path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert not po.metadata_is_fuzzy
    for entry in po:
        if entry.msgid_plural:
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_the_compiled_catalogue_matches_its_source(path):
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo if e.msgid}
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in po.translated_entries()}
    assert compiled.keys() == source.keys()
    for key, (msgstr, plural) in source.items():
        assert compiled[key][0] == msgstr, key
        assert {int(k): v for k, v in compiled[key][1].items()} == {
            int(k): v for k, v in plural.items()
        }, key


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_every_core_label_the_survey_shows_has_an_entry(path):
    msgids = {e.msgid for e in polib.pofile(str(path))}
    assert core_labels() - msgids == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_django_serves_the_translations(language):
    with translation.override(language):
        assert translation.gettext(BARRIERS_EXPERIMENT.opt_out_label) != "I would not report"
        assert str(QUESTIONS[0].text) != "How old are you?"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_review_markers_are_kept_in_a_form_that_survives_msgmerge(path):
    """``#.`` (as the brief asks) is rewritten by makemessages/msgmerge; the ``#``
    translator comment beside it is not, so the two must always agree."""
    marker = "needs native review"
    for entry in polib.pofile(str(path)):
        assert (marker in entry.comment) == (marker in entry.tcomment), entry.msgid
