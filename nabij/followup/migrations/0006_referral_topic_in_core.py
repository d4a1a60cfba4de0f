# State only: the topic field(s) now point at core.Topic, the same table (contacts_topic) as before (see core 0003).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0005_referral_question"),
        ("core", "0003_topic"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="referral",
                    name="topic",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="referrals",
                        to="core.topic",
                        verbose_name="topic",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
