"""The one way to write an audit event."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import timezone

from nabij.privacy.audit_chain import audit_append, normalise_detail, normalise_ip
from nabij.privacy.context import request_source
from nabij.privacy.models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from nabij.accounts.models import User

logger = logging.getLogger(__name__)


def _event(
    *,
    actor: User | AnonymousUser | None,
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
    user = actor if actor is not None and actor.is_authenticated else None
    source = request_source()
    if organisation_id is None and user is not None:
        organisation_id = user.organisation_id
    return AuditEvent(
        actor=user,
        actor_label=(user.email if user is not None else "anoniem")[:254],
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
    actor: User | AnonymousUser | None,
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
    *, actor: User | AnonymousUser | None, action: str, object_type: str, object_id: str | int = "", area_code: str = ""
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
