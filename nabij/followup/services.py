"""All writes of the follow-up app. Free text (what was promised, notes, reasons) is de-identified before it is
stored; every refusal is audited. A write that breaks a rule raises InvalidInput naming the field, and nothing
is changed."""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nabij.accounts.models import User
from nabij.areas.models import Buurt
from nabij.assets import selectors as asset_selectors
from nabij.assets.models import Initiative, Provider
from nabij.contacts.models import ContactMoment, Resident, Topic
from nabij.core import permissions
from nabij.core.exceptions import PermissionRefused
from nabij.followup import rules
from nabij.followup.exceptions import InvalidInput, OutsideBuurtWarning
from nabij.followup.models import (
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    DigestSent,
    Promise,
    PromiseHandover,
    Referral,
    ReferralStatusChange,
)
from nabij.language.services import deidentify
from nabij.privacy.services import audit_record, audit_refusal

logger = logging.getLogger(__name__)


# Input helpers ---------------------------------------------------------------------------------------------


def _require_followup(user, *, object_type: str) -> None:
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


def _contact_moment(*, user, pk: int | None) -> ContactMoment | None:
    if pk is None:
        return None
    moment = ContactMoment.objects.select_related("buurt", "resident").filter(pk=pk).first()
    if moment is None or not permissions.can_log_contacts(user, moment.buurt):
        raise InvalidInput(_("Unknown contact moment."), field="contactmoment")
    return moment


def _resident(*, user, pk: int | None) -> Resident | None:
    if pk is None:
        return None
    resident = Resident.objects.select_related("buurt").filter(pk=pk).first()
    if resident is None or not permissions.can_log_contacts(user, resident.buurt):
        raise InvalidInput(_("Unknown resident."), field="bewoner")
    return resident


def _buurt(*, user, code: str | None, moment, resident) -> Buurt:
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


def _owner(*, user, pk: int | None, buurt: Buurt, field: str = "eigenaar") -> User:
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
    if value < rules.local_today():
        raise InvalidInput(_("The due date is in the past."), field=field)
    return value


