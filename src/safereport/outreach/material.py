"""Printable outreach material: an A4 leaflet, an A5 card and a QR code, per
organisation and language.

Everything printed comes from the public pages' own translated sentences (the
home page's promises, the rights page's guarantee, the safety advice), so a
leaflet says no more and no less than the site. The QR code holds the
organisation's start page: ``<SITE_URL>/<language>/report/?via=<slug>``, where
the journey suggests that organisation first.

The PDFs are drawn by ``outreach.pdf`` (fpdf2, imported only when a PDF is
first made). The fonts are Noto, cut down and shipped in ``fonts/``
(scripts/outreach_fonts.py), so a leaflet prints the same on any server.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.utils.translation import gettext as _

from safereport.accounts.models import Organisation

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
