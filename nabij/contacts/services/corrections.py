"""Correcting and deleting contact moments and observations (AVG art. 16).

Who may: whoever may change the record by its policy (`can_change`: the owning organisation's staff in scope,
so the author and their coordinator; a shared record is read-only). A corrected note is de-identified again, as
at capture. Every correction and deletion leaves a `Correction` row (who, when, why, which fields, the old buurt
and topic codes) and an audit event, but never the old note: it was corrected because it was wrong. Each
correction and deletion is announced (`contact_corrected`, `contact_removed`, `signal_…`; nabij.core.events), so
the theme counts of the old and the new buurt-week follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.contacts.models import ContactMoment, Correction, Signal
from nabij.contacts.services.records import _buurt_for_write, _clean_note, _topics
from nabij.core import events
from nabij.core.access import RecordPolicy
from nabij.core.access.contacts import contact_moment_policy, signal_policy
from nabij.core.concurrency import version_claim
from nabij.core.exceptions import InvalidInput, NotVisible, PermissionRefused
from nabij.privacy.services import audit_record, audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User


def _require_change(*, user: User, policy: RecordPolicy, record: ContactMoment | Signal, object_type: str) -> None:
    if not policy.can_view(user, record):
        audit_refusal(actor=user, action="update", object_type=object_type, object_id=record.pk)
        raise NotVisible(_("Not found."))
    if not policy.can_change(user, record):
        audit_refusal(actor=user, action="update", object_type=object_type, object_id=record.pk)
        raise PermissionRefused(_("You may not correct this record."))


def _reason(value: str) -> str:
    if value not in Correction.Reason.values:
        raise InvalidInput(_("Choose why you correct or delete this."), field="reden")
    return value


def _history(
    *,
    kind: str,
    record: ContactMoment | Signal,
    user: User,
    action: str,
    reason: str,
    fields: list[str],
    old_topics: list[str],
) -> Correction:
    return Correction.objects.create(
        kind=kind,
        record_id=record.pk,
        organisation_id=record.organisation_id,
        action=action,
        reason=reason,
        fields=fields,
        old_buurt=record.buurt_id,
        old_topics=old_topics,
        by=user,
        at=timezone.now(),
    )


def contact_moment_correct(
    *,
    user: User,
    moment: ContactMoment,
    buurt: str,
    topics: list[str],
    note: str,
    reason: str,
    version: int | None = None,
) -> ContactMoment:
    """Correct a contact moment's buurt, topics or note, with a reason. The same rules as at capture: a buurt in
    scope, active topics, a topic or a note; nothing changed is refused. `version` is the one the person saw."""
    _require_change(user=user, policy=contact_moment_policy, record=moment, object_type="contactmoment")
    reason = _reason(reason)
    buurt_obj = _buurt_for_write(user=user, code=buurt, object_type="contactmoment")
    topic_objs = _topics(topics)
    new_note = _clean_note(note)
    if not topic_objs and not new_note:
        raise InvalidInput(_("Choose a topic or write a note."), field="onderwerpen")
    old_topics = sorted(moment.topics.values_list("slug", flat=True))
    new_topics = sorted(t.slug for t in topic_objs)
    changed = [
        name
        for name, differs in (
            ("buurt", buurt_obj.code != moment.buurt_id),
            ("onderwerpen", new_topics != old_topics),
            ("notitie", new_note != moment.note),
        )
        if differs
    ]
    if not changed:
        raise InvalidInput(_("Nothing was changed."), field="notitie")
    with transaction.atomic():
        version_claim(moment, expected=version)
        _history(
            kind=Correction.Kind.CONTACT_MOMENT,
            record=moment,
            user=user,
            action=Correction.Action.CORRECTED,
            reason=reason,
            fields=changed,
            old_topics=old_topics,
        )
        old_buurt_code = moment.buurt_id
        moment.buurt = buurt_obj
        moment.note = new_note
        moment.save(update_fields=["buurt", "note", "updated_at"])
        if "onderwerpen" in changed:
            moment.topics.set(topic_objs)
        audit_record(
            actor=user,
            action="update",
            object_type="contactmoment",
            object_id=moment.pk,
            area_code=buurt_obj.code,
            detail={"correctie": changed, "reden": reason},
        )
        events.contact_corrected.announce(
            buurt_code=moment.buurt_id,
            occurred_at=moment.occurred_at,
            old_buurt_code=old_buurt_code,
            old_occurred_at=moment.occurred_at,
        )
    return moment


def contact_moment_delete(*, user: User, moment: ContactMoment, reason: str, version: int | None = None) -> Correction:
    """Delete a contact moment, with a reason; the history keeps that it existed (kind, buurt, topics), not what
    it said. A promise or referral made from it stays, without the link."""
    _require_change(user=user, policy=contact_moment_policy, record=moment, object_type="contactmoment")
    reason = _reason(reason)
    old_topics = sorted(moment.topics.values_list("slug", flat=True))
    with transaction.atomic():
        version_claim(moment, expected=version)
        entry = _history(
            kind=Correction.Kind.CONTACT_MOMENT,
            record=moment,
            user=user,
            action=Correction.Action.DELETED,
            reason=reason,
            fields=[],
            old_topics=old_topics,
        )
        pk, code, when = moment.pk, moment.buurt_id, moment.occurred_at
        moment.delete()
        audit_record(
            actor=user,
            action="delete",
            object_type="contactmoment",
            object_id=pk,
            area_code=code,
            detail={"reden": reason},
        )
        events.contact_removed.announce(buurt_code=code, occurred_at=when)
    return entry


def signal_correct(
    *, user: User, signal: Signal, buurt: str, topic: str, note: str, reason: str, version: int | None = None
) -> Signal:
    """Correct an observation's buurt, topic or note, with a reason (the capture rules apply)."""
    _require_change(user=user, policy=signal_policy, record=signal, object_type="signal")
    reason = _reason(reason)
    buurt_obj = _buurt_for_write(user=user, code=buurt, object_type="signal")
    topic_objs = _topics([topic] if topic else [], field="onderwerp")
    if not topic_objs:
        raise InvalidInput(_("Choose a topic."), field="onderwerp")
    new_note = _clean_note(note)
    old_topic = signal.topic.slug
    changed = [
        name
        for name, differs in (
            ("buurt", buurt_obj.code != signal.buurt_id),
            ("onderwerp", topic_objs[0].slug != old_topic),
            ("notitie", new_note != signal.note),
        )
        if differs
    ]
    if not changed:
        raise InvalidInput(_("Nothing was changed."), field="notitie")
    with transaction.atomic():
        version_claim(signal, expected=version)
        _history(
            kind=Correction.Kind.SIGNAL,
            record=signal,
            user=user,
            action=Correction.Action.CORRECTED,
            reason=reason,
            fields=changed,
            old_topics=[old_topic],
        )
        old_buurt_code = signal.buurt_id
        signal.buurt = buurt_obj
        signal.topic = topic_objs[0]
        signal.note = new_note
        signal.save(update_fields=["buurt", "topic", "note", "updated_at"])
        audit_record(
            actor=user,
            action="update",
            object_type="signal",
            object_id=signal.pk,
            area_code=buurt_obj.code,
            detail={"correctie": changed, "reden": reason},
        )
        events.signal_corrected.announce(
            buurt_code=signal.buurt_id,
            occurred_at=signal.occurred_at,
            old_buurt_code=old_buurt_code,
            old_occurred_at=signal.occurred_at,
        )
    return signal


def signal_delete(*, user: User, signal: Signal, reason: str, version: int | None = None) -> Correction:
    """Delete an observation, with a reason; the history keeps its kind, buurt and topic, not its note."""
    _require_change(user=user, policy=signal_policy, record=signal, object_type="signal")
    reason = _reason(reason)
    with transaction.atomic():
        version_claim(signal, expected=version)
        entry = _history(
            kind=Correction.Kind.SIGNAL,
            record=signal,
            user=user,
            action=Correction.Action.DELETED,
            reason=reason,
            fields=[],
            old_topics=[signal.topic.slug],
        )
        pk, code, when = signal.pk, signal.buurt_id, signal.occurred_at
        signal.delete()
        audit_record(
            actor=user, action="delete", object_type="signal", object_id=pk, area_code=code, detail={"reden": reason}
        )
        events.signal_removed.announce(buurt_code=code, occurred_at=when)
    return entry