def _require_change(user, promise: Promise) -> None:
    if not permissions.can_change_promise(user, promise):
        audit_refusal(
            actor=user, action="update", object_type="promise", object_id=promise.pk, area_code=promise.buurt_id
        )
        raise PermissionRefused(_("You may not change this promise."))


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
    user,
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
    who works in the buurt, a buurt in scope (taken from the contact moment or resident when given)."""
    _require_followup(user, object_type="promise")
    moment = _contact_moment(user=user, pk=contact_moment)
    resident_obj = _resident(user=user, pk=resident)
    if resident_obj is None and moment is not None:
        resident_obj = moment.resident
    buurt_obj = _buurt(user=user, code=buurt, moment=moment, resident=resident_obj)
    initiative_obj = None
    if initiative is not None:
        initiative_obj = Initiative.objects.filter(pk=initiative, buurten=buurt_obj).first()
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
        promise.full_clean()
        promise.save()
        audit_record(actor=user, action="create", object_type="promise", object_id=promise.pk, area_code=buurt_obj.code)
    return promise


def promise_keep(*, user, promise: Promise, note: str = "", now: datetime | None = None) -> Promise:
    """Mark a promise kept ("nagekomen"): when, and optionally how."""
    _require_change(user, promise)
    _check_promise_transition(promise, Promise.Status.NAGEKOMEN)
    text = _clean_text(note, field="toelichting")
    now = now or timezone.now()
    with transaction.atomic():
        promise.status = Promise.Status.NAGEKOMEN
        promise.kept_at = now
        promise.closed_at = now
        promise.kept_note = text
        promise.save(update_fields=["status", "kept_at", "closed_at", "kept_note", "updated_at"])
        audit_record(actor=user, action="keep", object_type="promise", object_id=promise.pk, area_code=promise.buurt_id)
    return promise


def promise_fail(*, user, promise: Promise, reason: str, resident_told: bool) -> Promise:
    """Record that a promise could not be kept: why, and whether the resident was told."""
    _require_change(user, promise)
    _check_promise_transition(promise, Promise.Status.NIET_GELUKT)
    text = _clean_text(reason, field="reden", required=True)
    with transaction.atomic():
        promise.status = Promise.Status.NIET_GELUKT
        promise.failure_reason = text
        promise.resident_told = bool(resident_told)
        promise.closed_at = timezone.now()
        promise.save(update_fields=["status", "failure_reason", "resident_told", "closed_at", "updated_at"])
        audit_record(actor=user, action="fail", object_type="promise", object_id=promise.pk, area_code=promise.buurt_id)
    return promise


def promise_hand_over(*, user, promise: Promise, to_user: int | None, note: str) -> Promise:
    """Hand a promise to a colleague from the team with a note; the new owner sees it in their list at once."""
    _require_change(user, promise)
    _check_promise_transition(promise, Promise.Status.OVERGEDRAGEN)
    if to_user is None:
        raise InvalidInput(_("Choose the colleague who takes it over."), field="eigenaar")
    new_owner = _owner(user=user, pk=to_user, buurt=promise.buurt)
    if new_owner.pk == promise.owner_id:
        raise InvalidInput(_("This colleague already owns the promise."), field="eigenaar")
    text = _clean_text(note, field="toelichting", required=True)
    with transaction.atomic():
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


def promise_set_status(*, user, promise: Promise, status: str, note: str = "", resident_told: bool = False) -> Promise:
    """A status change by name (API and generic forms); the transition table decides what is allowed."""
    if status not in Promise.Status.values:
        raise InvalidInput(_("Status: unknown status."), field="status")
    if status == Promise.Status.NAGEKOMEN:
        return promise_keep(user=user, promise=promise, note=note)
    if status == Promise.Status.NIET_GELUKT:
        _require_change(user, promise)
        _check_promise_transition(promise, status)
        return promise_fail(user=user, promise=promise, reason=note, resident_told=resident_told)
    _require_change(user, promise)
    _check_promise_transition(promise, status)
    raise InvalidInput(_("Status: hand a promise over by choosing a colleague."), field="status")


# Referrals -------------------------------------------------------------------------------------------------


def referral_create(
    *,
    user,
    provider: int | None,
    topic: str,
    warm: bool,
    consent_to_share: bool,
    resident: int | None = None,
    contact_moment: int | None = None,
    buurt: str | None = None,
    navragen_op: date | None = None,
    outside_buurt_reason: str = "",
) -> Referral:
    """Refer a resident to an organisation on the sociale kaart. Rules: a visible organisation and an active
    topic; a warm referral shares the resident's question, so it needs their consent; an organisation that does
    not serve the buurt needs a reason (a warning the user may override); navragen by default in 14 days, never in
    the past."""
    _require_followup(user, object_type="referral")
    moment = _contact_moment(user=user, pk=contact_moment)
    resident_obj = _resident(user=user, pk=resident)
    if resident_obj is None and moment is not None:
        resident_obj = moment.resident
    buurt_obj = _buurt(user=user, code=buurt, moment=moment, resident=resident_obj)
    provider_obj = None
    if provider is not None:
        provider_obj = Provider.objects.filter(pk=provider).first()
    if provider_obj is None or not permissions.can_view_social_map_item(
        user, asset_selectors.provider_buurt_codes(provider=provider_obj)
    ):
        raise InvalidInput(_("Unknown organisation."), field="organisatie")
    topic_obj = Topic.objects.filter(slug=(topic or "").strip(), is_active=True).first()
    if topic_obj is None:
        raise InvalidInput(_("Unknown topic."), field="onderwerp")
    if warm and not consent_to_share:
        raise InvalidInput(
            _("A warm referral shares the resident's question: ask for their consent first."), field="toestemming"
        )
    today = rules.local_today()
    navragen = navragen_op or rules.default_navragen(today)
    if navragen < today:
        raise InvalidInput(_("The check-back date is in the past."), field="navragen_op")
    reason = _clean_text(outside_buurt_reason, field="afwijking_reden")
    if not asset_selectors.provider_serves_buurt(provider=provider_obj, buurt=buurt_obj) and not reason:
        raise OutsideBuurtWarning(
            _("%(organisation)s does not serve %(buurt)s. Give a reason to refer there anyway.")
            % {"organisation": provider_obj.name, "buurt": buurt_obj.name},
            field="organisatie",
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
            outside_buurt_reason=reason,
            navragen_op=navragen,
            worker=user,
        )
        referral.full_clean()
        referral.save()
        audit_record(
            actor=user, action="create", object_type="referral", object_id=referral.pk, area_code=buurt_obj.code
        )
    return referral


def referral_set_status(*, user, referral: Referral, status: str, note: str = "") -> Referral:
    """Record what was heard back. The first change away from "verwezen" is the moment of hearing back."""
    if not permissions.can_change_referral(user, referral):
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
    text = _clean_text(note, field="toelichting")
    with transaction.atomic():
        ReferralStatusChange.objects.create(
            referral=referral, from_status=referral.status, to_status=status, note=text, by=user
        )
        referral.status = status
        fields = ["status", "updated_at"]
        if referral.heard_back_at is None:
            referral.heard_back_at = timezone.now()
            fields.append("heard_back_at")
        referral.save(update_fields=fields)
        audit_record(
            actor=user,
            action="update",
            object_type="referral",
            object_id=referral.pk,
            area_code=referral.buurt_id,
            detail={"status": status},
        )
    return referral


# Morning digest --------------------------------------------------------------------------------------------


DIGEST_BATCH_SIZE = 200


def _claim_digests(*, claims: dict[int, int], day: date) -> set[int]:
    """Claim the digests of a batch of people for one day ({user id: item count}) in one statement, committed
    before anything is sent. Only rows this call inserted come back: someone claimed by an earlier run, a parallel
    worker or a run that died halfway is skipped by the unique (user, day) constraint, so nobody gets two."""
    if not claims:
        return set()
    ops = connection.ops
    table = connection.ops.quote_name(DigestSent._meta.db_table)
    now = ops.adapt_datetimefield_value(timezone.now())
    day_value = ops.adapt_datefield_value(day)
    rows, params = [], []
    for user_id, count in claims.items():
        rows.append("(%s, %s, %s, %s)")
        params.extend([user_id, day_value, now, count])
    sql = (
        f"INSERT INTO {table} (user_id, day, claimed_at, item_count) VALUES {', '.join(rows)} "
        "ON CONFLICT (user_id, day) DO NOTHING RETURNING user_id"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _release_claims(*, user_ids: set[int], day: date) -> None:
    if user_ids:
        DigestSent.objects.filter(user_id__in=user_ids, day=day, sent_at__isnull=True).delete()


def _digest_message(*, user: User, day: date, items, sections) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        if items.count:
            subject = _("Nabij: %(count)d follow-ups for today") % {"count": items.count}
        else:
            subject = _("Nabij: your morning overview")
        body = render_to_string(
            "followup/email/digest.txt", {"user": user, "items": items, "sections": sections, "day": day}
        )
    return EmailMessage(subject, body, None, [user.email])


def _deliver(mail_connection, message: EmailMessage) -> None:
    """One message over the open mail connection (a seam for tests that stop the worker halfway)."""
    mail_connection.send_messages([message])


def digest_send_all(*, day: date, batch_size: int = DIGEST_BATCH_SIZE) -> int:
    """Every worker with something due (overdue and today's promises, referrals to check back on) — and everyone
    a registered digest section has something for — gets one digest for `day`, at most once.

    Batch-efficient for thousands of workers: recipients come in one query, the due items of everyone not yet
    served in two, and per batch of people one claim INSERT and one UPDATE; one open mail connection for the whole
    run. Safe to run twice or after a crash: claimed people are skipped. A mail that fails releases its claim (a
    re-run sends it) and does not stop the others; a worker stopped mid-batch releases the claims it had not sent
    yet; only a hard kill leaves the claims of at most one batch unsent (those people miss that one digest, never
    get two)."""
    from nabij.followup import digest, selectors

    named = digest.section_recipient_ids(day=day)
    extra_ids = set().union(*(ids for ids in named.values() if ids is not None))
    everyone = any(ids is None for ids in named.values())
    recipients = list(
        selectors.digest_recipients(today=day, extra_ids=extra_ids, everyone=everyone).only("id", "email", "full_name")
    )
    if not recipients:
        return 0
    items_by_user = selectors.digest_items_by_user(today=day, unserved_only=True)
    empty = selectors.DigestItems(overdue=[], due_today=[], referrals=[])
    sent = 0
    # Section titles are lazy strings: render everything in the site language, as the job runs outside a request.
    with translation.override(settings.LANGUAGE_CODE), mailers.default as mail_connection:
        for start in range(0, len(recipients), batch_size):
            batch = recipients[start : start + batch_size]
            prepared = {}
            for user in batch:
                items = items_by_user.get(user.pk, empty)
                rendered = []
                if named:
                    rendered = digest.render_sections(
                        user=user,
                        day=day,
                        asked=lambda section, pk=user.pk: named.get(section.key) is None or pk in named[section.key],
                    )
                if items.count or rendered:
                    prepared[user.pk] = (user, items, rendered)
            claimed = _claim_digests(claims={pk: value[1].count for pk, value in prepared.items()}, day=day)
            delivered: set[int] = set()
            try:
                for pk in sorted(claimed):
                    user, items, rendered = prepared[pk]
                    try:
                        _deliver(mail_connection, _digest_message(user=user, day=day, items=items, sections=rendered))
                    except Exception:
                        logger.exception("Digest for user %s on %s failed", pk, day)
                    else:
                        delivered.add(pk)
            finally:
                # Also when the worker is being stopped (SystemExit, KeyboardInterrupt): what went out is marked
                # sent, what did not is released so that a re-run sends it.
                if delivered:
                    DigestSent.objects.filter(user_id__in=delivered, day=day).update(sent_at=timezone.now())
                _release_claims(user_ids=claimed - delivered, day=day)
            sent += len(delivered)
    return sent
