"""The one way to write an audit event."""

from __future__ import annotations

import logging

from nabij.privacy.models import AuditEvent

logger = logging.getLogger(__name__)


def audit_record(
    *,
    actor,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    area_code: str = "",
    result: str = AuditEvent.Result.OK,
    detail: dict | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` on an object; used for every read, search and export of personal data
    and every permission refusal. `detail` holds filters or counts, never personal data itself."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor.email if authenticated else "anoniem")[:254],
        organisation_id=getattr(actor, "organisation_id", None) if authenticated else None,
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


def audit_refusal(*, actor, action: str, object_type: str, object_id: str | int = "", area_code: str = ""):
    return audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        area_code=area_code,
        result=AuditEvent.Result.DENIED,
    )
