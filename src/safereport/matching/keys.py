"""The one reader of ``settings.MATCHING_KEY`` (core functions take keys as arguments)."""

from __future__ import annotations

import functools

from django.conf import settings

from safereport.core.matching import MatchingKey


@functools.cache
def _matching_key(raw: bytes) -> MatchingKey:
    return MatchingKey(raw)


def matching_key() -> MatchingKey:
    return _matching_key(bytes(settings.MATCHING_KEY))
