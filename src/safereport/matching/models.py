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

from safereport.cases.models import Consent, Report
from safereport.disclosures.models import DisclosureAttempt


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


class MatchSide(models.Model):
    """One report's side of a match: whether its reporter agreed that her
    caseworker work with the organisation holding the other report, and the
    firewall's decision that told that organisation this report's reference.

    Two per match, made with it. ``consent`` is her agreement as the firewall
    reads it (no section, purpose coordinated support, naming the other
    report's organisation); it is written only when her caseworker shares, so
    that no list of consents names the other organisation before both agreed.
    """

    class Answer(models.TextChoices):
        WAITING = "waiting"
        YES = "yes"
        NO = "no"

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="sides")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.WAITING)
    answered_at = models.DateTimeField(null=True, blank=True)
    # When a caseworker of this report chose to ask its reporter (her return
    # page shows nothing of the match before): a person named in a report can
    # file one naming himself to learn whether someone reported him.
    asked_at = models.DateTimeField(null=True, blank=True)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shared = models.OneToOneField(
        DisclosureAttempt, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "report"], name="matching_side_once"),
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
