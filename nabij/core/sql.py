"""Helpers for the few INSERTs written out by hand (where the ORM's per-row Python cost more than the insert)."""

from __future__ import annotations

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
    a capture): on PostgreSQL it binds parameters on the server, so psycopg prepares a statement it has run five
    times on this connection and PostgreSQL keeps its plan (docs/decisions/0104-contacts-one-statement-reads-and-
    writes.md). Elsewhere, and for every other query, the usual cursor (client-side binding). It is wrapped as
    Django wraps its own cursors: queries are logged and counted, and errors are Django's."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = ServerBindingCursor(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


def loaded(model, values: dict):
    """An instance of `model` with these attribute values loaded and its other fields deferred, as the ORM makes
    one from a row (from_db wants the values in field order): for rows read by a hand-written statement."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[n] for n in names])
