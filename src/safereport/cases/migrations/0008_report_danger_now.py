from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_duress_phrase_and_pressure_flag"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="danger_now",
            field=models.BooleanField(default=False),
        ),
    ]
