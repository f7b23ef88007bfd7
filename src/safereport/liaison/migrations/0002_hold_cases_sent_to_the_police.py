"""Cases already sent to the police are put on a legal hold, as sending does from now on."""

from django.db import migrations


def hold(apps, schema_editor):  # type: ignore[no-untyped-def]
    report_model = apps.get_model("cases", "Report")
    sent = apps.get_model("liaison", "PoliceHandover").objects.values_list("report_id", flat=True)
    report_model.objects.filter(pk__in=sent, legal_hold="").update(legal_hold="police")


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0001_initial"),
        ("cases", "0002_retention"),
    ]

    operations = [migrations.RunPython(hold, migrations.RunPython.noop)]
