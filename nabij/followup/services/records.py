"""Writes of promises and referrals. Free text (what was promised, notes, reasons) is de-identified before it is
stored; every refusal is audited. A write that breaks a rule raises InvalidInput naming the field, and nothing
is changed. Each record belongs to the organisation of the worker who recorded it (set here, never from the
request); changes go through the promise and referral policies and carry the version the person saw."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.accounts.models import User
from nabij.areas.models import Buurt
from nabij.assets import selectors as asset_selectors
from nabij.contacts import rules as contact_rules
from nabij.contacts import selectors as contact_selectors
from nabij.core import events, permissions
from nabij.core.access import audit_read
from nabij.core.access.contacts import contact_moment_policy, resident_policy
from nabij.core.access.followup import promise_policy, referral_policy
from nabij.core.concurrency import StaleEdit, Versioned, version_claim
from nabij.core.exceptions import InvalidInput, PermissionRefused
from nabij.core.models import Topic
from nabij.followup import rules
from nabij.followup.exceptions import OutsideBuurtWarning
from nabij.followup.models import (
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Promise,
    PromiseHandover,
    Referral,
    ReferralStatusChange,
)
from nabij.language.services import deidentify
from nabij.privacy.services import audit_record, audit_refusal

# Input helpers ---------------------------------------------------------------------------------------------

if TYPE_CHECKING:
    from nabij.contacts.models import ContactMoment, Resident


def _require_followup(user: User, *, object_type: str) -> None:
    if not permissions.can_use_followup(user):
        audit_refusal(actor=user, action="create", object_type=object_type)
        raise PermissionRefused(_("You may not record promises or referrals."))


def _clean_text(text: str, *, field: str, max_length: int = NOTE_MAX_LENGTH, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput(_("This field is required."), field=field)
    if len(text) > max_length:
        raise InvalidInput(_("This text is too long (at most %(max)d characters).") % {"max": max_length}, field=field)
    return deidentify(text) if text else ""


def _contact_moment(*, user: User, pk: int | None) -> ContactMoment | None:
    if pk is None:
        return None
    moment = contact_selectors.contact_moment_for_link(pk=pk)
    # Another organisation's contact moment is not there for this user (the contacts policy), also in a shared buurt.
    if (
        moment is None
        or not contact_moment_policy.can_view(user, moment)
        or not permissions.can_log_contacts(user, moment.buurt)
    ):
        raise InvalidInput(_("Unknown contact moment."), field="contactmoment")
    return moment


def _resident(*, user: User, pk: int | None) -> Resident | None:
    if pk is None:
        return None
    resident = contact_selectors.resident_for_link(pk=pk)
    if (
        resident is None
        or not resident_policy.can_view(user, resident)
        or not permissions.can_log_contacts(user, resident.buurt)
    ):
        raise InvalidInput(_("Unknown resident."), field="bewoner")
    if not contact_rules.resident_may_be_followed(resident):
        raise InvalidInput(contact_rules.no_consent_message(), field="bewoner")
    return resident


def _resident_of(moment: ContactMoment | None) -> Resident | None:
    """The resident of the contact moment a promise or referral is made from, if they may still be followed."""
    if moment is None or moment.resident is None:
        return None
    if not contact_rules.resident_may_be_followed(moment.resident):
        raise InvalidInput(contact_rules.no_consent_message(), field="bewoner")
    return moment.resident


def _buurt(*, user: User, code: str | None, moment: ContactMoment | None, resident: Resident | None) -> Buurt:
    """The buurt of the follow-up: the contact moment's, else the resident's, else the one given."""
    if moment is not None:
        return moment.buurt
    if resident is not None:
        return resident.buurt
    code = (code or "").strip().upper()
    buurt = Buurt.objects.filter(code=code).first() if code else None
    if buurt is None or buurt.is_water:
        raise InvalidInput(_("Choose a buurt, a resident or a contact moment."), field="buurt")
    if not permissions.can_log_contacts(user, buurt):
        audit_refusal(actor=user, action="create", object_type="promise", area_code=buurt.code)
        raise InvalidInput(_("This buurt is outside your area scope."), field="buurt")
    return buurt


def _owner(*, user: User, pk: int | None, buurt: Buurt, field: str = "eigenaar") -> User:
    """The owner is the creator or a colleague from their team who works in the buurt."""
    if pk is None or pk == user.pk:
        return user
    owner = User.objects.filter(pk=pk, is_active=True).first()
    if owner is None or not permissions.can_own_promise_of(user, owner):
        raise InvalidInput(_("The owner must be a colleague from your team."), field=field)
    if not permissions.can_log_contacts(owner, buurt):
        raise InvalidInput(_("The owner does not work in this buurt."), field=field)
    return owner


def _due_date(value: date | None, *, field: str = "deadline") -> date:
    if value is None:
        raise InvalidInput(_("Choose a due date."), field=field)
    if rules.is_overdue(value):  # a new due date may be today, never one that is overdue at once
        raise InvalidInput(_("The due date is in the past."), field=field)
    return value


def _require_change(user: User, promise: Promise) -> None:
    if not promise_policy.can_change(user, promise):
        audit_refusal(
            actor=user, action="update", object_type="promise", object_id=promise.pk, area_code=promise.buurt_id
        )
        raise PermissionRefused(_("You may not change this promise."))


def _require_version(obj: Versioned, expected: int | None) -> None:
    """Refuse at once an edit made on an older version than the one just read (the claim in the transaction,
    `version_claim`, catches a colleague who saves in between)."""
    if expected is not None and expected != obj.version:
        raise StaleEdit(current=type(obj)._default_manager.get(pk=obj.pk))


def _check_promise_transition(promise: Promise, new: str) -> None:
    if not rules.promise_transition_allowed(promise.status, new):
        raise InvalidInput(
            _("Status: a promise that is “%(current)s” cannot become “%(new)s”.")
            % {"current": Promise.Status(promise.status).label, "new": Promise.Status(new).label},
            field="status",
        )


# Promises --------------------------------------------------------------------------------------------------


def promise_create(
    *,
    user: User,
    description: str,
    due_date: date | None,
    buurt: str | None = None,
    contact_moment: int | None = None,
    resident: int | None = None,
    initiative: int | None = None,
    group_label: str = "",
    owner: int | None = None,
) -> Promise:
    """Record a promise. Rules: a due date today or later (Europe/Amsterdam), an owner from the creator's team
    who works in the buurt, a buurt in scope (taken from the contact moment or resident when given). It belongs to
    the creator's organisation (its data controller), whoever keeps it."""
    _require_followup(user, object_type="promise")
    moment = _contact_moment(user=user, pk=contact_moment)
    resident_obj = _resident(user=user, pk=resident)
    if resident_obj is None:
        resident_obj = _resident_of(moment)
    buurt_obj = _buurt(user=user, code=buurt, moment=moment, resident=resident_obj)
    initiative_obj = None
    if initiative is not None:
        initiative_obj = asset_selectors.initiative_in_buurt(pk=initiative, buurt=buurt_obj)
        if initiative_obj is None:
            raise InvalidInput(_("Unknown initiative in this buurt."), field="initiatief")
    text = _clean_text(description, field="omschrijving", max_length=DESCRIPTION_MAX_LENGTH, required=True)
    due = _due_date(due_date)
    owner_obj = _owner(user=user, pk=owner, buurt=buurt_obj)
    group = _clean_text(group_label, field="groep", max_length=200)
    with transaction.atomic():
        promise = Promise(
            description=text,
            buurt=buurt_obj,
            resident=resident_obj,
            initiative=initiative_obj,
            group_label=group,
            contact_moment=moment,
            owner=owner_obj,
            created_by=user,
            due_date=due,
        )
        promise.organisation_id = user.organisation_id
        promise.full_clean()
        promise.save()
        audit_record(actor=user, action="create", object_type="promise", object_id=promise.pk, area_code=buurt_obj.code)
    return promise


