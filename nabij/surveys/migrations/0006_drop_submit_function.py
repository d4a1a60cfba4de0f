"""PostgreSQL: drop the public submission's PL/pgSQL function of 0003; the submission is ORM code now, one path
for SQLite and PostgreSQL in one transaction, which also stores the owning organisation (issue 13)."""

import importlib

from django.db import migrations

DROP = (
    "DROP FUNCTION IF EXISTS surveys_submit_response(varchar, bigint, varchar, varchar, timestamptz, bigint, "
    "varchar, varchar, integer, timestamptz, jsonb);"
)


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def _create(apps, schema_editor):
    # Back to 0005: the function as 0003 made it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(importlib.import_module("nabij.surveys.migrations.0003_submit_function").CREATE)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_fill_organisation")]

    operations = [migrations.RunPython(_drop, _create, elidable=False)]
