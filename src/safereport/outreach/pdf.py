"""The leaflet and the card as PDF, drawn with fpdf2: text shaped with
HarfBuzz (Arabic joins, Bengali conjuncts), right-to-left languages laid out
from the right, in the fonts of ``material.FAMILIES``.

fpdf2 takes about half a second to import, so this module is imported when a
PDF is first made (``outreach.views``), not when a process starts."""

from __future__ import annotations

import io
import logging

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from safereport.accounts.models import Organisation
from safereport.outreach.material import (
    FAMILIES,
    FONTS,
    LAYOUTS,
    SCRIPTS,
    Format,
    Layout,
    Wording,
    qr_code,
    start_url,
)

# fontTools reports each table it cuts while fpdf2 embeds a font: not for the server's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


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
