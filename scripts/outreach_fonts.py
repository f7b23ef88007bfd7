"""Make the fonts the outreach leaflets are printed with (src/safereport/outreach/fonts/).

Usage::

    apt-get install fonts-noto-core fonts-noto-cjk   # Debian: the Noto fonts (SIL OFL 1.1)
    .venv/bin/python scripts/outreach_fonts.py [--from /usr/share/fonts]

The leaflets are made on the server, which cannot rely on the fonts of the
machine it runs on, so the fonts are part of the package. Each is cut down
with fontTools to the scripts the leaflets can contain (the whole script, not
only the letters of today's catalogues, so an organisation's name in that
script still prints), keeping the shaping tables that Arabic and Bengali
need. Simplified Chinese keeps the 3,755 characters of GB 2312's first level
and every character of the catalogue. The PDF then embeds only the letters it
uses.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "safereport" / "outreach" / "fonts"
LOCALE = ROOT / "src" / "safereport" / "locale"

COMMON = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x25CC, 0x25CC)]
LATIN = [*COMMON, (0x100, 0x24F), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF), (0x1E00, 0x1EFF)]
ARABIC = [
    *COMMON,
    (0x600, 0x6FF),
    (0x750, 0x77F),
    (0x8A0, 0x8FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
]
BENGALI = [*COMMON, (0x964, 0x965), (0x980, 0x9FF)]
ETHIOPIC = [*COMMON, (0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)]
CJK_PUNCTUATION = [(0x3000, 0x303F), (0xFF00, 0xFFEF)]

# (file made, font it is cut from, code point ranges)
FONTS = [
    ("latin-regular.ttf", "truetype/noto/NotoSans-Regular.ttf", LATIN),
    ("latin-bold.ttf", "truetype/noto/NotoSans-Bold.ttf", LATIN),
    ("arabic-regular.ttf", "truetype/noto/NotoNaskhArabic-Regular.ttf", ARABIC),
    ("arabic-bold.ttf", "truetype/noto/NotoNaskhArabic-Bold.ttf", ARABIC),
    ("bengali-regular.ttf", "truetype/noto/NotoSansBengali-Regular.ttf", BENGALI),
    ("ethiopic-regular.ttf", "truetype/noto/NotoSansEthiopic-Regular.ttf", ETHIOPIC),
    ("chinese-regular.ttf", "opentype/noto/NotoSansCJK-Regular.ttc", None),
]


def code_points(ranges: list[tuple[int, int]]) -> set[int]:
    return {point for low, high in ranges for point in range(low, high + 1)}


def chinese_points() -> set[int]:
    """GB 2312 level 1 (rows 16 to 55), CJK punctuation and the catalogue's characters."""
    points = code_points(COMMON + CJK_PUNCTUATION)
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes([row, cell]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    for catalogue in LOCALE.glob("zh*/LC_MESSAGES/django.po"):
        points.update(ord(ch) for ch in catalogue.read_text(encoding="utf-8"))
    return points


def cut(source: Path, target: Path, points: set[int], *, font_number: int = 0) -> None:
    options = subset.Options()
    options.layout_features = ["*"]  # keep shaping (init/medi/fina, conjuncts, marks)
    options.name_IDs = ["*"]  # keep the copyright and licence names
    options.notdef_outline = True
    options.font_number = font_number
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="source", default="/usr/share/fonts", type=Path)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, relative, ranges in FONTS:
        source = args.source / relative
        if not source.exists():
            print(f"missing {source}: install fonts-noto-core and fonts-noto-cjk", file=sys.stderr)
            return 1
        if ranges is None:
            # The CJK collection's third face is Simplified Chinese (SC).
            cut(source, OUT / name, chinese_points(), font_number=2)
        else:
            cut(source, OUT / name, code_points(ranges))
        print(f"{name}: {(OUT / name).stat().st_size // 1024} KiB from {source.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
