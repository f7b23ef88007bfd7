"""Type sniffing, size limits and metadata removal for attachments.

Allowed: **JPEG** and **PNG** (photos and screenshots: what a phone makes and
what a browser file picker offers), and **plain text** (UTF-8). These are the
formats we can fully rebuild from their content: images are decoded and
re-encoded from pixels with Pillow, so nothing but the picture survives; text
is decoded and re-encoded.

Refused, with a plain reason: PDF (it can carry author names, scripts and
embedded files, and cleaning it needs a PDF library the project does not
have - a photo or screenshot of the page works), office documents and
archives, GIF, WebP, HEIC and everything else not recognised.

The original file name is never used (it may name a person or a place);
callers name stored files themselves.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from enum import StrEnum

from PIL import Image, ImageOps, UnidentifiedImageError

from safereport.core.i18n import gettext_noop

DEFAULT_MAX_PIXELS = 40_000_000  # 40 megapixels: above any phone camera
JPEG_QUALITY = 90


class AttachmentKind(StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    TEXT = "text"


ALLOWED_KINDS: frozenset[AttachmentKind] = frozenset(AttachmentKind)

_MEDIA = {
    AttachmentKind.JPEG: ("image/jpeg", "jpg"),
    AttachmentKind.PNG: ("image/png", "png"),
    AttachmentKind.TEXT: ("text/plain; charset=utf-8", "txt"),
}


# -- errors -----------------------------------------------------------------


class AttachmentRejected(Exception):
    """A file that cannot be accepted. ``message`` is plain English marked
    for translation, fit to show the person who attached it."""

    message: str = gettext_noop("This file cannot be attached.")

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.message)
        self.detail = detail


class AttachmentEmpty(AttachmentRejected):
    message = gettext_noop("This file is empty.")


class AttachmentTooLarge(AttachmentRejected):
    message = gettext_noop("This file is too large. Please attach a smaller file.")


class AttachmentTypeNotAllowed(AttachmentRejected):
    message = gettext_noop(
        "This kind of file cannot be attached. You can attach photos (JPEG or PNG), "
        "screenshots, or plain text. For a document, a photo of each page works."
    )


class AttachmentDamaged(AttachmentRejected):
    message = gettext_noop("This file seems to be damaged and cannot be opened.")


# -- sniffing ---------------------------------------------------------------

_REFUSED_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "PDF"),
    (0, b"GIF87a", "GIF"),
    (0, b"GIF89a", "GIF"),
    (0, b"PK\x03\x04", "ZIP or office document"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old office document"),
    (0, b"{\\rtf", "RTF"),
    (0, b"BM", "BMP"),
    (0, b"II*\x00", "TIFF"),
    (0, b"MM\x00*", "TIFF"),
    (0, b"\x7fELF", "program"),
    (0, b"MZ", "program"),
    (0, b"Rar!", "RAR"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (0, b"\x1f\x8b", "gzip"),
    (4, b"ftyp", "HEIC, MP4 or other ISO media"),
    (0, b"OggS", "Ogg"),
    (0, b"ID3", "MP3"),
    (0, b"<svg", "SVG"),
    (0, b"<?xml", "XML"),
    (0, b"<!DOCTYPE", "HTML"),
    (0, b"<html", "HTML"),
)
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r\f")


def _is_plain_text(data: bytes) -> str | None:
    """The text if ``data`` is UTF-8 text without control characters."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    for char in text:
        if (ord(char) < 32 or 0x7F <= ord(char) < 0xA0) and char not in _TEXT_CONTROLS_ALLOWED:
            return None
    if text.lstrip()[:15].lower().startswith(("<!doctype", "<html", "<svg", "<?xml", "<script")):
        return None  # markup a browser would render, not plain text
    return text


def sniff_kind(data: bytes) -> AttachmentKind:
    """The allowed kind of ``data`` judged from its bytes alone, or
    ``AttachmentTypeNotAllowed`` naming what it seems to be."""
    if data.startswith(b"\xff\xd8\xff"):
        return AttachmentKind.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return AttachmentKind.PNG
    for offset, magic, name in _REFUSED_MAGIC:
        if data[offset : offset + len(magic)] == magic:
            raise AttachmentTypeNotAllowed(f"{name} files are not accepted")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise AttachmentTypeNotAllowed("WebP files are not accepted")
    if _is_plain_text(data) is not None:
        return AttachmentKind.TEXT
    raise AttachmentTypeNotAllowed("unrecognised binary file")


# -- cleaning ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CleanAttachment:
    """A cleaned copy, ready to be sealed. ``data`` is the only thing to keep."""

    kind: AttachmentKind
    data: bytes = field(repr=False)
    width: int | None = None
    height: int | None = None

    @property
    def media_type(self) -> str:
        return _MEDIA[self.kind][0]

    @property
    def extension(self) -> str:
        return _MEDIA[self.kind][1]


def _open_image(data: bytes, kind: AttachmentKind, max_pixels: int) -> Image.Image:
    expected = "JPEG" if kind is AttachmentKind.JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[expected])
            width, height = image.size
            if width * height > max_pixels:
                raise AttachmentTooLarge(f"{width}x{height} pixels is above {max_pixels}")
            image.load()
    except AttachmentRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AttachmentTooLarge(str(exc)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise AttachmentDamaged(f"{expected} did not decode: {exc}") from None
    return image


def _rebuild(image: Image.Image, kind: AttachmentKind) -> Image.Image:
    """A new image holding only the pixels of ``image``, turned upright."""
    upright = ImageOps.exif_transpose(image)  # apply orientation before EXIF goes
    if kind is AttachmentKind.JPEG:
        target = "L" if upright.mode in ("L", "1") else "RGB"
    else:
        target = upright.mode if upright.mode in ("L", "RGB", "RGBA") else "RGBA"
    pixels = upright.convert(target)
    # A fresh image: no info dict, no EXIF, no XMP, no ICC profile, no text.
    return Image.frombytes(target, pixels.size, pixels.tobytes())


def clean_attachment(
    data: bytes, *, max_bytes: int, max_pixels: int = DEFAULT_MAX_PIXELS
) -> CleanAttachment:
    """Check and clean one attachment.

    Raises ``AttachmentEmpty``, ``AttachmentTooLarge`` (over ``max_bytes``, or
    an image over ``max_pixels``), ``AttachmentTypeNotAllowed`` or
    ``AttachmentDamaged``; all are ``AttachmentRejected``.
    """
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")
    if not data:
        raise AttachmentEmpty()
    if len(data) > max_bytes:
        raise AttachmentTooLarge(f"{len(data)} bytes is above the limit of {max_bytes}")
    kind = sniff_kind(data)
    if kind is AttachmentKind.TEXT:
        text = _is_plain_text(data)
        assert text is not None  # noqa: S101 - sniff_kind said it was text
        return CleanAttachment(kind, text.encode("utf-8"))
    image = _open_image(data, kind, max_pixels)
    out = io.BytesIO()
    try:
        clean = _rebuild(image, kind)
        if kind is AttachmentKind.JPEG:
            clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        else:
            clean.save(out, format="PNG", optimize=True)
    except (OSError, ValueError) as exc:
        raise AttachmentDamaged(f"could not re-encode the image: {exc}") from None
    return CleanAttachment(kind, out.getvalue(), width=clean.width, height=clean.height)
