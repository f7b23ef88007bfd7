from __future__ import annotations

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "safereport.matching"
    label = "matching"
    verbose_name = "Matching"
    default_auto_field = "django.db.models.BigAutoField"
