"""Writes of contact moments, observations and rounds. Every free-text field is de-identified before
it reaches the database; the raw text is never logged, stored or put in a task."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.areas.models import Buurt
from nabij.contacts import rules
from nabij.contacts.models import (
    NOTE_MAX_LENGTH,
    Channel,
    ContactMoment,
    ContactMomentTopic,
    Resident,
    Round,
    RoundPlan,
    Signal,
)
from nabij.core import events, permissions
from nabij.core.access.contacts import resident_policy, signal_policy
from nabij.core.concurrency import version_claim
from nabij.core.exceptions import InvalidInput, NotVisible, PermissionRefused
from nabij.core.models import Topic
from nabij.language.services import deidentify
from nabij.privacy.services import audit_record, audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import Team, User

FUTURE_TOLERANCE = timedelta(days=1)


def _require_logger(user: User, *, object_type: str = "contactmoment") -> None:
    if not permissions.can_log_contacts(user):
        audit_refusal(actor=user, action="create", object_type=object_type)
        raise PermissionRefused(_("You may not log contacts."))


def _buurt_for_write(
    *, user: User, code: str, field: str = "buurt", object_type: str = "contactmoment", with_open_round: bool = False
) -> Buurt:
    """An existing, non-water buurt in the user's scope; otherwise InvalidInput naming the field. One query by
    primary key (other fields deferred); the scope is decided from the cached code lists
    (permissions.can_view_buurt). With `with_open_round` the same query also reads the id of the round the user
    is walking now (`open_round_id`)."""
    code = (code or "").strip().upper()
    qs = Buurt.objects.only("code", "name", "is_water", "wijk_id", "gemeente_id").filter(pk=code)
    if with_open_round:
        walking = Round.objects.filter(worker_id=user.pk, ended_at__isnull=True).order_by("-started_at")
        qs = qs.annotate(open_round_id=Subquery(walking.values("pk")[:1]))
    buurt = qs.first() if code else None
    if buurt is None or buurt.is_water:
        raise InvalidInput(_("Unknown buurt."), field=field)
    if not permissions.can_view_buurt(user, buurt):
        audit_refusal(actor=user, action="create", object_type=object_type, area_code=code)
        raise InvalidInput(_("This buurt is outside your area scope."), field=field)
    return buurt


def _topics(slugs: list[str], *, field: str = "onderwerpen") -> list[Topic]:
    """The active topics with these slugs, from the cached topic list (see core.selectors.topic_catalogue)."""
    from nabij.core.selectors import active_topics

    wanted = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    by_slug = {t.slug: t for t in active_topics()}
    unknown = sorted(set(wanted) - set(by_slug))
    if unknown:
        raise InvalidInput(_("Unknown topic: %(slugs)s.") % {"slugs": ", ".join(unknown)}, field=field)
    return [by_slug[slug] for slug in wanted]


def _channel(value: str) -> str:
    if value not in Channel.values:
        raise InvalidInput(_("Unknown channel."), field="kanaal")
    return value


def _when(value: datetime | None, *, field: str = "datum") -> datetime:
    now = timezone.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + FUTURE_TOLERANCE:
        raise InvalidInput(_("The date may be at most one day ahead."), field=field)
    return value


def _clean_note(note: str, *, field: str = "notitie") -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(
            _("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX_LENGTH}, field=field
        )
    return deidentify(note) if note else ""


def _open_round_for_write(*, user: User, round_id: int | None) -> Round | None:
    if round_id is None:
        return None
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None or not permissions.can_edit_round(user, round_):
        raise InvalidInput(_("Unknown round."), field="ronde")
    if not round_.is_open:
        raise InvalidInput(_("This round has ended."), field="ronde")
    return round_


def _resident_for_write(*, user: User, resident_id: int | None) -> Resident | None:
    """A resident the worker may change (`resident_policy.change_filter`: their own organisation's, in scope):
    a shared resident file is read-only and never collects another organisation's contacts. Only a resident who
    consented to be followed (`rules.resident_may_be_followed`) gets contacts linked."""
    if resident_id is None:
        return None
    resident = resident_policy.changeable(user, Resident.objects.filter(pk=resident_id)).first()
    if resident is None:
        raise InvalidInput(_("Unknown resident."), field="bewoner")
    if not rules.resident_may_be_followed(resident):
        raise InvalidInput(rules.no_consent_message(), field="bewoner")
    return resident


# Not atomic as a whole: a refusal's audit event must survive the refusal. The write itself is one atomic unit.
def contact_moment_create(
    *,
    user: User,
    buurt: str,
    channel: str,
    topics: list[str],
    note: str = "",
    occurred_at: datetime | None = None,
    resident: int | None = None,
    needs_follow_up: bool = False,
    round_id: int | None = None,
    in_open_round: bool = False,
) -> ContactMoment:
    """Log a contact moment. Rules: a known buurt in the worker's scope, a known channel, active topics, a moment
    at most one day ahead, and at least a topic or a note. The note is de-identified before it is stored.

    `round_id` attaches it to that open round; `in_open_round` to the round the worker is walking now, if any
    (the capture page: read in the same query as the buurt)."""
    _require_logger(user)
    buurt_obj = _buurt_for_write(user=user, code=buurt, with_open_round=in_open_round)
    channel = _channel(channel)
    topic_objs = _topics(topics)
    when = _when(occurred_at)
    if not topic_objs and not (note or "").strip():
        raise InvalidInput(_("Choose a topic or write a note."), field="onderwerpen")
    resident_obj = _resident_for_write(user=user, resident_id=resident)
    round_obj = _open_round_for_write(user=user, round_id=round_id)
    moment = ContactMoment(
        organisation_id=user.organisation_id,  # the recorder's organisation owns it (the data controller)
        buurt=buurt_obj,
        occurred_at=when,
        channel=channel,
        note=_clean_note(note),
        resident=resident_obj,
        needs_follow_up=needs_follow_up,
        worker=user,
        round=round_obj,
    )
    if in_open_round and round_obj is None:
        # The user's own round, open a moment ago (annotated by _buurt_for_write(with_open_round=True)).
        moment.round_id = buurt_obj.open_round_id  # type: ignore[attr-defined]
    # The foreign keys were loaded and checked just above; re-validating them costs a query each per capture.
    moment.full_clean(exclude=["note", "buurt", "worker", "resident", "round", "organisation"])
    with transaction.atomic():  # the moment, its topic links and its audit event together
        moment.save()
        ContactMomentTopic.objects.bulk_create(
            [ContactMomentTopic(contact_moment=moment, topic_id=t.pk) for t in topic_objs]
        )
        audit_record(
            actor=user, action="create", object_type="contactmoment", object_id=moment.pk, area_code=buurt_obj.code
        )
        events.contact_recorded.announce(buurt_code=moment.buurt_id, occurred_at=moment.occurred_at)
    return moment


def signal_create(
    *,
    user: User,
    buurt: str,
    topic: str,
    note: str = "",
    occurred_at: datetime | None = None,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    round_id: int | None = None,
) -> Signal:
    """Record an observation without a person. The note is de-identified (it may still mention someone)."""
    _require_logger(user, object_type="signal")
    buurt_obj = _buurt_for_write(user=user, code=buurt, object_type="signal")
    topic_objs = _topics([topic] if topic else [], field="onderwerp")
    if not topic_objs:
        raise InvalidInput(_("Choose a topic."), field="onderwerp")
    when = _when(occurred_at)
    if (latitude is None) != (longitude is None):
        raise InvalidInput(_("Give both latitude and longitude, or neither."), field="lat")
    if (
        latitude is not None
        and longitude is not None
        and not (-90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180)
    ):
        raise InvalidInput(_("This is not a valid map point."), field="lat")
    signal = Signal(
        organisation_id=user.organisation_id,  # the recorder's organisation owns it
        buurt=buurt_obj,
        topic=topic_objs[0],
        note=_clean_note(note),
        occurred_at=when,
        latitude=None if latitude is None else Decimal(str(round(float(latitude), 6))),
        longitude=None if longitude is None else Decimal(str(round(float(longitude), 6))),
        worker=user,
        round=_open_round_for_write(user=user, round_id=round_id),
    )
    signal.full_clean(exclude=["note"])
    with transaction.atomic():
        signal.save()
        audit_record(actor=user, action="create", object_type="signal", object_id=signal.pk, area_code=buurt_obj.code)
        events.signal_recorded.announce(buurt_code=signal.buurt_id, occurred_at=signal.occurred_at)
    return signal


def signal_set_status(*, user: User, signal: Signal, status: str, version: int | None = None) -> Signal:
    """Move an observation along: gemeld → doorgezet → opgelost (any order; it reflects what happened). Only the
    owning organisation changes it (`signal_policy.can_change`; a shared observation is read-only). `version` is
    the version the worker saw: if a colleague changed the status since, StaleEdit (with the current record)."""
    if not signal_policy.can_view(user, signal):
        audit_refusal(actor=user, action="update", object_type="signal", object_id=signal.pk)
        raise NotVisible(_("Not found."))
    if not signal_policy.can_change(user, signal):
        audit_refusal(actor=user, action="update", object_type="signal", object_id=signal.pk)
        raise PermissionRefused(_("You may not change this observation."))
    if status not in Signal.Status.values:
        raise InvalidInput(_("Unknown status."), field="status")
    with transaction.atomic():
        version_claim(signal, expected=version)
        signal.status = status
        signal.save(update_fields=["status", "updated_at"])
        audit_record(actor=user, action="update", object_type="signal", object_id=signal.pk, area_code=signal.buurt_id)
    return signal


def round_start(*, user: User, plan_id: int | None = None, buurten: list[str] | None = None) -> Round:
    """Start walking a round, from a plan (its buurten in scope) or ad hoc in chosen buurten. A worker walks one
    round at a time: an open round must be ended first."""
    _require_logger(user)
    if Round.objects.filter(worker=user, ended_at__isnull=True).exists():
        raise InvalidInput(_("You already have a round in progress; end it first."), field="ronde")
    plan = None
    if plan_id is not None:
        plan = RoundPlan.objects.filter(pk=plan_id, is_active=True).first()
        if plan is None:
            raise InvalidInput(_("Unknown planned round."), field="plan")
        codes = list(plan.buurten.values_list("code", flat=True))
        buurt_objs = [b for b in Buurt.objects.filter(code__in=codes) if permissions.can_view_buurt(user, b)]
        if not buurt_objs:
            raise InvalidInput(_("This planned round is outside your area scope."), field="plan")
    else:
        if not buurten:
            raise InvalidInput(_("Choose a planned round or at least one buurt."), field="buurten")
        buurt_objs = [_buurt_for_write(user=user, code=c, field="buurten", object_type="round") for c in buurten]
    with transaction.atomic():
        round_ = Round.objects.create(plan=plan, worker=user, started_at=timezone.now())
        round_.buurten.set(buurt_objs)
        audit_record(actor=user, action="create", object_type="round", object_id=round_.pk)
    return round_


def round_end(*, user: User, round_: Round) -> Round:
    """End a round; ending twice changes nothing."""
    if not permissions.can_edit_round(user, round_):
        audit_refusal(actor=user, action="update", object_type="round", object_id=round_.pk)
        raise NotVisible(_("Not found."))
    if round_.ended_at is None:
        round_.ended_at = timezone.now()
        round_.save(update_fields=["ended_at", "updated_at"])
    return round_


def round_plan_create(
    *,
    user: User,
    name: str,
    weekday: int,
    start_time: time,
    end_time: time,
    buurten: list[str],
    owner: User | None = None,
    team: Team | None = None,
) -> RoundPlan:
    """Plan a weekly round in buurten of the planner's scope."""
    _require_logger(user)
    if end_time <= start_time:
        raise InvalidInput(_("The end time must be after the start time."), field="eind")
    buurt_objs = [_buurt_for_write(user=user, code=c, field="buurten", object_type="roundplan") for c in buurten]
    if not buurt_objs:
        raise InvalidInput(_("Choose at least one buurt."), field="buurten")
    plan = RoundPlan(
        name=name.strip(), weekday=weekday, start_time=start_time, end_time=end_time, owner=owner, team=team
    )
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        plan.buurten.set(buurt_objs)
    return plan
