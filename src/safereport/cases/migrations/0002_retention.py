"""Retention: when each case was closed, the reporter's shorter time, legal holds.

Cases already closed start their clock at their last change; cases already
sent to the police or carrying a legal-route task are put on hold, as the
actions do from now on.
"""

from django.db import migrations, models


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    report_model = apps.get_model("cases", "Report")
    handover_model = apps.get_model("liaison", "PoliceHandover")
    task_model = apps.get_model("referrals", "LegalTask")
    for report in report_model.objects.filter(status="closed", shredded_at=None):
        report.closed_at = report.updated_at
        report.save(update_fields=["closed_at"])
    police = handover_model.objects.values_list("report_id", flat=True)
    report_model.objects.filter(pk__in=police, legal_hold="").update(legal_hold="police")
    legal = task_model.objects.values_list("referral__report_id", flat=True)
    report_model.objects.filter(pk__in=legal, legal_hold="").update(legal_hold="legal")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("liaison", "0001_initial"),
        ("referrals", "0002_seal_legal_tasks_package_texts"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="closed_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="report",
            name="legal_hold",
            field=models.CharField(
                blank=True,
                choices=[
                    ("police", "Police proceedings"),
                    ("legal", "Legal proceedings"),
                    ("other", "Other proceedings"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="retention_months_requested",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="report",
            name="retention_warned_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
