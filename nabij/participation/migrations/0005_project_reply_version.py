"""Projects and replies carry a version, so that a stale edit is refused instead of overwriting a colleague."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('participation', '0004_fill_organisation'),
    ]

    operations = [
        migrations.AddField(
            model_name='project',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, help_text='Raised by every change.', verbose_name='version'),
        ),
        migrations.AddField(
            model_name='reply',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, help_text='Raised by every change.', verbose_name='version'),
        ),
    ]
