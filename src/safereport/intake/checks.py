"""Checks shared by the journey and the return pages: files and identifiers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from safereport.cases.actions import CleanFile
from safereport.core.attachments import AttachmentRejected, clean_attachment
from safereport.core.scan import find_identifiers


def clean_upload(upload: Any) -> CleanFile | str:
    """A cleaned copy of an upload, or the plain-words reason it was refused.
    The original bytes and the file name are dropped here."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        return _("This file is too large. Please attach a smaller file.")
    data = upload.read()
    upload.close()
    try:
        clean = clean_attachment(data, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except AttachmentRejected as refused:
        return _(refused.message)
    return CleanFile(data=clean.data, media_type=clean.media_type)


def limit_message() -> str:
    # One translated sentence for any count (the catalogues hold this wording).
    return _("You can attach up to %(count)d files.") % {"count": settings.ATTACHMENT_MAX_COUNT}


def identifier_offers(fields: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    """What the scanner found in free text, to offer removing it: ``fields``
    maps a field name to (its label, the text typed)."""
    return [
        {"field": label, "matched": match.matched, "description": _(match.description)}
        for label, text in fields.values()
        for match in find_identifiers(text)
    ]
