"""A full dump of the test database as text, on the test's own connection (so it sees the test's rows)."""

from django.db import connection


def database_dump() -> str:
    """SQLite: `iterdump()`, every table's rows as INSERT statements. PostgreSQL: every row of every table as
    text (`SELECT t::text FROM table t`); pg_dump would not see the uncommitted rows of a test transaction."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608 (table names from the catalogue)
            parts.extend(row[0] for row in cursor.fetchall())
    return "\n".join(parts)
