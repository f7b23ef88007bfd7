"""Attachments: type from the bytes, size limits, and no hidden details left."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image, PngImagePlugin

from safereport.core.attachments import (
    AttachmentDamaged,
    AttachmentEmpty,
    AttachmentKind,
    AttachmentRejected,
    AttachmentTooLarge,
    AttachmentTypeNotAllowed,
    clean_attachment,
    sniff_kind,
)

MB = 1024 * 1024
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-'
    b'rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>Maria Lopez</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model X 12"
    exif[ExifTags.Base.Artist] = "Maria Lopez"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def photo(size: tuple[int, int] = (64, 48)) -> Image.Image:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1]))
    return image


def jpeg_with_metadata(orientation: int = 1, size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    photo(size).save(
        out,
        format="JPEG",
        exif=exif_with_gps(orientation),
        xmp=XMP,
        comment=b"taken at 12 Acacia Road",
    )
    return out.getvalue()


def png_with_metadata() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Maria Lopez")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Comment", "taken at 12 Acacia Road", zip=True)
    out = io.BytesIO()
    photo().convert("RGBA").save(out, format="PNG", pnginfo=info, exif=exif_with_gps())
    return out.getvalue()


def test_the_test_images_really_carry_gps_and_other_metadata() -> None:
    jpeg = Image.open(io.BytesIO(jpeg_with_metadata()))
    assert jpeg.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert "xmp" in jpeg.info and jpeg.info.get("comment") == b"taken at 12 Acacia Road"
    png = Image.open(io.BytesIO(png_with_metadata()))
    assert png.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert png.info.get("Author") == "Maria Lopez"


def assert_no_metadata(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert not {"exif", "xmp", "comment", "icc_profile", "Author", "Comment"} & set(image.info)
    assert "XML:com.adobe.xmp" not in image.info
    for secret in (b"Exif", b"Maria", b"Acacia", b"PhoneMaker", b"adobe", b"GPS"):
        assert secret not in data


def test_jpeg_loses_exif_gps_xmp_and_comment() -> None:
    clean = clean_attachment(jpeg_with_metadata(), max_bytes=5 * MB)
    assert clean.kind is AttachmentKind.JPEG
    assert clean.media_type == "image/jpeg" and clean.extension == "jpg"
    assert (clean.width, clean.height) == (64, 48)
    assert_no_metadata(clean.data)
    pixel = Image.open(io.BytesIO(clean.data)).convert("RGB").getpixel((5, 5))
    assert isinstance(pixel, tuple)
    assert pixel[2] > 150 and pixel[0] < 80  # the picture itself survives


def test_png_loses_exif_gps_and_text_chunks() -> None:
    clean = clean_attachment(png_with_metadata(), max_bytes=5 * MB)
    assert clean.kind is AttachmentKind.PNG
    assert_no_metadata(clean.data)
    assert Image.open(io.BytesIO(clean.data)).mode == "RGBA"


def test_orientation_is_applied_before_exif_is_dropped() -> None:
    clean = clean_attachment(jpeg_with_metadata(orientation=6), max_bytes=5 * MB)
    assert (clean.width, clean.height) == (48, 64)
    assert_no_metadata(clean.data)


def test_palette_png_with_transparency_is_kept_visible() -> None:
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)
    clean = clean_attachment(out.getvalue(), max_bytes=MB)
    assert Image.open(io.BytesIO(clean.data)).convert("RGBA").getpixel((1, 1)) == (255, 0, 0, 255)


def test_type_comes_from_the_bytes_not_the_name() -> None:
    assert sniff_kind(jpeg_with_metadata()) is AttachmentKind.JPEG
    assert sniff_kind(png_with_metadata()) is AttachmentKind.PNG
    assert sniff_kind("Hola, soy María.\n".encode()) is AttachmentKind.TEXT


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj <<>> endobj",
        b"GIF89a\x01\x00\x01\x00",
        b"PK\x03\x04 word document",
        b"\x00\x00\x00\x18ftypheic\x00\x00",
        b"RIFF\x10\x00\x00\x00WEBPVP8 ",
        b"MZ\x90\x00 program",
        b"<!DOCTYPE html><script>alert(1)</script>",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"\x00\x01\x02\x03 binary junk",
        b"caf\xe9 latin-1 text is not utf-8",
    ],
)
def test_other_types_are_refused(data: bytes) -> None:
    with pytest.raises(AttachmentTypeNotAllowed) as info:
        clean_attachment(data, max_bytes=MB)
    assert "photos" in info.value.message


def test_size_limit_is_enforced_before_anything_else() -> None:
    data = jpeg_with_metadata()
    with pytest.raises(AttachmentTooLarge):
        clean_attachment(data, max_bytes=len(data) - 1)
    assert clean_attachment(data, max_bytes=len(data)).kind is AttachmentKind.JPEG


def test_pixel_limit_stops_decompression_bombs() -> None:
    out = io.BytesIO()
    Image.new("L", (3000, 3000)).save(out, format="PNG")  # a few KB, 9 megapixels
    with pytest.raises(AttachmentTooLarge):
        clean_attachment(out.getvalue(), max_bytes=MB, max_pixels=1_000_000)


def test_empty_and_damaged_files_are_refused_with_plain_words() -> None:
    with pytest.raises(AttachmentEmpty) as empty:
        clean_attachment(b"", max_bytes=MB)
    assert empty.value.message == "This file is empty."
    truncated = jpeg_with_metadata()[:200]
    with pytest.raises(AttachmentDamaged):
        clean_attachment(truncated, max_bytes=MB)
    with pytest.raises(AttachmentDamaged):
        clean_attachment(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, max_bytes=MB)


def test_every_refusal_is_an_attachment_rejected() -> None:
    for error in (AttachmentEmpty, AttachmentTooLarge, AttachmentTypeNotAllowed, AttachmentDamaged):
        assert issubclass(error, AttachmentRejected)
        assert error.message and error.message != AttachmentRejected.message


def test_text_is_kept_as_utf8_without_bom() -> None:
    clean = clean_attachment("\ufeffLínea uno\r\nLínea dos\t.".encode(), max_bytes=MB)
    assert clean.kind is AttachmentKind.TEXT
    assert clean.data == "Línea uno\r\nLínea dos\t.".encode()
    assert clean.media_type.startswith("text/plain")


def test_text_with_control_characters_is_refused() -> None:
    with pytest.raises(AttachmentTypeNotAllowed):
        clean_attachment(b"hello\x1b[31m world", max_bytes=MB)


def test_max_bytes_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        clean_attachment(b"x", max_bytes=0)
