# The one throttle counts failed sign-ins and wrong receipt phrases alike.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_organisation_description_translations"),
    ]

    operations = [
        migrations.RenameModel(old_name="LoginThrottle", new_name="AttemptThrottle"),
    ]
