"""The resident's inzage (AVG art. 15), as the organisation that owns the file gives it: only its own staff who
may change the file (`resident_policy.can_change`) make one, and every export is audited (EXPORT)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nabij.contacts.models import Resident
from nabij.contacts.selectors.records import resident_get
from nabij.core.access.contacts import resident_policy
from nabij.core.exceptions import PermissionRefused
from nabij.privacy.inzage import inzage_build
from nabij.privacy.services import audit_record, audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User

INZAGE_FORMATS = ("pdf", "json")


def resident_inzage(*, user: User, pk: int, fmt: str) -> tuple[Resident, dict]:
    """Everything kept about the resident, for handing over (`fmt`: pdf or json, recorded in the audit). Not
    visible: NotVisible; visible but another organisation's file (a samenwerkingsafspraak shares it read-only):
    PermissionRefused, because only the data controller answers an inzage request. Both refusals are audited."""
    resident = resident_get(user=user, pk=pk)
    if not resident_policy.can_change(user, resident):
        audit_refusal(actor=user, action="export", object_type="resident", object_id=resident.pk)
        raise PermissionRefused("Alleen de organisatie van dit dossier geeft inzage.")
    inzage = inzage_build(
        resident=resident,
        organisation=resident.organisation,
        contact={"naam": user.full_name, "email": user.email},
    )
    counts = {section["key"]: len(section["rows"]) for section in inzage["sections"]}
    audit_record(
        actor=user,
        action="export",
        object_type="resident",
        object_id=resident.pk,
        area_code=resident.buurt_id,
        detail={"inzage": fmt if fmt in INZAGE_FORMATS else "", "aantallen": counts},
    )
    return resident, inzage
