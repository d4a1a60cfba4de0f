# State only: the topic field(s) now point at core.Topic, the same table (contacts_topic) as before (see core 0003).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0007_keyfigure_provider_version"),
        ("core", "0003_topic"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="initiative",
                    name="topics",
                    field=models.ManyToManyField(
                        blank=True, related_name="initiatives", to="core.topic", verbose_name="topics"
                    ),
                ),
                migrations.AlterField(
                    model_name="keyfigure",
                    name="topics",
                    field=models.ManyToManyField(
                        blank=True, related_name="key_figures", to="core.topic", verbose_name="topics"
                    ),
                ),
                migrations.AlterField(
                    model_name="place",
                    name="topics",
                    field=models.ManyToManyField(
                        blank=True, related_name="places", to="core.topic", verbose_name="topics"
                    ),
                ),
                migrations.AlterField(
                    model_name="provider",
                    name="topics",
                    field=models.ManyToManyField(
                        blank=True, related_name="providers", to="core.topic", verbose_name="helps with"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
