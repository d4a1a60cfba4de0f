# State only: the topic field(s) now point at core.Topic, the same table (contacts_topic) as before (see core 0003).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0004_themecount_organisation"),
        ("core", "0003_topic"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="theme",
                    name="topic",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="themes",
                        to="core.topic",
                        verbose_name="topic",
                    ),
                ),
                migrations.AlterField(
                    model_name="themecount",
                    name="topic",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="theme_counts",
                        to="core.topic",
                        verbose_name="topic",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
