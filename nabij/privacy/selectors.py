from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from nabij.privacy.models import AuditEvent

if TYPE_CHECKING:
    from nabij.accounts.models import User


def audit_event_list(
    *,
    user: User,
    action: str = "",
    result: str = "",
    actor_id: int | None = None,
    object_type: str = "",
    area_code: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events a beheerder may read (superusers: all): what their own staff did, and every read, search or
    export of their organisation's records by whomever, also by staff of another organisation under a
    samenwerkingsafspraak or a shared referral (the owner is the data controller and answers for them)."""
    qs = AuditEvent.objects.select_related("actor", "organisation", "owner_organisation")
    if not user.is_superuser:
        qs = qs.filter(Q(organisation_id=user.organisation_id) | Q(owner_organisation_id=user.organisation_id))
    if action:
        qs = qs.filter(action=action)
    if result:
        qs = qs.filter(result=result)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if area_code:
        qs = qs.filter(area_code=area_code)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs
