"""Make the web fonts the public pages serve for scripts many phones cannot show.

Run from the repository root after changing a catalogue of one of these languages:

    .venv/bin/python scripts/subset_fonts.py [--source /usr/share/fonts/truetype/noto]

It reads the Noto fonts (SIL Open Font License 1.1) from the Debian package
``fonts-noto-core`` (``apt-get install fonts-noto-core``), keeps only the
glyphs of one script block plus every character the language's catalogues use
(with the ligatures and contextual forms that shaping needs), and writes WOFF2
files and one small stylesheet per language under
``src/safereport/static/safereport/fonts/``. The pages of that language link
the stylesheet (``templates/base.html``); ``unicode-range`` limits each face
to its script, so Latin text keeps the system font and a device that has the
font already uses its own (``local()``). Commit the output with the licence.

fontTools (a pinned test dependency) and Brotli (for WOFF2) do the work.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import polib
from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "safereport"
OUTPUT = PACKAGE / "static" / "safereport" / "fonts"
DEBIAN_NOTO = Path("/usr/share/fonts/truetype/noto")
COPYRIGHT = Path("/usr/share/doc/fonts-noto-core/copyright")

ARABIC = "U+0600-06FF, U+0750-077F, U+08A0-08FF, U+200C-200F, U+FB50-FDFF, U+FE70-FEFF"


@dataclass(frozen=True)
class Face:
    language: str  # locale folder name
    family: str  # the name the stylesheet gives it
    local_name: str  # the name a device that has it knows it by
    source: str  # file name, without "-Regular.ttf" / "-Bold.ttf"
    unicode_range: str
    line_height: str = ""  # scripts that need more room between lines
    weights: tuple[tuple[str, int], ...] = (("Regular", 400), ("Bold", 700))

    @property
    def slug(self) -> str:
        return self.source.lower()


FACES = (
    Face(
        "bn",
        "SafeReport Bengali",
        "Noto Sans Bengali",
        "NotoSansBengali",
        "U+0980-09FF, U+200C-200D, U+25CC",
    ),
    Face(
        "am",
        "SafeReport Ethiopic",
        "Noto Sans Ethiopic",
        "NotoSansEthiopic",
        "U+1200-139F, U+2D80-2DDF",
    ),
    # Nastaliq is large (about 110 KB a weight even subset): one weight, and the
    # browser thickens it for bold text.
    Face(
        "ur",
        "SafeReport Urdu",
        "Noto Nastaliq Urdu",
        "NotoNastaliqUrdu",
        ARABIC,
        "2.2",
        (("Regular", 400),),
    ),
    Face("fa", "SafeReport Farsi", "Noto Naskh Arabic", "NotoNaskhArabic", ARABIC),
)


def parse_range(text: str) -> set[int]:
    points: set[int] = set()
    for part in text.split(","):
        part = part.strip().removeprefix("U+")
        low, _, high = part.partition("-")
        points.update(range(int(low, 16), int(high or low, 16) + 1))
    return points


def catalogue_text(language: str) -> str:
    """Every translated string of the language, in all of its catalogues."""
    texts = []
    for path in sorted(PACKAGE.glob(f"**/locale/{language}/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(path)):
            texts.append(entry.msgstr)
            texts.extend(entry.msgstr_plural.values())
    return "".join(texts)


def wanted_characters(face: Face) -> list[int]:
    in_range = parse_range(face.unicode_range)
    used = {ord(c) for c in catalogue_text(face.language)}
    # The whole script block, so that what a reporter types shows too; the
    # presentation-form blocks only for characters the catalogues use.
    block = {p for p in in_range if p < 0xFB50}
    return sorted(block | (used & in_range))


def subset_font(source: Path, target: Path, characters: list[int]) -> int:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # every shaping feature the script needs
    options.name_IDs = ["*"]  # keep the copyright and licence names (OFL)
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    return target.stat().st_size


def stylesheet(face: Face) -> str:
    rules = [
        f"/* {face.local_name}, subset by scripts/subset_fonts.py;"
        " SIL Open Font License 1.1 (OFL.txt). */"
    ]
    for weight_name, weight in face.weights:
        rules.append(
            "@font-face {\n"
            f'  font-family: "{face.family}";\n'
            f'  src: local("{face.local_name} {weight_name}"),\n'
            f'    local("{face.source}-{weight_name}"),\n'
            f'    url("{face.slug}-{weight_name.lower()}.woff2") format("woff2");\n'
            f"  font-weight: {weight};\n"
            "  font-style: normal;\n"
            "  font-display: swap;\n"
            f"  unicode-range: {face.unicode_range};\n"
            "}"
        )
    # html[lang] outranks site.css's own font rules ([dir=rtl] body, [lang=ur] body).
    family = f'"{face.family}", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
    elements = ", ".join(
        f"html[lang] {e}" for e in ("body", "button", "input", "select", "textarea")
    )
    rules.append(f"{elements} {{ font-family: {family}; }}")
    if face.line_height:
        text = ", ".join(f"html[lang] {e}" for e in ("body", "p", "li", ".lede"))
        rules.append(f"{text} {{ line-height: {face.line_height}; }}")
    return "\n".join(rules) + "\n"


def licence_text() -> str:
    """The OFL as Debian's copyright file quotes it, with the fonts' copyright line."""
    lines = COPYRIGHT.read_text(encoding="utf-8").splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("License: OFL-1.1"))
    body = []
    for line in lines[start + 1 :]:
        if line and not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    header = [
        "Noto Sans Bengali, Noto Sans Ethiopic, Noto Nastaliq Urdu, Noto Naskh Arabic",
        "Copyright 2010, 2012-2020 Google Inc.; 2015-2020 Google LLC.",
        "Subset to WOFF2 by SafeReport (scripts/subset_fonts.py) from Debian's fonts-noto-core.",
        "",
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.",
        "",
        "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007",
        "",
    ]
    return "\n".join(header + body).rstrip() + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEBIAN_NOTO)
    args = parser.parse_args(argv)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for face in FACES:
        characters = wanted_characters(face)
        for weight_name, _ in face.weights:
            source = args.source / f"{face.source}-{weight_name}.ttf"
            target = OUTPUT / f"{face.slug}-{weight_name.lower()}.woff2"
            size = subset_font(source, target, characters)
            print(f"{target.relative_to(ROOT)}: {len(characters)} characters, {size:,} bytes")
        (OUTPUT / f"{face.language}.css").write_text(stylesheet(face), encoding="utf-8")
    (OUTPUT / "OFL.txt").write_text(licence_text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
