"""What a reporter types and attaches never reaches the database in the clear.

Unique canary strings go into every section and every attachment through the
browser; then the whole database is dumped (the SQLite database image, or
pg_dump on PostgreSQL) and searched for each canary as text, as hex (how
binary columns are dumped) and inside decoded session data.
"""

from __future__ import annotations

import base64
import secrets
import string

from django.contrib.sessions.models import Session
from pages_journey import JourneyStep, Receipt, ReturnPage
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from safereport.accounts.demo import seed_demo
from safereport.cases.models import Attachment, Report
from sr_testing.dumps import dump_database


def canary(label: str) -> str:
    # letters only, so the identifier scanner never mistakes one for a document number
    return f"canary{label}" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(12))


def forms_of(text: str) -> list[bytes]:
    raw = text.encode("utf-8")
    return [raw, raw.hex().encode(), raw.hex().upper().encode(), base64.b64encode(raw)]


def test_no_canary_reaches_the_database(nojs_page, tmp_path):
    page, visits = nojs_page
    seed_demo()
    canaries = {
        name: canary(name)
        for name in [
            "what",
            "when",
            "where",
            "who",
            "relationship",
            "more",
            "needs",
            "detail",
            "safetimes",
            "codeword",
            "name",
            "other",
            "textfile",
            "pngtext",
            "filename",
            "message",
        ]
    }
    text_file = tmp_path / f"{canaries['filename']}.txt"
    text_file.write_text(f"Screenshot transcript: {canaries['textfile']}\n", encoding="utf-8")
    png_file = tmp_path / "photo.png"
    info = PngInfo()
    info.add_text("Comment", canaries["pngtext"])
    Image.new("RGB", (8, 8), (200, 30, 30)).save(png_file, pnginfo=info)

    step = JourneyStep(page, visits)
    step.open("/en/report/kind/")
    step.choose("Domestic abuse")
    step.press("Continue")
    step.fill("What happened?", f"He hurt me. {canaries['what']}")
    step.fill("When did it happen? (optional)", canaries["when"])
    step.fill("Where did it happen? (optional)", canaries["where"])
    step.press("Continue")
    step.fill("Who did it? (optional)", canaries["who"])
    step.fill("How do you know them? (optional)", canaries["relationship"])
    step.fill("Anything else about them? (optional)", canaries["more"])
    step.press("Continue")
    step.choose("Pass information to the police without my name")
    step.fill("Anything you need now? (optional)", canaries["needs"])
    step.press("Continue")
    # An email: a phone call needs digits, and a canary is letters only.
    step.choose("An email")
    step.fill("Phone number or email address (optional)", f"{canaries['detail']}@example.org")
    step.fill("When is it safe to contact you? (optional)", canaries["safetimes"])
    step.fill("A code word (optional)", canaries["codeword"])
    step.page.get_by_label("I would like an interpreter").check()
    step.press("Continue")
    step.fill("Your name (optional)", canaries["name"])
    step.fill(
        "Anything else about you that you want the organisation to know (optional)",
        canaries["other"],
    )
    step.press("Continue")
    step.attach(str(text_file))
    step.press("Attach this file and add another")
    step.attach(str(png_file))
    step.press("Continue")
    step.press("Continue")  # area
    step.choose("Puerta Abierta Women's Network")
    step.press("Continue")
    step.page.get_by_label("I agree that", exact=False).check()
    step.press("Send my report")
    passphrase = Receipt(page, visits).passphrase()

    back = ReturnPage(page, visits)
    back.open("/en/return/")
    back.open_with(passphrase)
    back.send_message(canaries["message"])

    report = Report.objects.get()
    assert report.sections.count() == 5
    assert Attachment.objects.filter(report=report).count() == 2
    assert report.consents.count() == 1

    dump = dump_database()
    assert len(dump) > 10_000 and report.public_id.encode() in dump  # the dump is real
    found = [
        name for name, value in canaries.items() if any(form in dump for form in forms_of(value))
    ]
    assert found == [], f"canaries found in the database dump: {found}"
    passphrase_found = any(form in dump for form in forms_of(passphrase))
    assert not passphrase_found, "the receipt passphrase is in the database"
    for session in Session.objects.all():
        decoded = repr(session.get_decoded())
        assert not [name for name, value in canaries.items() if value in decoded]
