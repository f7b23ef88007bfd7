"""Finding identifiers that should not be in a report's free text.

SafeReport never asks about immigration status, yet people sometimes type a
passport, BRP, Home Office or National Insurance number into a free-text
answer. ``find_identifiers`` points them out (kind, span, plain words) so the
writer can be offered their removal; ``remove_identifiers`` replaces them with
a neutral marker.
"""

from safereport.core.scan.identifiers import (
    DEFAULT_MARKER,
    DESCRIPTIONS,
    IdentifierKind,
    IdentifierMatch,
    find_identifiers,
    remove_identifiers,
)

__all__ = [
    "DEFAULT_MARKER",
    "DESCRIPTIONS",
    "IdentifierKind",
    "IdentifierMatch",
    "find_identifiers",
    "remove_identifiers",
]
