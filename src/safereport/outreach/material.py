"""Printable outreach material: an A4 leaflet, an A5 card and a QR code, per
organisation and language.

Everything printed comes from the public pages' own translated sentences (the
home page's promises, the rights page's guarantee, the safety advice), so a
leaflet says no more and no less than the site. The QR code holds the
organisation's start page: ``<SITE_URL>/<language>/report/?via=<slug>``, where
the journey suggests that organisation first.

The PDFs are made with fpdf2, shaping text with HarfBuzz (Arabic joins,
Bengali conjuncts) and laying out right-to-left languages from the right. The
fonts are Noto, cut down and shipped in ``fonts/`` (scripts/outreach_fonts.py),
so a leaflet prints the same on any server.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from safereport.accounts.models import Organisation

# fontTools reports each table it cuts while fpdf2 embeds a font: not for the server's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"

# Font family -> (regular file, bold file). Scripts without a bold cut print
# headings in the regular weight, larger.
FAMILIES: dict[str, tuple[str, str]] = {
    "latin": ("latin-regular.ttf", "latin-bold.ttf"),
    "arabic": ("arabic-regular.ttf", "arabic-bold.ttf"),
    "bengali": ("bengali-regular.ttf", "bengali-regular.ttf"),
    "ethiopic": ("ethiopic-regular.ttf", "ethiopic-regular.ttf"),
    "chinese": ("chinese-regular.ttf", "chinese-regular.ttf"),
}

# The language's first two letters -> (family, HarfBuzz script tag).
SCRIPTS: dict[str, tuple[str, str]] = {
    "ar": ("arabic", "arab"),
    "ur": ("arabic", "arab"),
    "fa": ("arabic", "arab"),
    "bn": ("bengali", "beng"),
    "am": ("ethiopic", "ethi"),
    "ti": ("ethiopic", "ethi"),
    "zh": ("chinese", "hani"),
}


class Format(StrEnum):
    """What can be printed, and the file name it is served under."""

    LEAFLET = "leaflet-a4.pdf"
    CARD = "card-a5.pdf"
    QR = "qr.svg"


@dataclass(frozen=True)
class Layout:
    page: tuple[float, float]  # millimetres
    margin: float
    title: float
    heading: float
    body: float
    line: float
    qr: float


LAYOUTS = {
    Format.LEAFLET: Layout(
        page=(210, 297), margin=18, title=22, heading=14, body=11.5, line=1.45, qr=58
    ),
    Format.CARD: Layout(page=(148, 210), margin=12, title=18, heading=12, body=11, line=1.4, qr=56),
}


def start_url(organisation: Organisation, language: str) -> str:
    """The organisation's start page in that language, as printed and encoded."""
    query = urlencode({"via": organisation.slug})
    return f"{settings.SITE_URL.rstrip('/')}/{language}/report/?{query}"


def qr_code(organisation: Organisation, language: str) -> segno.QRCode:
    # Error correction level M survives a crease or a smudge on paper.
    return segno.make_qr(start_url(organisation, language), error="m")


def qr_svg(organisation: Organisation, language: str) -> bytes:
    """The start page's QR code as SVG, for social media and print shops."""
    out = io.BytesIO()
    qr_code(organisation, language).save(out, kind="svg", scale=10, border=4, xmldecl=False)
    return out.getvalue()


@dataclass(frozen=True)
class Wording:
    """The sentences printed, taken from the public pages in the active language."""

    title: str
    lede: str
    promises: list[str]
    start: str
    danger: str
    rights_heading: str
    rights: list[str]
    phone: str

    @classmethod
    def current(cls) -> Wording:
        return cls(
            title=_("Tell someone what happened, safely"),
            lede=_(
                "SafeReport lets you tell a specialist support organisation about abuse, "
                "violence or exploitation, without giving your name. They can support you, and, "
                "only if you want, help you go to the police."
            ),
            promises=[
                _("We never ask about your immigration status."),
                _(
                    "Nothing you tell us is ever shared with immigration enforcement. This is a "
                    "rule in our software that anyone can check, not just a promise."
                ),
                _(
                    "You decide who sees what. Nothing goes to the police or anyone else without "
                    "your agreement, except to save a life, and never your immigration "
                    "information."
                ),
                _(
                    "You can come back later with a secret phrase to read replies, add "
                    "information, or ask us to delete your report."
                ),
            ],
            start=_("Start a report"),
            danger=_(
                "If you are in danger now, call 999. If you cannot speak, call 999 and then "
                "press 55 when asked."
            ),
            rights_heading=_("If you go to the police directly"),
            rights=[
                _(
                    "The police may share information about you with immigration enforcement. "
                    "The police decide this themselves; we cannot stop it."
                ),
                _("You do not have to go to the police to get support."),
            ],
            phone=_(
                "If someone checks your phone, use a private or incognito window, and clear your "
                "history afterwards. The button at the top of every page takes you away from "
                "this site at once."
            ),
        )


