"""Checking and cleaning files a reporter attaches.

``clean_attachment(data, max_bytes=...)`` sniffs the type from the bytes
(never the file name), enforces the size limit, and returns a re-encoded copy
with hidden details removed (EXIF including GPS position, XMP, comments, ICC
profiles, PNG text chunks). Refusals are typed errors carrying plain words.
"""

from safereport.core.attachments.clean import (
    ALLOWED_KINDS,
    AttachmentDamaged,
    AttachmentEmpty,
    AttachmentKind,
    AttachmentRejected,
    AttachmentTooLarge,
    AttachmentTypeNotAllowed,
    CleanAttachment,
    clean_attachment,
    sniff_kind,
)

__all__ = [
    "ALLOWED_KINDS",
    "AttachmentDamaged",
    "AttachmentEmpty",
    "AttachmentKind",
    "AttachmentRejected",
    "AttachmentTooLarge",
    "AttachmentTypeNotAllowed",
    "CleanAttachment",
    "clean_attachment",
    "sniff_kind",
]
