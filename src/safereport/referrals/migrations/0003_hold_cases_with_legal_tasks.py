"""Cases with a legal-route task are put on a legal hold, as opening a task does from now on."""

from django.db import migrations


def hold(apps, schema_editor):  # type: ignore[no-untyped-def]
    report_model = apps.get_model("cases", "Report")
    tasks = apps.get_model("referrals", "LegalTask").objects
    with_tasks = tasks.values_list("referral__report_id", flat=True)
    report_model.objects.filter(pk__in=with_tasks, legal_hold="").update(legal_hold="legal")


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_seal_legal_tasks_package_texts"),
        ("cases", "0002_retention"),
    ]

    operations = [migrations.RunPython(hold, migrations.RunPython.noop)]
