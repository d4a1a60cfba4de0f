"""Helpers for the few hot statements written out by hand (where the ORM's per-row Python, or planning, cost
more than running them): insert values, a cursor whose statements stay planned, model instances from rows."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import Model


def insert_parts(instance: Model, *, exclude: tuple[str, ...] = ()) -> tuple[str, list[str], list]:
    """The quoted table, the quoted columns and their values, prepared by the model's own fields (JSON, time
    zones per database), for a hand-written INSERT of `instance`; the primary key is left to the database."""
    qn = connection.ops.quote_name
    fields = [f for f in instance._meta.concrete_fields if not f.primary_key and f.attname not in exclude]
    return (
        qn(instance._meta.db_table),
        [qn(f.column) for f in fields],
        [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields],
    )


def planned_cursor():
    """A cursor for a hot, hand-written statement whose planning costs as much as running it (a timeline page,
    a capture): on PostgreSQL it binds parameters on the server and psycopg prepares the statement once it has run
    `NABIJ_PG_PREPARE_THRESHOLD` times on this connection, so PostgreSQL keeps its plan
    (docs/decisions/0104-contacts-one-statement-reads-and-writes.md). Every other query keeps Django's usual
    client-side binding and is never prepared: the connection's threshold is only set while such a cursor
    executes. It is wrapped as Django wraps its own cursors: queries are logged and counted, errors are Django's."""
    threshold = settings.NABIJ_PG_PREPARE_THRESHOLD
    if connection.vendor != "postgresql" or threshold is None:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = _planned_cursor_class()(connection.connection)
    raw.prepare_threshold = threshold
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


@cache
def _planned_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PlannedCursor(ServerBindingCursor):
        """Counts and prepares its own statements only: the connection's threshold (None, as Django leaves it) is
        set for the duration of this cursor's execute and put back afterwards."""

        prepare_threshold: int = 5

        def execute(self, query, params=None, **kwargs):
            conn = self.connection
            previous = conn.prepare_threshold
            conn.prepare_threshold = self.prepare_threshold
            try:
                return super().execute(query, params, **kwargs)
            finally:
                conn.prepare_threshold = previous

    return PlannedCursor


def loaded(model, values: dict):
    """An instance of `model` with these attribute values loaded and its other fields deferred, as the ORM makes
    one from a row (from_db wants the values in field order): for rows read by a hand-written statement."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[n] for n in names])
