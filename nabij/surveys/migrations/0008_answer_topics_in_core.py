# State only: the topic field(s) now point at core.Topic, the same table (contacts_topic) as before (see core 0003).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0007_survey_questions_version_edit_version"),
        ("core", "0003_topic"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="answer",
                    name="topics",
                    field=models.ManyToManyField(blank=True, related_name="+", to="core.topic", verbose_name="topics"),
                ),
            ],
            database_operations=[],
        ),
    ]
