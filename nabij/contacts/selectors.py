"""Reads of the contacts app, always through the user's area scope; analisten never see contact moments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import CharField, Count, Prefetch, Q, QuerySet, Value
from django.utils import timezone

from nabij.areas.models import Buurt
from nabij.contacts.models import ContactMoment, Resident, Round, RoundPlan, Signal, Topic
from nabij.core import permissions
from nabij.core.exceptions import NotVisible


def topic_list(*, active_only: bool = True) -> QuerySet[Topic]:
    qs = Topic.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def _period(qs: QuerySet, *, date_from: date | None, date_to: date | None) -> QuerySet:
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs


def contact_moment_list(
    *,
    user,
    buurt: str = "",
    topic: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    worker_id: int | None = None,
    channel: str = "",
) -> QuerySet[ContactMoment]:
    """Contact moments in the user's scope, newest first, with everything a list shows loaded up front."""
    if not permissions.can_view_contact_moments(user):
        return ContactMoment.objects.none()
    qs = ContactMoment.objects.filter(permissions.scope_filter(user))
    if buurt:
        qs = qs.filter(buurt_id=buurt.upper())
    if topic:
        qs = qs.filter(topics__slug=topic)
    if worker_id:
        qs = qs.filter(worker_id=worker_id)
    if channel:
        qs = qs.filter(channel=channel)
    qs = _period(qs, date_from=date_from, date_to=date_to)
    return (
        qs.select_related("buurt", "worker", "resident", "round")
        .defer("buurt__geometry")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position", "label")))
        .order_by("-occurred_at", "-id")
    )


def signal_list(
    *,
    user,
    buurt: str = "",
    topic: str = "",
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    worker_id: int | None = None,
) -> QuerySet[Signal]:
    if not permissions.can_view_contact_moments(user):
        return Signal.objects.none()
    qs = Signal.objects.filter(permissions.scope_filter(user))
    if buurt:
        qs = qs.filter(buurt_id=buurt.upper())
    if topic:
        qs = qs.filter(topic__slug=topic)
    if status:
        qs = qs.filter(status=status)
    if worker_id:
        qs = qs.filter(worker_id=worker_id)
    qs = _period(qs, date_from=date_from, date_to=date_to)
    return qs.select_related("buurt", "topic", "worker").defer("buurt__geometry").order_by("-occurred_at", "-id")


