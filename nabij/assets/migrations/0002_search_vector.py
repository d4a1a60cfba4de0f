"""A stored tsvector per searchable row with a GIN index, for "bestaat dit al?" on PostgreSQL (decision 0201).

On SQLite the column is added but stays NULL, and the index and backfill are skipped: the RunPython steps look at
schema_editor.connection.vendor, so the migration is a no-op there apart from an unused column."""

from django.db import migrations

import nabij.assets.models

# table, name column, text column: the same weights as nabij.assets.search_index.vector_expression.
TABLES = [
    ("assets_provider", "name", "description"),
    ("assets_initiative", "name", "description"),
    ("assets_place", "name", "description"),
    ("assets_keyfigure", "label", "gifts"),
]


def _vector_sql(name: str, text: str) -> str:
    return (
        f"setweight(to_tsvector('dutch'::regconfig, COALESCE({name}, '')), 'A') || "
        f"setweight(to_tsvector('dutch'::regconfig, COALESCE({text}, '')), 'B') || "
        "setweight(to_tsvector('dutch'::regconfig, COALESCE(search_text, '')), 'C')"
    )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, text in TABLES:
        schema_editor.execute(f"UPDATE {table} SET search_vector = {_vector_sql(name, text)}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} USING gin (search_vector)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _name, _text in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name=model,
            name="search_vector",
            field=nabij.assets.models.SearchVectorColumn(editable=False, null=True, verbose_name="search vector"),
        )
        for model in ("initiative", "keyfigure", "place", "provider")
    ] + [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
