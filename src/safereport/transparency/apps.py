from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def record_policy_after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After ``safereport migrate``: record the firewall policy's hash if it changed."""
    from safereport.transparency.actions import record_firewall_policy
    from safereport.transparency.models import LogEntry, LogState

    tables = connections[using].introspection.table_names()
    if LogEntry._meta.db_table not in tables or LogState._meta.db_table not in tables:
        return  # migrated backwards past the log's tables
    if using != "default":
        return  # the log lives in the default database only
    record_firewall_policy()


class TransparencyConfig(AppConfig):
    name = "safereport.transparency"
    label = "transparency"
    verbose_name = "Transparency log and public statistics"

    def ready(self) -> None:
        post_migrate.connect(
            record_policy_after_migrate, sender=self, dispatch_uid="transparency-policy"
        )
