"""The one way to write an audit event."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from django.db import connection, transaction

from nabij.privacy.models import AuditEvent

logger = logging.getLogger(__name__)


@contextmanager
def _own_commit():
    """An event that is not part of a data change (a read, a search, a refusal) commits without waiting for the
    disk on PostgreSQL: waiting made every audited read pay a write's flush (p95 ~4 ms on a busy disk). A crash
    of the database server can lose the last fraction of a second of such events, never a data change or its
    event (those commit together, synchronously); see docs/decisions/0103-contacts-page-costs-round-two.md."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def audit_record(
    *,
    actor,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    area_code: str = "",
    result: str = AuditEvent.Result.OK,
    detail: dict | None = None,
    organisation_id: int | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` on an object; used for every read, search and export of personal data
    and every permission refusal. `detail` holds filters or counts, never personal data itself.

    The event belongs to the actor's organisation (its beheerders read it); pass `organisation_id` when it
    concerns another organisation's records, e.g. a superuser changing that organisation's users."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if organisation_id is None and authenticated:
        organisation_id = getattr(actor, "organisation_id", None)
    with _own_commit():
        event = AuditEvent.objects.create(
            actor=actor if authenticated else None,
            actor_label=(actor.email if authenticated else "anoniem")[:254],
            organisation_id=organisation_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            area_code=area_code or "",
            result=result,
            detail=detail or {},
        )
    if result == AuditEvent.Result.DENIED:
        logger.info("Refused %s on %s %s for user %s", action, object_type, object_id, event.actor_id)
    return event


def audit_refusal(
    *, actor, action: str, object_type: str, object_id: str | int = "", area_code: str = ""
) -> AuditEvent:
    """Record that `actor` was refused `action`; every refusal (404 outside scope, 403) leaves a trace."""
    return audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        area_code=area_code,
        result=AuditEvent.Result.DENIED,
    )
