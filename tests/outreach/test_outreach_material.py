"""Outreach material: leaflets and cards printed in every public language,
read back as a phone would (the PDF drawn to an image, its QR code decoded),
and the start page they point to."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from safereport.outreach.material import (
    SCRIPTS,
    Format,
    Wording,
    qr_svg,
    start_url,
)
from safereport.outreach.pdf import render_pdf
from sr_testing.personas import sign_in
from sr_testing.proofs import post_with_proof

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PRINTED = [Format.LEAFLET, Format.CARD]
# Where a font's name shows that a script's letters were drawn with it.
FONT_OF_SCRIPT = {
    "arabic": b"NotoNaskhArabic",
    "bengali": b"NotoSansBengali",
    "ethiopic": b"NotoSansEthiopic",
    "chinese": b"NotoSansCJK",
}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pages as images, kept with the test run's files for a person to look at."""
    return tmp_path_factory.mktemp("outreach-shots")


@pytest.mark.parametrize("kind", PRINTED, ids=lambda kind: kind.name.lower())
@pytest.mark.parametrize("language", LANGUAGES)
def test_printed_material_fits_one_page_and_its_qr_code_opens_the_start_page(
    personas, language: str, kind: Format, shots: Path
) -> None:
    organisation = personas.support_org
    pdf = render_pdf(organisation, language, kind)
    assert pdf.startswith(b"%PDF-")
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1, f"the {kind.name.lower()} fits on one page"
    width, height = document[0].get_size()  # points
    assert (round(width), round(height)) == ((595, 842) if kind is Format.LEAFLET else (420, 595))
    image = document[0].render(scale=200 / 72).to_pil()
    image.save(shots / f"{language}-{kind.name.lower()}.png")

    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [start_url(organisation, language)]
    assert start_url(organisation, language).startswith(f"{settings.SITE_URL}/{language}/report/")

    # Read back as text: every sentence printed, in the language's own letters
    # (marks aside: an extractor may put vowel signs in another order). Text
    # drawn with the wrong glyphs would not read back.
    text = _letters(document[0].get_textpage().get_text_range())
    # A Bengali conjunct or vowel sign is drawn as a ligature, which the reader
    # maps back with stray code points between letters: Bengali words are
    # compared with the Bengali letters only.
    bengali = _bengali(text)
    with translation.override(language):
        words = Wording.current()
    printed = [words.title, organisation.name, words.danger, *words.promises[:3]]
    if kind is Format.LEAFLET:
        printed += [words.lede, words.promises[3], *words.rights, words.phone]
    for sentence in printed:
        # Word by word (character by character in Chinese, written without
        # spaces): wrapped right-to-left lines may read back in another order.
        pieces = list(sentence) if language.startswith("zh") else sentence.split()
        missing = [
            piece
            for piece in pieces
            if (_bengali(piece) not in bengali if _bengali(piece) else _letters(piece) not in text)
        ]
        assert not missing, (sentence, missing)
    family = SCRIPTS.get(language[:2], ("latin", ""))[0]
    if family != "latin":
        assert FONT_OF_SCRIPT[family] in pdf, "the script's own font drew it"


def _bengali(word: str) -> str:
    return "".join(ch for ch in _letters(word) if "\u0980" <= ch <= "\u09ff")


def _letters(text: str) -> str:
    """Text without spaces, punctuation or combining marks (an extractor may put
    a full stop between Arabic and digits on the other side, as it is drawn)."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFC", text)
        if not ch.isspace() and unicodedata.category(ch)[0] not in "MPC"
    )


def test_the_qr_code_is_also_an_svg_for_social_media(personas) -> None:
    svg = qr_svg(personas.support_org, "es")
    assert svg.startswith(b"<svg") and b"</svg>" in svg
    assert qr_svg(personas.support_org, "es") != qr_svg(personas.support_org, "ar")


def test_the_public_page_lists_every_reporting_organisations_material(personas) -> None:
    page = Client().get("/en/outreach/").content.decode()
    slug = personas.support_org.slug
    for file in Format:
        assert f"/en/outreach/{slug}/{file.value}" in page
    # Organisations reporters are not sent to have none.
    assert personas.police_force.slug not in page
    assert personas.immigration_authority.slug not in page


def test_files_are_served_with_their_types(personas) -> None:
    client = Client()
    slug = personas.support_org.slug
    leaflet = client.get(f"/ar/outreach/{slug}/leaflet-a4.pdf")
    assert leaflet.status_code == 200
    assert leaflet["Content-Type"] == "application/pdf"
    served = pdfium.PdfDocument(leaflet.content)
    codes = zxingcpp.read_barcodes(served[0].render(scale=2).to_pil())
    assert [code.text for code in codes] == [start_url(personas.support_org, "ar")]
    svg = client.get(f"/ar/outreach/{slug}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content == qr_svg(personas.support_org, "ar")


@pytest.mark.parametrize(
    "path",
    [
        "/en/outreach/{police}/leaflet-a4.pdf",
        "/en/outreach/{immigration}/card-a5.pdf",
        "/en/outreach/no-such-organisation/qr.svg",
        "/en/outreach/{support}/leaflet.exe",
    ],
)
def test_anything_else_is_not_found(personas, path: str) -> None:
    url = path.format(
        police=personas.police_force.slug,
        immigration=personas.immigration_authority.slug,
        support=personas.support_org.slug,
    )
    assert Client().get(url).status_code == 404


def test_the_start_page_of_a_leaflet_suggests_its_organisation_first(personas) -> None:
    client = Client()
    other = personas.other_support_org.slug
    start = client.get(start_url(personas.other_support_org, "en").split("127.0.0.1:8000")[1])
    assert f"/report/kind/?via={other}" in start.content.decode()

    first_step = reverse("public:report_step", args=["kind"]) + f"?via={other}"
    page = client.get(first_step).content.decode()
    assert f'name="via" value="{other}"' in page
    response = post_with_proof(
        client,
        reverse("public:report_step", args=["kind"]),
        {"crime_type": "domestic_abuse", "via": other},
        page=first_step,
    )
    assert response.status_code == 302
    for slug, data in [
        ("what-happened", {"what": "He shouted.", "when": "", "where": ""}),
        ("person", {"who": "", "relationship": "", "more": ""}),
        ("what-you-want", {"wants": "support_only", "needs": ""}),
        ("safe-contact", {"channel": "", "language": "en"}),
        ("about-you", {"name": "", "other": ""}),
    ]:
        assert client.post(reverse("public:report_step", args=[slug]), data).status_code == 302
    client.post(reverse("public:report_step", args=["attachments"]), {"action": "continue"})
    client.post(reverse("public:report_step", args=["area"]), {"area": ""})
    choose = client.get(reverse("public:report_step", args=["organisation"])).content.decode()
    radios = re.findall(r'<input type="radio" name="organisation" value="([^"]+)"[^>]*>', choose)
    assert radios[0] == other, "the leaflet's organisation comes first"
    checked = re.search(
        r'<input type="radio" name="organisation" value="([^"]+)"[^>]*checked', choose
    )
    assert checked and checked.group(1) == other


def test_an_unknown_or_unoffered_via_is_ignored(personas) -> None:
    client = Client()
    for via in ("no-such-org", personas.police_force.slug, "x" * 5000):
        page = client.get(reverse("public:report_start") + f"?via={via}").content.decode()
        assert "/report/kind/?via=" not in page


def test_the_admin_page_links_every_language(personas) -> None:
    admin = Client()
    sign_in(admin, personas.org_admin)
    page = admin.get(reverse("staff:organisation_outreach")).content.decode()
    for code in LANGUAGES:
        assert f"/{code}/outreach/{personas.support_org.slug}/leaflet-a4.pdf" in page
    caseworker = Client()
    sign_in(caseworker, personas.caseworker)
    assert caseworker.get(reverse("staff:organisation_outreach")).status_code == 403
