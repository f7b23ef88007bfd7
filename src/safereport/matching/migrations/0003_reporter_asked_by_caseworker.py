"""A match is shown to its reporter only once a caseworker chose to ask her
(``MatchSide.asked_at``). Matches found before this step had already been shown
on the return page: they count as asked, so nothing changes for them."""

from django.db import migrations, models
from django.db.models.functions import Now


def already_shown(apps, schema_editor):  # type: ignore[no-untyped-def]
    side = apps.get_model("matching", "MatchSide")
    side.objects.filter(asked_at__isnull=True).update(asked_at=Now())


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_match_sides"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchside",
            name="asked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(already_shown, migrations.RunPython.noop),
    ]