class _Document(FPDF):
    """One page laid out from the top, in the language's direction."""

    def __init__(self, layout: Layout, language: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format=layout.page)
        self.layout = layout
        self.rtl = translation.get_language_bidi()
        family, script = SCRIPTS.get(language[:2], ("latin", "latn"))
        self.family = family
        for name, (regular, bold) in FAMILIES.items():
            self.add_font(name, "", str(FONTS / regular))
            self.add_font(name, "B", str(FONTS / bold))
        # Letters the main font lacks (a Latin name in Arabic, the URL) come from the others.
        self.set_fallback_fonts([name for name in FAMILIES if name != family], exact_match=False)
        self.set_text_shaping(
            use_shaping_engine=True,
            direction="rtl" if self.rtl else "ltr",
            script=script,
            language=language[:2],
        )
        self.set_margins(layout.margin, layout.margin)
        self.set_auto_page_break(auto=True, margin=layout.margin)
        self.set_title(_("Tell someone what happened, safely"))
        self.set_lang(language)
        self.set_creator("SafeReport")
        self.add_page()

    @property
    def align(self) -> Align:
        return Align.R if self.rtl else Align.L

    def paragraph(
        self, text: str, *, size: float, bold: bool = False, after: float = 2, indent: float = 0
    ) -> None:
        """A paragraph the width of the page, less ``indent`` at the line's start side."""
        self.set_font(self.family, "B" if bold else "", size)
        height = size * 0.3528 * self.layout.line  # points to millimetres, with leading
        self.set_x(self.l_margin + (0 if self.rtl else indent))
        self.multi_cell(
            self.epw - indent, height, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(after)

    def bullets(self, items: list[str]) -> None:
        """A list with hanging bullets, each a dot drawn at the line's start side."""
        indent = self.layout.body * 0.45
        height = self.layout.body * 0.3528 * self.layout.line
        radius = self.layout.body * 0.05
        for item in items:
            top = self.get_y()
            centre = self.w - self.r_margin - indent / 2 if self.rtl else self.l_margin + indent / 2
            self.circle(x=centre, y=top + height / 2, radius=radius, style="F")
            self.paragraph(item, size=self.layout.body, after=1.2, indent=indent)
        self.ln(1.5)

    def qr(self, organisation: Organisation, language: str, caption: str) -> None:
        png = io.BytesIO()
        qr_code(organisation, language).save(png, kind="png", scale=12, border=4)
        size = self.layout.qr
        x = (self.w - size) / 2
        self.set_font(self.family, "B", self.layout.heading)
        self.multi_cell(0, self.layout.heading * 0.5, caption, align=Align.C)
        self.ln(1)
        if self.get_y() + size > self.h - self.b_margin:
            self.add_page()
        self.image(png, x=x, y=self.get_y(), w=size, h=size)
        self.set_y(self.get_y() + size + 1)
        self.set_font("latin", "", self.layout.body - 1.5)
        # The address is Latin whatever the language: always left to right, centred.
        self.multi_cell(0, 4.5, start_url(organisation, language), align=Align.C)
        self.ln(2)


def render_pdf(organisation: Organisation, language: str, kind: Format) -> bytes:
    """The leaflet or the card for this organisation, in this language."""
    if kind is Format.QR:
        raise ValueError("the QR code is SVG: use qr_svg()")
    layout = LAYOUTS[kind]
    with translation.override(language):
        words = Wording.current()
        doc = _Document(layout, language)
        doc.paragraph(words.title, size=layout.title, bold=True, after=2)
        doc.paragraph(organisation.name, size=layout.heading, bold=True, after=3)
        if kind is Format.LEAFLET:
            doc.paragraph(words.lede, size=layout.body, after=3)
            doc.bullets(words.promises)
        else:
            doc.bullets(words.promises[:3])  # a card has room for three
        doc.qr(organisation, language, words.start)
        doc.paragraph(words.danger, size=layout.body, bold=True, after=3)
        if kind is Format.LEAFLET:
            doc.paragraph(words.rights_heading, size=layout.heading, bold=True, after=1.5)
            doc.bullets(words.rights)
            doc.paragraph(words.phone, size=layout.body, after=0)
        return bytes(doc.output())
