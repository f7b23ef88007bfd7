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


def count_account_event(sender: object, *, kind: Any, org: str, at: Any, **kwargs: Any) -> None:
    """Receiver of ``accounts.signals.counted_in_public_log``: one entry holding the
    kind, the week, the organisation's slug and a count of 1, in the caller's
    transaction."""
    import datetime as dt

    from safereport.core.ledger import Entry, iso_week
    from safereport.transparency.actions import append_entry

    append_entry(Entry(kind=kind, week=iso_week(at.astimezone(dt.UTC)), org=org, count=1))


class TransparencyConfig(AppConfig):
    name = "safereport.transparency"
    label = "transparency"
    verbose_name = "Transparency log and public statistics"

    def ready(self) -> None:
        from safereport.accounts.signals import counted_in_public_log

        post_migrate.connect(
            record_policy_after_migrate, sender=self, dispatch_uid="transparency-policy"
        )
        counted_in_public_log.connect(count_account_event, dispatch_uid="transparency-accounts")
