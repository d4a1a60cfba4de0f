"""Earlier texts of a reply: a second reply changes the first, and what it said before is kept."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("participation", "0005_project_reply_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReplyVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=4000, verbose_name='text')),
                ('written_at', models.DateTimeField(help_text='When this text was saved.', verbose_name='written at')),
                ('replaced_at', models.DateTimeField(auto_now_add=True, verbose_name='replaced at')),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('replaced_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='replaced by')),
                ('reply', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='participation.reply', verbose_name='reply')),
            ],
            options={
                'verbose_name': 'earlier reply',
                'verbose_name_plural': 'earlier replies',
                'ordering': ['-replaced_at', '-pk'],
            },
        ),
    ]