@dataclass
class TimelineEntry:
    kind: str  # "contact" or "signal"
    occurred_at: datetime
    contact: ContactMoment | None = None
    signal: Signal | None = None


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    total: int
    number: int
    page_size: int
    num_pages: int = field(init=False)

    def __post_init__(self):
        self.num_pages = max(1, -(-self.total // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def buurt_timeline(
    *,
    user,
    buurt: Buurt,
    topic: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    worker_id: int | None = None,
    channel: str = "",
    page: int = 1,
    page_size: int = 25,
) -> TimelinePage:
    """Contacts and observations of one buurt, newest first, one page at a time. Five queries whatever the page
    size: the count, the page's keys (one UNION), the contacts, their topics and the observations. A channel
    filter leaves observations out (they have no channel)."""
    contacts = contact_moment_list(
        user=user,
        buurt=buurt.code,
        topic=topic,
        date_from=date_from,
        date_to=date_to,
        worker_id=worker_id,
        channel=channel,
    )
    keys = contacts.order_by().annotate(kind=Value("contact", CharField())).values_list("kind", "id", "occurred_at")
    if not channel:
        signals = signal_list(
            user=user, buurt=buurt.code, topic=topic, date_from=date_from, date_to=date_to, worker_id=worker_id
        )
        signal_keys = (
            signals.order_by().annotate(kind=Value("signal", CharField())).values_list("kind", "id", "occurred_at")
        )
        keys = keys.union(signal_keys, all=True)
    total = keys.count()
    num_pages = max(1, -(-total // page_size))
    page = min(max(1, page), num_pages)
    offset = (page - 1) * page_size
    rows = list(keys.order_by("-occurred_at", "-id")[offset : offset + page_size])
    contact_ids = [pk for kind, pk, _ in rows if kind == "contact"]
    signal_ids = [pk for kind, pk, _ in rows if kind == "signal"]
    contact_map = {c.pk: c for c in contacts.filter(pk__in=contact_ids)} if contact_ids else {}
    signal_map = {s.pk: s for s in Signal.objects.select_related("topic", "worker").filter(pk__in=signal_ids)}
    entries = []
    for kind, pk, occurred_at in rows:
        if kind == "contact" and pk in contact_map:
            entries.append(TimelineEntry(kind=kind, occurred_at=occurred_at, contact=contact_map[pk]))
        elif kind == "signal" and pk in signal_map:
            entries.append(TimelineEntry(kind=kind, occurred_at=occurred_at, signal=signal_map[pk]))
    return TimelinePage(entries=entries, total=total, number=page, page_size=page_size)


def buurt_workers(*, user, buurt: Buurt) -> list[tuple[int, str]]:
    """The workers who logged something in this buurt, for the timeline filter."""
    from nabij.accounts.models import User

    if not permissions.can_view_contact_moments(user):
        return []
    # Two semi-joins through the (buurt, -occurred_at) indexes; a join with DISTINCT over both tables would read
    # every contact moment of every worker (hundreds of ms at a million rows).
    qs = User.objects.filter(
        Q(pk__in=ContactMoment.objects.filter(buurt=buurt).values("worker_id"))
        | Q(pk__in=Signal.objects.filter(buurt=buurt).values("worker_id"))
    )
    return list(qs.order_by("full_name").values_list("pk", "full_name"))


def open_round_for(*, user) -> Round | None:
    """The round this worker is walking now, if any."""
    if not permissions.can_view_contact_moments(user):
        return None
    return Round.objects.filter(worker=user, ended_at__isnull=True).prefetch_related("buurten").first()


def round_list_for_worker(*, user) -> QuerySet[Round]:
    """'Mijn rondes': the worker's own rounds, with counts of what was logged."""
    return (
        Round.objects.filter(worker=user)
        .select_related("plan")
        .prefetch_related(Prefetch("buurten", queryset=Buurt.objects.defer("geometry")))
        .annotate(
            contact_count=Count("contact_moments", distinct=True),
            signal_count=Count("signals", distinct=True),
        )
        .order_by("-started_at")
    )


def round_get(*, user, pk: int) -> Round:
    round_ = (
        Round.objects.select_related("plan", "worker")
        .prefetch_related(Prefetch("buurten", queryset=Buurt.objects.defer("geometry")))
        .filter(pk=pk)
        .first()
    )
    if round_ is None or not permissions.can_view_round(user, round_):
        raise NotVisible("Not found.")
    return round_


def round_plan_list(*, user) -> QuerySet[RoundPlan]:
    """Active planned rounds with at least one buurt in the user's scope."""
    if not permissions.can_view_contact_moments(user):
        return RoundPlan.objects.none()
    visible = permissions.buurten_visible_to(user).values("pk")
    return (
        RoundPlan.objects.filter(is_active=True, buurten__in=visible)
        .distinct()
        .select_related("owner", "team")
        .prefetch_related(Prefetch("buurten", queryset=Buurt.objects.defer("geometry")))
    )


@dataclass
class PlanWeeks:
    plan: RoundPlan
    walked: list[int]  # per week, oldest first: how many times this plan was walked


def round_overview(*, user, weeks: int = 8, today: date | None = None) -> tuple[list[date], list[PlanWeeks]]:
    """Per planned round and ISO week (Monday), how often it was walked: presence made visible, not timed."""
    today = today or timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    plans = list(round_plan_list(user=user).order_by("weekday", "start_time", "name"))
    start = timezone.make_aware(datetime.combine(mondays[0], datetime.min.time()))
    counts: dict[tuple[int, date], int] = {}
    for plan_id, started_at in Round.objects.filter(plan__in=plans, started_at__gte=start).values_list(
        "plan_id", "started_at"
    ):
        local = timezone.localtime(started_at).date()
        monday = local - timedelta(days=local.weekday())
        counts[(plan_id, monday)] = counts.get((plan_id, monday), 0) + 1
    return mondays, [PlanWeeks(plan=p, walked=[counts.get((p.pk, m), 0) for m in mondays]) for p in plans]


def resident_get(*, user, pk: int) -> Resident:
    resident = Resident.objects.select_related("buurt").defer("buurt__geometry").filter(pk=pk).first()
    if (
        resident is None
        or not permissions.can_view_contact_moments(user)
        or not permissions.can_view_buurt(user, resident.buurt)
    ):
        raise NotVisible("Not found.")
    return resident


def resident_choices(*, user) -> QuerySet[Resident]:
    if not permissions.can_view_contact_moments(user):
        return Resident.objects.none()
    return Resident.objects.filter(permissions.scope_filter(user)).order_by("label")


def contacts_for_resident(*, user, resident: Resident) -> QuerySet[ContactMoment]:
    return contact_moment_list(user=user).filter(resident=resident)


def default_buurt_for(*, user, round_: Round | None = None) -> str:
    """The buurt a new capture starts with: the last one used within the open round, else the round's first
    buurt, else the last one this worker used, else none."""
    last = ContactMoment.objects.filter(worker=user).order_by("-created_at", "-id").values_list("buurt_id", flat=True)
    if round_ is not None:
        round_codes = [b.code for b in round_.buurten.all()]
        recent = last.filter(round=round_).first()
        if recent in round_codes:
            return recent
        return round_codes[0] if round_codes else ""
    code = last.first()
    if code and code in permissions.visible_buurt_codes(user):
        return code
    return ""


def contact_get_own(*, user, pk: int) -> ContactMoment | None:
    """A contact this worker just saved (for the 'saved as' notice), or None."""
    return ContactMoment.objects.filter(pk=pk, worker=user).select_related("buurt").defer("buurt__geometry").first()
