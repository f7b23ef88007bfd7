"""Migration 0002 seals the route and dates of legal tasks made before it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safereport.accounts.models import AuditEvent
from safereport.core.referrals import LegalRoute
from safereport.core.vocabulary import Purpose, Section
from safereport.disclosures.actions import do_disclose_with_consent
from safereport.disclosures.selectors import open_report
from safereport.referrals.models import LegalTask
from safereport.referrals.selectors import TextReader, open_for_service
from sr_testing.personas import make_referral_partners, submit_report, unlocked_organisation_key

BEFORE = [("referrals", "0001_initial")]
AFTER = [("referrals", "0002_seal_legal_tasks_package_texts")]


def _latest():  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_legal_tasks_are_sealed_and_their_route_leaves_the_audit(personas):
    old = _migrate(BEFORE)
    try:
        partners = make_referral_partners(personas)
        report = submit_report(personas.support_org, text="canary-incident-text")
        outcome = do_disclose_with_consent(
            report,
            recipient=partners.legal_adviser_org,
            purpose=Purpose.LEGAL_ADVICE,
            sections=[Section.INCIDENT],
            spoken_consent_note="By phone.",
            organisation_key=unlocked_organisation_key(personas.caseworker),
            acting_user=personas.caseworker,
        )
        assert outcome.package is not None
        referral = old.get_model("referrals", "Referral").objects.create(
            report_id=report.pk,
            sender_id=personas.support_org.pk,
            service_id=partners.legal_adviser_org.pk,
            kind="immigration_legal_adviser",
            state="accepted",
            package_id=outcome.package.pk,
            public_key=b"old-referral-key",
        )
        task = old.get_model("referrals", "LegalTask").objects.create(
            referral=referral,
            route=LegalRoute.NRM.value,
            anchor_on=dt.date(2026, 1, 5),
            due_on=dt.date(2026, 2, 5),
            hard_limit=None,
        )
        event = AuditEvent.objects.create(
            kind="legal_task_opened", detail={"task": task.pk, "route": "nrm"}
        )
    finally:
        _migrate(AFTER)
        assert "route" not in AuditEvent.objects.get(pk=event.pk).detail
        _migrate(_latest())  # the later migrations too, for today's models below
    task = LegalTask.objects.select_related("referral__package").get(pk=task.pk)
    for reader in (
        TextReader(
            report_key=open_report(
                report, personas.caseworker, unlocked_organisation_key(personas.caseworker)
            )
        ),
        TextReader(
            service_key=open_for_service(
                task.referral, unlocked_organisation_key(partners.legal_adviser)
            )
        ),
    ):
        details = reader.task(task)
        assert details is not None
        assert details.route is LegalRoute.NRM
        assert (details.anchor_on, details.due_on, details.hard_limit) == (
            dt.date(2026, 1, 5),
            dt.date(2026, 2, 5),
            None,
        )
