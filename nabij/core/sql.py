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
