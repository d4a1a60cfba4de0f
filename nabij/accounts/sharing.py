"""Writes for samenwerkingsafspraken (sharing agreements between two organisations, each a data controller).

An agreement is proposed by a beheerder of one organisation, for buurten in their own scope and named kinds of
records; it takes effect only when a beheerder of the partner organisation has accepted it as well, and either
can end it at once. Every step is audited for both organisations, and the acting user's cached shares are
dropped so the change counts in the same request (`nabij.core.access.shares_forget`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.accounts import rules
from nabij.accounts.models import Organisation, RecordKind, SharingAgreement, User
from nabij.core import permissions
from nabij.core.access import shares_forget
from nabij.core.concurrency import version_claim
from nabij.core.exceptions import PermissionRefused
from nabij.privacy.models import AuditEvent
from nabij.privacy.services import audit_record, audit_refusal

OBJECT_TYPE = "sharing_agreement"


def _audit(*, by: User, agreement: SharingAgreement, action: str, detail: dict) -> None:
    """One event that both organisations' beheerders see on their audit page: it belongs to the actor's
    organisation and names the other one as concerned (`owner_organisation`)."""
    audit_record(
        actor=by,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=agreement.pk,
        detail=detail,
        owner_organisation_id=agreement.other(by.organisation_id),
        agreement_id=agreement.pk,
    )


def _refuse(*, by: User, message: str, object_id: str | int = "", field: str | None = None) -> None:
    audit_refusal(actor=by, action=AuditEvent.Action.UPDATE, object_type=OBJECT_TYPE, object_id=object_id)
    raise PermissionRefused(message, field=field)


def _kinds(kinds: Iterable[str], errors: dict) -> list[str]:
    chosen = set(kinds)
    unknown = sorted(chosen - set(RecordKind.values))
    if unknown:
        errors["kinds"] = _("Unknown kind of record: %(kinds)s.") % {"kinds": ", ".join(unknown)}
    elif not chosen:
        errors["kinds"] = _("Choose at least one kind of record to share.")
    return [kind for kind in RecordKind.values if kind in chosen]  # in the list's own order, no duplicates


def agreement_propose(
    *,
    by: User,
    partner: Organisation | None,
    buurten: Iterable,
    kinds: Iterable[str],
    purpose: str,
    start_date: date | None,
    end_date: date | None,
) -> SharingAgreement:
    """A beheerder proposes a samenwerkingsafspraak on behalf of their organisation, for buurten in their own
    area scope (an organisation cannot offer what it does not work in). Proposing is the proposer's acceptance;
    the agreement waits for the partner's beheerder. Buurten are Buurt objects or CBS codes."""
    if not rules.can_manage_agreements(by):
        _refuse(by=by, message=_("Only a beheerder of an organisation can propose a sharing agreement."))
    codes = sorted({getattr(buurt, "pk", buurt) for buurt in buurten})
    errors: dict[str, str] = {}
    if partner is None:
        errors["partner"] = _("Choose the partner organisation.")
    elif partner.pk == by.organisation_id:
        errors["partner"] = _("Choose another organisation than your own: an agreement is between two organisations.")
    if not codes:
        errors["buurten"] = _("Choose at least one buurt.")
    chosen_kinds = _kinds(kinds, errors)
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("Describe the purpose: why the two organisations share these records.")
    if start_date is None:
        errors["start_date"] = _("Enter a start date.")
    if end_date is None:
        errors["end_date"] = _("Enter an end date.")
    elif start_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date is before the start date.")
    elif end_date < timezone.localdate():
        errors["end_date"] = _("The end date is in the past.")
    if errors:
        raise ValidationError(errors)
    # Water buurten hold no records to share; the scope rule is the one for handing out areas.
    allowed = set(permissions.assignable_buurten(by).filter(pk__in=codes).values_list("pk", flat=True))
    outside = sorted(set(codes) - allowed)
    if outside:
        _refuse(
            by=by,
            message=_("You can only share buurten within your own area scope (not: %(codes)s).")
            % {"codes": ", ".join(outside)},
            field="buurten",
        )
    now = timezone.now()
    agreement = SharingAgreement(
        proposer_id=by.organisation_id,
        partner=partner,
        kinds=chosen_kinds,
        purpose=purpose,
        start_date=start_date,
        end_date=end_date,
        proposer_accepted_at=now,
        proposer_accepted_by=by,
    )
    agreement.full_clean()
    with transaction.atomic():
        agreement.save()
        agreement.buurten.set(codes)
        _audit(
            by=by,
            agreement=agreement,
            action=AuditEvent.Action.CREATE,
            detail={"buurten": codes, "soorten": chosen_kinds, "begin": str(start_date), "eind": str(end_date)},
        )
    shares_forget(by)
    return agreement


def agreement_accept(*, by: User, agreement: SharingAgreement, expected_version: int | None) -> SharingAgreement:
    """The partner's beheerder accepts the agreement as it was shown to them (`expected_version`): if it changed
    in between, StaleEdit. With both acceptances it is in effect from its start date."""
    if not rules.can_see_agreement(by, agreement) or by.organisation_id != agreement.partner_id:
        _refuse(
            by=by,
            message=_("Only a beheerder of the partner organisation can accept this agreement."),
            object_id=agreement.pk,
        )
    if agreement.ended_at is not None:
        raise ValidationError(_("This agreement has ended; it can no longer be accepted."))
    if agreement.partner_accepted_at is not None:
        raise ValidationError(_("Your organisation has already accepted this agreement."))
    with transaction.atomic():
        version_claim(agreement, expected=expected_version)
        agreement.partner_accepted_at = timezone.now()
        agreement.partner_accepted_by = by
        agreement.save(update_fields=["partner_accepted_at", "partner_accepted_by"])
        _audit(by=by, agreement=agreement, action=AuditEvent.Action.UPDATE, detail={"change": "accepted"})
    shares_forget(by)
    return agreement


def agreement_end(*, by: User, agreement: SharingAgreement) -> SharingAgreement:
    """Either organisation's beheerder ends the agreement at once, whatever its state (a waiting one is thereby
    declined or withdrawn): access under it closes with the next request. Ending an ended agreement changes
    nothing."""
    if not rules.can_see_agreement(by, agreement):
        _refuse(
            by=by,
            message=_("Only a beheerder of one of the two organisations can end this agreement."),
            object_id=agreement.pk,
        )
    if agreement.ended_at is not None:
        return agreement
    with transaction.atomic():
        version_claim(agreement, expected=None)
        agreement.ended_at = timezone.now()
        agreement.ended_by = by
        agreement.save(update_fields=["ended_at", "ended_by"])
        _audit(by=by, agreement=agreement, action=AuditEvent.Action.UPDATE, detail={"change": "ended"})
    shares_forget(by)
    return agreement
