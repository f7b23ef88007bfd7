"""The escrow's tables (docs/matching.md).

``MatchEntry`` holds what ``core.matching.seal_entry`` makes and nothing
else: no identifier, no tag, no report, no time. Its primary key is random,
so row numbers do not follow reports. ``Match`` is written only when two
entries from different reports have opened each other: from then on the
two reports are known to name the same person or business (never which).
"""

from __future__ import annotations

import uuid

from django.db import models

from safereport.cases.models import Report


class MatchEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # 16 bytes derived from the tag: equal for equal tags, unrelated otherwise
    lookup = models.BinaryField(max_length=16, db_index=True)
    x = models.BinaryField(max_length=32)
    y = models.BinaryField(max_length=32)
    sealed = models.BinaryField()

    class Meta:
        constraints = [
            # one report naming the same identifier twice gives the same point
            models.UniqueConstraint(fields=["lookup", "x"], name="matching_entry_one_point_each"),
        ]


class Match(models.Model):
    """Two reports whose entries opened each other. ``first`` has the lower id."""

    first = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    found_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="matching_match_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="matching_match_ordered"
            ),
        ]


class IdentifierAllowance(models.Model):
    """How many identifiers a report has named: a count, never which."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="+")
    named = models.PositiveSmallIntegerField(default=0)


class TagBudget(models.Model):
    """Tag computations made in one hour by the whole server (the rate limit).

    Its row is locked by every ``do_add_identifiers``, which also serialises
    the search for a partner entry (two reports naming the same identifier at
    the same moment still find each other).
    """

    hour = models.DateTimeField(unique=True)
    used = models.PositiveIntegerField(default=0)
