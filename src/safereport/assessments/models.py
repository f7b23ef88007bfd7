"""Risk assessment pages: the 24-item checklist, flags, MARAC suggestion, re-
assessment history, exploitation indicators and NRM guidance.

One row per completed assessment. The answers, comments, dates, score and
level are all inside ``ciphertext``, sealed to the report's own key like a
case note (item id ``risk:<sequence>``); only the kind, the sequence number,
who recorded it and when are kept in the clear. Rows are only ever added: a
re-assessment after a new incident is a new row, and the history is never
rewritten.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safereport.accounts.models import StaffUser
from safereport.cases.models import Report


class AssessmentKind(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic-abuse risk checklist")
    EXPLOITATION = "exploitation", _("Modern slavery and labour exploitation indicators")


class RiskAssessmentRecord(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="risk_assessments")
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices)
    # 1, 2, 3... per report (both kinds share the count, so the item id is unique).
    sequence = models.PositiveIntegerField()
    ciphertext = models.BinaryField()
    created_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "sequence"], name="one_risk_record_per_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.kind}:{self.sequence}"

    @property
    def item_id(self) -> str:
        return item_id_for(self.sequence)


def item_id_for(sequence: int) -> str:
    return f"risk:{sequence}"
