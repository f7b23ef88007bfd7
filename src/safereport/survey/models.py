"""The barriers-to-reporting survey: its stored design and anonymous answers.

Nothing here identifies a person: no address, no user agent, no account, no
free text, and no time finer than a day. A response is a random id, the block
of the design it answers, the language it was answered in, coarse context
answers ("" means not answered or prefer not to say) and one choice per task.
"""

from __future__ import annotations

import uuid

from django.db import models

from safereport.core.choice import Design


class SurveyDesign(models.Model):
    """A blocked choice design from core.choice.generate_design, stored as its JSON."""

    created_on = models.DateField()
    seed = models.IntegerField()
    n_sets = models.PositiveIntegerField()
    n_blocks = models.PositiveIntegerField()
    d_error = models.FloatField()
    design = models.JSONField()  # Design.to_dict()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"design {self.pk} ({self.n_sets} sets, {self.n_blocks} blocks)"

    def as_design(self) -> Design:
        return Design.from_dict(self.design)

    def tasks_per_block(self) -> int:
        return self.n_sets // self.n_blocks


class ContextQuestion(models.TextChoices):
    AGE_BAND = "age_band"
    WORLD_REGION = "world_region"
    YEARS_BAND = "years_band"
    CRIME_EXPERIENCE = "crime_experience"


class SurveyResponse(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    design = models.ForeignKey(SurveyDesign, on_delete=models.PROTECT, related_name="responses")
    block = models.PositiveIntegerField()
    language = models.CharField(max_length=8)
    started_on = models.DateField()  # a day, never a time
    completed = models.BooleanField(default=False)
    age_band = models.CharField(max_length=32, blank=True)
    world_region = models.CharField(max_length=32, blank=True)
    years_band = models.CharField(max_length=32, blank=True)
    crime_experience = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [models.Index(fields=["design", "block"])]

    def __str__(self) -> str:
        return f"response in block {self.block}"


class SurveyAnswer(models.Model):
    """One answered choice task. ``choice`` 0..n_options-1 is a report option
    (A, B, ...); ``n_options`` is "I would not report"."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    task = models.PositiveIntegerField()
    choice = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "task"], name="one_answer_per_task"),
        ]

    def __str__(self) -> str:
        return f"task {self.task}: {self.choice}"