def promise_keep(
    *,
    user: User,
    promise: Promise,
    note: str = "",
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Promise:
    """Mark a promise kept ("nagekomen"): when, and optionally how. `expected_version`: the version the person
    saw; a colleague's change since then refuses the edit (StaleEdit), never overwrites it."""
    _require_change(user, promise)
    _require_version(promise, expected_version)
    _check_promise_transition(promise, Promise.Status.NAGEKOMEN)
    text = _clean_text(note, field="toelichting")
    now = now or timezone.now()
    with transaction.atomic():
        version_claim(promise, expected=expected_version)
        promise.status = Promise.Status.NAGEKOMEN
        promise.kept_at = now
        promise.closed_at = now
        promise.kept_note = text
        promise.save(update_fields=["status", "kept_at", "closed_at", "kept_note", "updated_at"])
        audit_record(actor=user, action="keep", object_type="promise", object_id=promise.pk, area_code=promise.buurt_id)
    return promise


def promise_fail(
    *, user: User, promise: Promise, reason: str, resident_told: bool, expected_version: int | None = None
) -> Promise:
    """Record that a promise could not be kept: why, and whether the resident was told."""
    _require_change(user, promise)
    _require_version(promise, expected_version)
    _check_promise_transition(promise, Promise.Status.NIET_GELUKT)
    text = _clean_text(reason, field="reden", required=True)
    with transaction.atomic():
        version_claim(promise, expected=expected_version)
        promise.status = Promise.Status.NIET_GELUKT
        promise.failure_reason = text
        promise.resident_told = bool(resident_told)
        promise.closed_at = timezone.now()
        promise.save(update_fields=["status", "failure_reason", "resident_told", "closed_at", "updated_at"])
        audit_record(actor=user, action="fail", object_type="promise", object_id=promise.pk, area_code=promise.buurt_id)
    return promise


def promise_hand_over(
    *, user: User, promise: Promise, to_user: int | None, note: str, expected_version: int | None = None
) -> Promise:
    """Hand a promise to a colleague from the team with a note; the new owner sees it in their list at once. It
    stays the organisation's record (a colleague is of the same team or organisation)."""
    _require_change(user, promise)
    _require_version(promise, expected_version)
    _check_promise_transition(promise, Promise.Status.OVERGEDRAGEN)
    if to_user is None:
        raise InvalidInput(_("Choose the colleague who takes it over."), field="eigenaar")
    new_owner = _owner(user=user, pk=to_user, buurt=promise.buurt)
    if new_owner.pk == promise.owner_id:
        raise InvalidInput(_("This colleague already owns the promise."), field="eigenaar")
    text = _clean_text(note, field="toelichting", required=True)
    with transaction.atomic():
        version_claim(promise, expected=expected_version)
        PromiseHandover.objects.create(
            promise=promise, from_user_id=promise.owner_id, to_user=new_owner, note=text, by=user
        )
        promise.owner = new_owner
        promise.status = Promise.Status.OVERGEDRAGEN
        promise.save(update_fields=["owner", "status", "updated_at"])
        audit_record(
            actor=user,
            action="hand_over",
            object_type="promise",
            object_id=promise.pk,
            area_code=promise.buurt_id,
            detail={"to": new_owner.pk},
        )
    return promise


def promise_set_status(
    *,
    user: User,
    promise: Promise,
    status: str,
    note: str = "",
    resident_told: bool = False,
    expected_version: int | None = None,
) -> Promise:
    """A status change by name (API and generic forms); the transition table decides what is allowed."""
    if status not in Promise.Status.values:
        raise InvalidInput(_("Status: unknown status."), field="status")
    if status == Promise.Status.NAGEKOMEN:
        return promise_keep(user=user, promise=promise, note=note, expected_version=expected_version)
    if status == Promise.Status.NIET_GELUKT:
        _require_change(user, promise)
        _require_version(promise, expected_version)
        _check_promise_transition(promise, status)
        return promise_fail(
            user=user, promise=promise, reason=note, resident_told=resident_told, expected_version=expected_version
        )
    _require_change(user, promise)
    _require_version(promise, expected_version)
    _check_promise_transition(promise, status)
    raise InvalidInput(_("Status: hand a promise over by choosing a colleague."), field="status")


# Referrals -------------------------------------------------------------------------------------------------


def referral_create(
    *,
    user: User,
    provider: int | None,
    topic: str,
    warm: bool,
    consent_to_share: bool,
    resident: int | None = None,
    contact_moment: int | None = None,
    buurt: str | None = None,
    navragen_op: date | None = None,
    outside_buurt_reason: str = "",
    question: str = "",
) -> Referral:
    """Refer a resident to an organisation on the sociale kaart. Rules: a visible organisation and an active
    topic; a warm referral shares the resident's question, so it needs their consent; an organisation that does
    not serve the buurt needs a reason (a warning the user may override); navragen by default in 14 days, never in
    the past. It belongs to the referring worker's organisation; with the resident's consent an organisation that
    uses Nabij and is referred to sees this referral (and only it)."""
    _require_followup(user, object_type="referral")
    moment = _contact_moment(user=user, pk=contact_moment)
    resident_obj = _resident(user=user, pk=resident)
    if resident_obj is None:
        resident_obj = _resident_of(moment)
    buurt_obj = _buurt(user=user, code=buurt, moment=moment, resident=resident_obj)
    provider_obj = None
    if provider is not None:
        provider_obj = asset_selectors.provider_for_link(pk=provider)
    if provider_obj is None or not permissions.can_view_social_map_item(
        user, asset_selectors.provider_buurt_codes(provider=provider_obj)
    ):
        raise InvalidInput(_("Unknown organisation."), field="verwezen_naar")
    topic_obj = Topic.objects.filter(slug=(topic or "").strip(), is_active=True).first()
    if topic_obj is None:
        raise InvalidInput(_("Unknown topic."), field="onderwerp")
    if warm and not consent_to_share:
        raise InvalidInput(
            _("A warm referral shares the resident's question: ask for their consent first."), field="toestemming"
        )
    today = rules.local_today()
    navragen = navragen_op or rules.default_navragen(today)
    if rules.is_overdue(navragen, today=today):
        raise InvalidInput(_("The check-back date is in the past."), field="navragen_op")
    reason = _clean_text(outside_buurt_reason, field="afwijking_reden")
    asks = _clean_text(question, field="vraag", max_length=DESCRIPTION_MAX_LENGTH)
    if not asset_selectors.provider_serves_buurt(provider=provider_obj, buurt=buurt_obj) and not reason:
        raise OutsideBuurtWarning(
            _("%(organisation)s does not serve %(buurt)s. Give a reason to refer there anyway.")
            % {"organisation": provider_obj.name, "buurt": buurt_obj.name},
            field="verwezen_naar",
        )
    if asset_selectors.provider_serves_buurt(provider=provider_obj, buurt=buurt_obj):
        reason = ""
    with transaction.atomic():
        referral = Referral(
            provider=provider_obj,
            topic=topic_obj,
            buurt=buurt_obj,
            resident=resident_obj,
            contact_moment=moment,
            warm=bool(warm),
            consent_to_share=bool(consent_to_share),
            question=asks,
            outside_buurt_reason=reason,
            navragen_op=navragen,
            worker=user,
        )
        referral.organisation_id = user.organisation_id
        referral.full_clean()
        referral.save()
        audit_record(
            actor=user, action="create", object_type="referral", object_id=referral.pk, area_code=buurt_obj.code
        )
        events.referral_made.announce(
            buurt_code=referral.buurt_id, created_at=referral.created_at, old_buurt_code=None, old_created_at=None
        )
    return referral


def referral_set_status(
    *, user: User, referral: Referral, status: str, note: str = "", expected_version: int | None = None
) -> Referral:
    """Record what was heard back. The first change away from "verwezen" is the moment of hearing back. The
    referring organisation records it, and so does the organisation referred to when the referral was shared with
    it (`can_record_hearing_back`); that change is audited for the referring organisation on the ground
    "referral"."""
    if not referral_policy.can_record_hearing_back(user, referral):
        audit_refusal(
            actor=user, action="update", object_type="referral", object_id=referral.pk, area_code=referral.buurt_id
        )
        raise PermissionRefused(_("You may not change this referral."))
    if status not in Referral.Status.values:
        raise InvalidInput(_("Status: unknown status."), field="status")
    if not rules.referral_transition_allowed(referral.status, status):
        raise InvalidInput(
            _("Status: a referral that is “%(current)s” cannot become “%(new)s”.")
            % {"current": Referral.Status(referral.status).label, "new": Referral.Status(status).label},
            field="status",
        )
    _require_version(referral, expected_version)
    text = _clean_text(note, field="toelichting")
    with transaction.atomic():
        version_claim(referral, expected=expected_version)
        ReferralStatusChange.objects.create(
            referral=referral, from_status=referral.status, to_status=status, note=text, by=user
        )
        referral.status = status
        fields = ["status", "updated_at"]
        if referral.heard_back_at is None:
            referral.heard_back_at = timezone.now()
            fields.append("heard_back_at")
        referral.save(update_fields=fields)
        audit_read(
            user=user,
            policy=referral_policy,
            records=[referral],
            action="update",
            object_type="referral",
            object_id=referral.pk,
            area_code=referral.buurt_id,
            detail={"status": status},
        )
    return referral
