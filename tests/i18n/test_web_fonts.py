"""The web fonts the site serves for scripts many phones cannot show (Urdu's
Nastaliq, Farsi's Naskh, Bengali, Ethiopic for Amharic).

They are subsets of Noto fonts made by ``scripts/subset_fonts.py``: each must
hold every letter the language's catalogues use, be declared with
``unicode-range`` and ``font-display: swap``, come with its licence, and be
linked only on pages in its own language.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from fontTools.ttLib import TTFont

from i18n.public_site import PACKAGE, all_languages, catalogue_files, catalogue_language
from safereport.context_processors import WEB_FONT_LANGUAGES, web_font_stylesheet

pytestmark = pytest.mark.django_db

STATIC = PACKAGE / "static"
FONTS = STATIC / "safereport" / "fonts"
FONT_FACE = re.compile(r"@font-face\s*{(.*?)}", re.S)
URL = re.compile(r'url\("([^"]+)"\)')
RANGE = re.compile(r"unicode-range:\s*([^;]+);")
# A subset the first page in a language may download, once (then cached for a year).
FONT_FILE_BUDGET = 120 * 1024


def _script():  # type: ignore[no-untyped-def]
    path = Path(settings.PACKAGE_DIR).parents[1] / "scripts" / "subset_fonts.py"
    spec = importlib.util.spec_from_file_location("subset_fonts", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def _code_points(ranges: str) -> set[int]:
    points: set[int] = set()
    for part in ranges.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        points.update(range(int(low, 16), int(high or low, 16) + 1))
    return points


def _faces(language: str) -> list[tuple[Path, set[int], str]]:
    """(font file, unicode-range, whole rule) of each face the language's stylesheet declares."""
    name = web_font_stylesheet(language)
    assert name is not None
    css = (STATIC / name).read_text(encoding="utf-8")
    found = []
    for rule in FONT_FACE.findall(css):
        urls = URL.findall(rule)
        ranges = RANGE.search(rule)
        assert len(urls) == 1 and ranges, rule
        found.append(((STATIC / name).parent / urls[0], _code_points(ranges.group(1)), rule))
    return found


def _catalogue_characters(language: str) -> set[int]:
    texts = [dict(settings.LANGUAGE_NAMES)[language]]
    locale = translation.to_locale(language)
    for path in sorted(PACKAGE.glob(f"**/locale/{locale}/LC_MESSAGES/*.po")):
        for entry in polib.pofile(str(path)):
            texts.append(entry.msgstr)
            texts.extend(entry.msgstr_plural.values())
    return {ord(c) for c in "".join(texts)}


def test_the_script_makes_the_fonts_the_site_links():
    faces = _script().FACES
    assert {face.language for face in faces} == set(WEB_FONT_LANGUAGES)
    assert {"ur", "fa", "bn", "am"} <= WEB_FONT_LANGUAGES


@pytest.mark.parametrize("language", sorted(WEB_FONT_LANGUAGES))
def test_each_font_holds_every_letter_its_language_uses(language):
    faces = _faces(language)
    assert faces
    wanted = _catalogue_characters(language)
    for font_path, code_points, rule in faces:
        assert "font-display: swap" in rule
        assert font_path.suffix == ".woff2" and font_path.is_file(), font_path
        assert font_path.stat().st_size <= FONT_FILE_BUDGET, (font_path.name, font_path.stat())
        font = TTFont(str(font_path))
        assert font.flavor == "woff2"
        cmap = set(font.getBestCmap())
        needed = wanted & code_points
        assert needed - cmap == set(), f"{font_path.name} lacks {sorted(map(chr, needed - cmap))}"
        # The letters a reporter may type, not only those the catalogues use.
        assert len(cmap & code_points) >= 60, font_path.name
        # The subset keeps the shaping rules the script needs (joining, conjuncts).
        assert "GSUB" in font
        assert "OFL" in str(font["name"].getDebugName(13) or "") or "Open Font" in str(
            font["name"].getDebugName(13) or ""
        )


def test_the_fonts_come_with_their_licence():
    licence = (FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Google" in licence
    assert sorted(p.name for p in FONTS.glob("*.woff2"))


@pytest.mark.parametrize("language", all_languages())
def test_a_font_is_linked_only_on_pages_in_its_language(client, language):
    html = client.get(f"/{language}/").content.decode()
    linked = set(re.findall(r'href="[^"]*/fonts/([\w-]+?)(?:\.[0-9a-f]{12})?\.css"', html))
    expected = {translation.to_locale(language)} if language in WEB_FONT_LANGUAGES else set()
    assert linked == expected


def test_every_offered_language_in_an_uncommon_script_has_a_font():
    """Bengali and Ethiopic get a font as soon as they are offered; Urdu and Farsi already."""
    for language in all_languages():
        if language in ("bn", "am", "ur", "fa"):
            assert language in WEB_FONT_LANGUAGES
    assert {catalogue_language(p) for p in catalogue_files()} <= set(all_languages())
