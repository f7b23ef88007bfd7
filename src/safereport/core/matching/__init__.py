"""Matching: identifiers of those responsible, normalised (docs/matching.md)."""

from safereport.core.matching.identifiers import (
    Identifier,
    IdentifierKind,
    InvalidIdentifier,
    Platform,
    fold_business_name,
    fold_text,
    normalise,
    normalise_address,
    normalise_business,
    normalise_business_line,
    normalise_company_number,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    normalise_social,
    normalise_vehicle,
)

__all__ = [
    "Identifier",
    "IdentifierKind",
    "InvalidIdentifier",
    "Platform",
    "fold_business_name",
    "fold_text",
    "normalise",
    "normalise_address",
    "normalise_business",
    "normalise_business_line",
    "normalise_company_number",
    "normalise_email",
    "normalise_phone",
    "normalise_postcode",
    "normalise_social",
    "normalise_vehicle",
]
