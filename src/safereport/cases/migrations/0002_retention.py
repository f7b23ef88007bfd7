"""Retention: when each case was closed, the reporter's shorter time, legal holds.

Cases already closed start their clock at their last change. (Cases already
sent to the police or carrying a legal-route task are put on hold by
liaison 0002 and referrals 0003, as the actions do from now on.)
"""

from django.db import migrations, models


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    report_model = apps.get_model("cases", "Report")
    for report in report_model.objects.filter(status="closed", shredded_at=None):
        report.closed_at = report.updated_at
        report.save(update_fields=["closed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
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
