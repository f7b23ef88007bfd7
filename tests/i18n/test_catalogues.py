"""The gettext catalogues: every public string translated in every language, and compiled.

These read the .po files under src/safereport/locale (the project-wide
catalogue) and every app's own locale folder, with polib. They need no
database and no gettext tools.
"""

from __future__ import annotations

import re
from collections import defaultdict

import polib
import pytest
from django.conf import settings
from django.utils import translation

from i18n.public_site import (
    PACKAGE,
    all_languages,
    catalogue_files,
    catalogue_language,
    entry_key,
    is_public_entry,
    is_translated,
    other_languages,
    project_catalogue,
    public_source_strings,
)

REVIEW_MARKER = "needs native review"
# Languages written right to left (of those the site offers or may offer).
RIGHT_TO_LEFT = {"ar", "fa", "ur", "he", "ps", "ckb", "ug", "yi", "dv", "sd"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")


def _catalogues_by_language() -> dict[str, list[polib.POFile]]:
    found: dict[str, list[polib.POFile]] = defaultdict(list)
    for path in catalogue_files():
        found[catalogue_language(path)].append(polib.pofile(str(path)))
    return found


@pytest.mark.parametrize("language", other_languages())
def test_every_language_but_english_has_the_project_catalogue(language):
    po = project_catalogue(language)
    assert po.exists(), f"missing {po.relative_to(PACKAGE)}"
    declared = polib.pofile(str(po)).metadata.get("Language", "")
    assert translation.to_language(declared) == language


@pytest.mark.parametrize("language", other_languages())
def test_every_language_but_english_has_the_survey_catalogue(language):
    """The survey's pages are public: its own catalogue is needed in every language."""
    po = (
        PACKAGE
        / "survey"
        / "locale"
        / translation.to_locale(language)
        / "LC_MESSAGES"
        / "django.po"
    )
    assert po.exists(), f"missing {po.relative_to(PACKAGE)}"


def test_the_site_offers_the_twelve_languages_it_has_catalogues_for():
    """A language is offered once its catalogues are complete; the names are the
    languages' own, and the right-to-left ones are marked."""
    offered = dict(settings.LANGUAGES)
    assert {"en", "es", "pt", "tl", "ar", "ur", "pl", "ro", "fa"} <= offered.keys()
    assert offered["pl"] == "Polski" and offered["ro"] == "Română" and offered["fa"] == "فارسی"
    planned = set(settings.LANGUAGE_NAMES)
    assert offered.keys() | set(settings.LANGUAGES_IN_PROGRESS) == planned
    assert len(planned) == 12
    assert set(settings.LANGUAGES_BIDI) == {c for c in planned if c in RIGHT_TO_LEFT}


def test_catalogues_hold_the_public_pages():
    """A guard against testing nothing: the project catalogue has the public strings."""
    for language in other_languages():
        po = polib.pofile(str(project_catalogue(language)))
        public = [e for e in po if is_public_entry(e)]
        assert len(public) >= 100, language
        assert any(e.msgid == "Leave this site now" for e in public)


@pytest.mark.parametrize("path", catalogue_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_public_string_is_untranslated_or_fuzzy(path):
    po = polib.pofile(str(path))
    problems = [
        f"{'fuzzy' if 'fuzzy' in e.flags else 'untranslated'}: {e.msgid[:70]!r} "
        f"({e.occurrences[0][0] if e.occurrences else '?'})"
        for e in po
        if not e.obsolete and is_public_entry(e) and not is_translated(e)
    ]
    assert problems == [], f"{path.relative_to(PACKAGE)}:\n" + "\n".join(problems)


def test_every_public_string_in_the_sources_is_translated_in_every_language():
    """Catches a string added to a public page after the catalogues were last updated."""
    sources = public_source_strings()
    assert len(sources) >= 100
    catalogues = _catalogues_by_language()
    missing = []
    for language in other_languages():
        translated = {entry_key(e) for po in catalogues[language] for e in po if is_translated(e)}
        for key, where in sorted(sources.items(), key=lambda kv: kv[0][1]):
            if key not in translated:
                missing.append(f"{language}: {key[1][:70]!r} in {sorted(where)[0]}")
    assert missing == [], (
        "public strings without a translation (run makemessages, translate, compile: "
        "docs/i18n.md):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("path", catalogue_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_translations_keep_every_placeholder(path):
    """A translation has the same placeholders as the English; a plural form may drop
    the number where the language says it in words ("one choice", "two choices")."""
    po = polib.pofile(str(path))
    wrong = []
    for e in po.translated_entries():
        expected = set(PLACEHOLDER.findall(e.msgid))
        if e.msgid_plural:
            allowed = expected | set(PLACEHOLDER.findall(e.msgid_plural))
            if any(not set(PLACEHOLDER.findall(s)) <= allowed for s in e.msgstr_plural.values()):
                wrong.append(e.msgid)
        elif set(PLACEHOLDER.findall(e.msgstr)) != expected:
            wrong.append(e.msgid)
    assert wrong == [], f"{path.relative_to(PACKAGE)}: placeholders differ in {wrong}"


@pytest.mark.parametrize("path", catalogue_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_compiled_catalogue_matches_its_source(path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(PACKAGE)} is missing: compile it (docs/i18n.md)"
    po = polib.pofile(str(path))
    mo = polib.mofile(str(mo_path))

    def table(entries):  # type: ignore[no-untyped-def]
        rows = {}
        for e in entries:
            if not e.msgid:
                continue
            value = tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr
            rows[entry_key(e)] = value
        return rows

    expected = table(e for e in po if is_translated(e))
    compiled = table(mo)
    stale = sorted(k[1][:60] for k in expected.keys() ^ compiled.keys())
    common = expected.keys() & compiled.keys()
    changed = sorted(k[1][:60] for k in common if expected[k] != compiled[k])
    assert stale == [] and changed == [], (
        f"{mo_path.relative_to(PACKAGE)} does not match its .po (recompile): "
        f"missing or extra {stale[:10]}, different {changed[:10]}"
    )


PROJECT_CATALOGUES = [project_catalogue(language) for language in other_languages()]


@pytest.mark.parametrize("path", PROJECT_CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_review_markers_survive_makemessages(path):
    """The marker is a translator comment (`# needs native review`).

    An extracted comment (`#.`) would be silently dropped by the next
    makemessages, which replaces extracted comments with the source's own.
    """
    po = polib.pofile(str(path))
    misplaced = [e.msgid[:60] for e in po if REVIEW_MARKER in (e.comment or "")]
    marked = [e for e in po if REVIEW_MARKER in (e.tcomment or "")]
    assert marked, "no entry is marked for review: has a native speaker checked them all?"
    assert misplaced == [], f"use '# {REVIEW_MARKER}', not '#. {REVIEW_MARKER}': {misplaced}"


@pytest.mark.parametrize("language", all_languages())
def test_django_loads_the_catalogue_at_run_time(language):
    with translation.override(language):
        text = translation.gettext("Leave this site now")
        bidi = translation.get_language_bidi()
    if language == "en":
        assert text == "Leave this site now"
    else:
        assert text != "Leave this site now"
    assert bidi == (language in RIGHT_TO_LEFT)


@pytest.mark.parametrize("path", catalogue_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_plural_translations_have_every_form_the_language_needs(path):
    """A missing plural form falls back to English for the numbers that need it."""
    po = polib.pofile(str(path))
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    assert match, f"{path.relative_to(PACKAGE)} has no Plural-Forms header"
    forms = int(match.group(1))
    short = [
        e.msgid[:60]
        for e in po.translated_entries()
        if e.msgid_plural and sorted(e.msgstr_plural) != list(range(forms))
    ]
    assert short == [], f"{path.relative_to(PACKAGE)} needs {forms} plural forms in {short}"
