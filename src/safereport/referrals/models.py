"""Referrals and the service directory: routine referral offers, the lifecycle
driven by the receiving service, legal-route tasks, notification e-mails
without personal data.

Who reads what a person writes on a referral (a decline or withdraw reason,
a legal task's note): the sending organisation's caseworkers and the
receiving service, never the reporter. The service cannot open the report's
key, so every such text is sealed twice, never stored in clear:

* to the report's key (``seal_message``), for the custodian's caseworkers;
* to the referral's own key pair, made when the referral is sent with the
  vault's report-key machinery (``Vault.new_report``) and wrapped only for
  the receiving organisation's key (its receipt wrap is thrown away at
  once). The service opens it with its unlocked organisation key.

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
    LegalRoute,
    ReferralAction,
    ReferralKind,
    ReferralState,
)
from safereport.core.referrals.legal_routes import ROUTE_GUIDANCE
from safereport.disclosures.models import DisclosurePackage

KIND_CHOICES = [(k.value, _(KIND_LABELS[k])) for k in ReferralKind]
STATE_CHOICES = [(s.value, _(STATE_LABELS[s])) for s in ReferralState]
SEND = "send"
ACTION_CHOICES = [(SEND, _("Sent"))] + [(a.value, a.value) for a in ReferralAction]
ROUTE_CHOICES = [(r.value, _(ROUTE_GUIDANCE[r].title)) for r in LegalRoute]


def new_thread_id() -> str:
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
    # The referral's own key pair, for texts the service must read (see module docstring).
    thread_id = models.CharField(max_length=48, unique=True, default=new_thread_id)
    public_key = models.BinaryField()
    service_wrap = models.BinaryField(null=True, blank=True)

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
    the system never sends anything to an immigration authority."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="legal_tasks")
    route = models.CharField(max_length=40, choices=ROUTE_CHOICES)
    anchor_on = models.DateField()
    due_on = models.DateField()
    hard_limit = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]

    @property
    def legal_route(self) -> LegalRoute:
        return LegalRoute(self.route)
