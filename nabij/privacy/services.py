"""The one way to write an audit event."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.utils import timezone

from nabij.privacy.audit_chain import audit_append, normalise_detail, normalise_ip
from nabij.privacy.context import request_source
from nabij.privacy.models import AuditEvent

logger = logging.getLogger(__name__)


def _event(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: str | int,
    area_code: str,
    result: str,
    detail: dict | None,
    organisation_id: int | None,
    owner_organisation_id: int | None = None,
    agreement_id: int | None = None,
) -> AuditEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    source = request_source()
    if organisation_id is None and authenticated:
        organisation_id = getattr(actor, "organisation_id", None)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_label=(actor.email if authenticated else "anoniem")[:254],
        organisation_id=organisation_id,
        owner_organisation_id=owner_organisation_id or organisation_id,
        agreement_id=agreement_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        area_code=area_code or "",
        result=result,
        detail=normalise_detail(detail),
        created_at=timezone.now(),
        source_ip=normalise_ip(source.ip),
        user_agent=source.user_agent,
    )


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
    owner_organisation_id: int | None = None,
    agreement_id: int | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` on an object; used for every read, search and export of personal data
    and every permission refusal. `detail` holds filters or counts, never personal data itself.

    The event belongs to the actor's organisation (its beheerders read it); pass `organisation_id` when it
    concerns another organisation's records, e.g. a superuser changing that organisation's users. When the
    records read are another organisation's (shared by a referral or a samenwerkingsafspraak), pass
    `owner_organisation_id` (and `agreement_id`): the owner's beheerder then sees the event too. Reads of a
    policy's records go through `nabij.core.access.audit_read`, which does this per owning organisation.

    The event is linked into the hash chain (`audit_chain.audit_append`) and carries the current request's
    address and user agent (`context.AuditSourceMiddleware`; empty in tasks and commands)."""
    event = _event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        area_code=area_code,
        result=result,
        detail=detail,
        organisation_id=organisation_id,
        owner_organisation_id=owner_organisation_id,
        agreement_id=agreement_id,
    )
    audit_append([event])
    if result == AuditEvent.Result.DENIED:
        logger.info("Refused %s on %s %s for user %s", action, object_type, object_id, event.actor_id)
    return event


def audit_record_all(entries: Iterable[dict]) -> list[AuditEvent]:
    """Several events at once (each dict holds `audit_record`'s arguments), linked into the chain with one lock
    and one insert: a read of records from several owning organisations writes one event per owner."""
    defaults = {"object_type": "", "object_id": "", "area_code": "", "result": AuditEvent.Result.OK}
    events = [_event(**(defaults | {"detail": None, "organisation_id": None} | entry)) for entry in entries]
    audit_append(events)
    return events


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
