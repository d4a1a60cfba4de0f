# The controlled topic list moves from contacts to core (issue 15: the base layer holds what every app needs).
# Only Django's state moves: the table stays `contacts_topic` with its rows, ids and constraints, so nothing is
# copied and every foreign key keeps pointing at the same table. contacts 0011 drops the old state.

from django.db import migrations, models


def content_type_to_core(apps, schema_editor):
    """Keep permissions and admin log entries on the topic list: its content type moves with it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="topic").exists():
        ContentType.objects.filter(app_label="contacts", model="topic").update(app_label="core")


def content_type_to_contacts(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="contacts", model="topic").exists():
        ContentType.objects.filter(app_label="core", model="topic").update(app_label="contacts")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_task_worker"),
        ("contacts", "0010_fill_consent_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Topic",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "slug",
                            models.SlugField(
                                help_text="Stable key used by the API.", max_length=60, unique=True, verbose_name="slug"
                            ),
                        ),
                        ("label", models.CharField(max_length=100, verbose_name="label (Dutch)")),
                        ("label_en", models.CharField(blank=True, max_length=100, verbose_name="label (English)")),
                        (
                            "is_active",
                            models.BooleanField(
                                default=True, help_text="Inactive topics cannot be chosen.", verbose_name="active"
                            ),
                        ),
                        (
                            "position",
                            models.PositiveSmallIntegerField(
                                default=100, help_text="Order in pickers.", verbose_name="position"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "topic",
                        "verbose_name_plural": "topics",
                        "db_table": "contacts_topic",
                        "ordering": ["position", "label"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_core, content_type_to_contacts),
    ]
