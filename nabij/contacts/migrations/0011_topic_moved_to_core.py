# State only: the topic list is core's now (core 0003 took it over, keeping the table `contacts_topic`). Contacts'
# fields point at core.Topic and contacts forgets its own Topic; the database does not change. Every app with a
# topic field has moved it first (the dependencies below), so no state ever points at a model that is gone.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0010_fill_consent_history"),
        ("core", "0003_topic"),
        ("assets", "0008_topics_in_core"),
        ("followup", "0006_referral_topic_in_core"),
        ("participation", "0007_project_topics_in_core"),
        ("surveys", "0008_answer_topics_in_core"),
        ("themes", "0005_topic_in_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="signal",
                    name="topic",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="signals",
                        to="core.topic",
                        verbose_name="topic",
                    ),
                ),
                migrations.AlterField(
                    model_name="contactmomenttopic",
                    name="topic",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.topic"
                    ),
                ),
                migrations.AlterField(
                    model_name="contactmoment",
                    name="topics",
                    field=models.ManyToManyField(
                        related_name="contact_moments",
                        through="contacts.ContactMomentTopic",
                        to="core.topic",
                        verbose_name="topics",
                    ),
                ),
                migrations.DeleteModel(name="Topic"),
            ],
            database_operations=[],
        ),
    ]
