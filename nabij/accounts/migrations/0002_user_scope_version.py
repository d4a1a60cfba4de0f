from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="scope_version",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Raised on every change of the area scope, so that a cached copy of the scope is never used.",
                verbose_name="scope version",
            ),
        ),
    ]
