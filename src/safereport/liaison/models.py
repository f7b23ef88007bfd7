"""Police liaison: the three ways to involve the police, acknowledgement, crime
reference, follow-up questions, progress updates the reporter reads,
printable summary.

What the police receive is a disclosure package (decided by the firewall,
``disclosures.actions.do_disclose_report``); a ``PoliceHandover`` ties that
package to the way the reporter chose and to what happens next.

Every text written here (crime reference, appointment place, questions,
answers, updates) is stored sealed twice and never in the clear:

- ``*_for_report``: to the report's key (``seal_message`` with the id
  ``liaison:<item id>``), read by the custodian's caseworkers and by the
  reporter with the receipt;
- ``*_for_package``: to the package's key (``seal_package_message``), read by
  the police force through its organisation key, which opens only packages
  addressed to it.

An accompanied appointment's date and time are kept in the clear (the list
pages sort by them; a time alone says nothing about a person); its place is
sealed like the texts above, so the police read it through their package key.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safereport.accounts.models import Organisation, StaffUser
from safereport.cases.models import Report, ReporterWants
from safereport.disclosures.models import DisclosurePackage


class Way(models.TextChoices):
    NAMED = "named", _("A named report, with the reporter's consent")
    ANONYMOUS = "anonymous", _("Anonymous information (what happened and who did it, nothing more)")
    ACCOMPANIED = "accompanied", _("An accompanied appointment arranged by the caseworker")


# The way the reporter asked for in the journey (the caseworker confirms it with them).
WAY_FOR_WANTS = {
    ReporterWants.ANONYMOUS_INFORMATION_TO_POLICE.value: Way.ANONYMOUS,
    ReporterWants.POLICE_THROUGH_ORGANISATION.value: Way.NAMED,
}


class PoliceHandover(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="police_handovers")
    force = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    way = models.CharField(max_length=16, choices=Way.choices)
    package = models.OneToOneField(
        DisclosurePackage, on_delete=models.PROTECT, related_name="handover"
    )
    created_by = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The crime reference: a fresh item id each time it is recorded or changed.
    crime_reference_id = models.CharField(max_length=40, blank=True)
    crime_reference_for_report = models.BinaryField(null=True, blank=True)
    crime_reference_for_package = models.BinaryField(null=True, blank=True)
    crime_reference_at = models.DateTimeField(null=True, blank=True)
    # An accompanied appointment (see the module docstring).
    appointment_at = models.DateTimeField(null=True, blank=True)
    appointment_place_id = models.CharField(max_length=40, blank=True)
    appointment_place_for_report = models.BinaryField(null=True, blank=True)
    appointment_place_for_package = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def shows_sender(self) -> bool:
        """Whether the police may see which organisation sent it: never for
        anonymous information (a by-and-for organisation's name can say who
        the reporter is)."""
        return self.way != Way.ANONYMOUS


class LiaisonMessage(models.Model):
    """A question from the police, a caseworker's answer, or a progress update."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question from the police")
        ANSWER = "answer", _("Answer from the caseworker")
        UPDATE = "update", _("Progress update from the police")

    handover = models.ForeignKey(PoliceHandover, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    message_id = models.CharField(max_length=40, unique=True)
    # For an answer: the question it answers.
    question = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    for_report = models.BinaryField()
    for_package = models.BinaryField()
    author = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
