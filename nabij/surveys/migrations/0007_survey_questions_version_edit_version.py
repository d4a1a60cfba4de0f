"""The questionnaire's version of its questions becomes `questions_version`, so that `version` can guard edits of
its settings (nabij.core.concurrency.Versioned, issue 13). Existing rows keep their questions version; the edit
version starts at 1."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0006_drop_submit_function")]

    operations = [
        migrations.RenameField(model_name="survey", old_name="version", new_name="questions_version"),
        migrations.AlterField(
            model_name="survey",
            name="questions_version",
            field=models.PositiveIntegerField(
                default=1,
                help_text="Goes up when questions change after the first response.",
                verbose_name="questions version",
            ),
        ),
        migrations.AddField(
            model_name="survey",
            name="version",
            field=models.PositiveIntegerField(
                default=1, editable=False, help_text="Raised by every change.", verbose_name="version"
            ),
        ),
    ]
