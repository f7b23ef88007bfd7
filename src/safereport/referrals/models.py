"""Referrals and the service directory: routine referral offers, the lifecycle
driven by the receiving service, legal-route tasks, notification e-mails
without personal data.

Who reads what a person writes on a referral (a decline or withdraw reason,
a legal task's note): the sending organisation's caseworkers and the
receiving service, never the reporter. The service cannot open the report's
key, so every such text is sealed twice, never stored in clear:

* to the report's key (``seal_message``), for the custodian's caseworkers;
* to the referral's disclosure package (``seal_package_message``), whose key
  only the receiving organisation opens, as police liaison does.

A legal task's route, dates and note are one sealed JSON document (the
route and its dates can reveal a person's immigration situation); only
when it was made and done are in clear.

The reporter's pages show only the plain status text (core
``REPORTER_STATUS_TEXT``), never a reason.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from safereport.accounts.models import Organisation, StaffUser
from safereport.cases.models import Report
from safereport.core.referrals import (
    KIND_LABELS,
    STATE_LABELS,
    ReferralAction,
    ReferralKind,
    ReferralState,
)
from safereport.disclosures.models import DisclosurePackage

KIND_CHOICES = [(k.value, _(KIND_LABELS[k])) for k in ReferralKind]
STATE_CHOICES = [(s.value, _(STATE_LABELS[s])) for s in ReferralState]
SEND = "send"
ACTION_CHOICES = [(SEND, _("Sent"))] + [(a.value, a.value) for a in ReferralAction]


def new_thread_id() -> str:
    """Kept for migration 0001, which names it; nothing uses it any more."""
    return f"referral-{uuid.uuid4().hex}"


class Referral(models.Model):
    """One referral of a report to a service, sent with one disclosure package."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="referrals")
    sender = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    service = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received"
    )
    kind = models.CharField(max_length=40, choices=KIND_CHOICES)
    state = models.CharField(
        max_length=16, choices=STATE_CHOICES, default=ReferralState.SENT.value, db_index=True
    )
    package = models.OneToOneField(
        DisclosurePackage, on_delete=models.PROTECT, related_name="referral"
    )
    created_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def referral_kind(self) -> ReferralKind:
        return ReferralKind(self.kind)

    @property
    def referral_state(self) -> ReferralState:
        return ReferralState(self.state)


class SealedText(models.Model):
    """A text written on a referral, sealed for the sender and for the service."""

    note_id = models.CharField(max_length=40, blank=True)
    for_report = models.BinaryField(null=True, blank=True)
    for_service = models.BinaryField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def has_text(self) -> bool:
        return bool(self.note_id)


class ReferralEvent(SealedText):
    """The referral's history: who did what, and the state after it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=ACTION_CHOICES)
    state_after = models.CharField(max_length=16, choices=STATE_CHOICES)
    actor = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class LegalTask(SealedText):
    """A legal route the adviser pursues, with its deadline. A reminder only:
    the system never sends anything to an immigration authority. The route,
    dates and note are sealed (``selectors.TaskDetails``); readers sort by
    the deadline after opening them."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="legal_tasks")
    created_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The two reminder dates, in clear for the worker (7 days and 1 day before the
    # deadline; docs/threat-model.md): no route, no note, cleared when the task is
    # done. The deadline itself stays sealed above.
    remind_week_on = models.DateField(null=True, blank=True)
    remind_day_on = models.DateField(null=True, blank=True)
    reminded_week_at = models.DateTimeField(null=True, blank=True)
    reminded_day_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
