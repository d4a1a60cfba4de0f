"""Writes of resident files and their consent (AVG art. 6 and 7): a file is made only with the resident's
consent, and every time consent is given it is kept in the file's history (`ResidentConsent`). Withdrawing
consent erases the resident (the privacy app's erasure), history and all."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.contacts.exceptions import ConsentRequired
from nabij.contacts.models import Resident, ResidentConsent
from nabij.contacts.services.records import _buurt_for_write, _clean_note, _require_logger
from nabij.core.access.contacts import resident_policy
from nabij.core.exceptions import InvalidInput, NotVisible, PermissionRefused
from nabij.privacy.services import audit_record, audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User


def _consent_row(*, resident: Resident, user: User, at: datetime) -> ResidentConsent:
    row = ResidentConsent(
        resident=resident, organisation_id=resident.organisation_id, given=True, at=at, recorded_by=user
    )
    row.full_clean(exclude=["resident", "recorded_by", "organisation"])
    row.save()
    return row


def resident_create(*, user: User, label: str, buurt: str, consent: bool | None = False) -> Resident:
    """Register a resident pseudonymously, only with their consent to be followed over time (else
    ConsentRequired naming `toestemming`). The label is de-identified too, in case a name slipped in. The consent
    is kept as the first row of the file's consent history."""
    _require_logger(user, object_type="resident")
    buurt_obj = _buurt_for_write(user=user, code=buurt, object_type="resident")
    label = _clean_note(label, field="label")
    if not label:
        raise InvalidInput(_("Give a label."), field="label")
    if consent is not True:
        raise ConsentRequired(
            _("Ask the resident for consent first: without it we do not keep a file about them."),
            field="toestemming",
        )
    now = timezone.now()
    resident = Resident(
        organisation_id=user.organisation_id,  # the recorder's organisation owns the file
        label=label[:200],
        buurt=buurt_obj,
        consent=True,
        consent_date=timezone.localdate(now),
        consent_recorded_by=user,
        created_by=user,
    )
    resident.full_clean()
    with transaction.atomic():
        resident.save()
        _consent_row(resident=resident, user=user, at=now)
        audit_record(
            actor=user, action="create", object_type="resident", object_id=resident.pk, area_code=buurt_obj.code
        )
    return resident


def resident_consent_give(*, user: User, resident: Resident) -> Resident:
    """Record that a resident whose file predates the consent rule has now given consent (they may be followed
    from now on). Only the owning organisation records it (`resident_policy.can_change`)."""
    if not resident_policy.can_view(user, resident):
        audit_refusal(actor=user, action="update", object_type="resident", object_id=resident.pk)
        raise NotVisible(_("Not found."))
    if not resident_policy.can_change(user, resident):
        audit_refusal(actor=user, action="update", object_type="resident", object_id=resident.pk)
        raise PermissionRefused(_("You may not change this resident's file."))
    if resident.consent:
        raise InvalidInput(_("This resident has already given consent."), field="toestemming")
    now = timezone.now()
    with transaction.atomic():
        resident.consent = True
        resident.consent_date = timezone.localdate(now)
        resident.consent_recorded_by = user
        resident.save(update_fields=["consent", "consent_date", "consent_recorded_by", "updated_at"])
        _consent_row(resident=resident, user=user, at=now)
        audit_record(
            actor=user,
            action="update",
            object_type="resident",
            object_id=resident.pk,
            area_code=resident.buurt_id,
            detail={"toestemming": "gegeven"},
        )
    return resident
