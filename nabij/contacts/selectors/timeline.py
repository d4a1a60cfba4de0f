"""The buurt timeline: contacts and observations of one buurt, newest first, one page at a time.

Plain ORM on both databases: the page's keys are a UNION of the two tables' (kind, id, moment) rows, each
limited by its policy (`contact_moment_policy`, `signal_policy`), so another organisation's records are simply
not there; then the page's rows, their topic links and the workers for the filter, each one query whatever the
page size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict, Unpack

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from nabij.areas.models import Buurt
from nabij.contacts.models import Channel, ContactMoment, ContactMomentTopic, Signal
from nabij.core import permissions
from nabij.core.access import audit_read
from nabij.core.access.contacts import contact_moment_policy, resident_policy, signal_policy
from nabij.core.exceptions import NotVisible
from nabij.core.models import Topic
from nabij.core.selectors import topic_catalogue
from nabij.privacy.services import audit_refusal

if TYPE_CHECKING:
    from nabij.accounts.models import User


@dataclass
class TimelineEntry:
    """One line of a buurt timeline. `contact` and `signal` are plain dicts (the template tag renders them
    without lazy lookups)."""

    kind: str  # "contact" or "signal"
    occurred_at: datetime
    contact: dict | None = None
    signal: dict | None = None


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    total: int
    number: int
    page_size: int
    workers: list[tuple[int, str]] = field(default_factory=list)  # (id, name) of who logged here: the filter
    num_pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.num_pages = max(1, -(-self.total // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def timeline_buurt_get(*, user: User, code: str) -> Buurt:
    """The buurt for a timeline: a staff member who sees personal data, the buurt in their scope (else
    NotVisible, with the refusal audited), with its wijk's code and name and nothing else loaded."""
    code = (code or "").strip().upper()[:10]
    buurt = None
    if contact_moment_policy.role_may_see(user) and code:
        buurt = (
            Buurt.objects.select_related("wijk")
            .only("code", "name", "gemeente_id", "wijk_id", "wijk__code", "wijk__name")
            .filter(pk=code)
            .first()
        )
    if buurt is None or not permissions.can_view_buurt(user, buurt):
        audit_refusal(actor=user, action="view", object_type="contactmoment_list", area_code=code)
        raise NotVisible("Not found.")
    return buurt


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _filtered(
    qs: QuerySet,
    *,
    topic_q: Q | None,
    date_from: date | None,
    date_to: date | None,
    worker_id: int | None,
) -> QuerySet:
    """A period is a range on the moment itself (local days as aware bounds), so the (buurt, -occurred_at)
    indexes apply."""
    if topic_q is not None:
        qs = qs.filter(topic_q)
    if worker_id:
        qs = qs.filter(worker_id=worker_id)
    if date_from:
        qs = qs.filter(occurred_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(occurred_at__lt=_day_start(date_to + timedelta(days=1)))
    return qs


@dataclass
class _Sources:
    """The visible contacts and observations of one buurt, with and without the page's filters."""

    contacts: QuerySet
    signals: QuerySet | None  # None: a channel is chosen, observations have none
    all_contacts: QuerySet
    all_signals: QuerySet

    @classmethod
    def make(
        cls,
        *,
        user: User,
        buurt_code: str,
        topic_id: int | None,
        date_from: date | None,
        date_to: date | None,
        worker_id: int | None,
        channel: str,
    ) -> _Sources:
        all_contacts = contact_moment_policy.visible(user, ContactMoment.objects.filter(buurt_id=buurt_code))
        all_signals = signal_policy.visible(user, Signal.objects.filter(buurt_id=buurt_code))
        contact_topic_q = None
        if topic_id is not None:
            linked = ContactMomentTopic.objects.filter(contact_moment_id=OuterRef("pk"), topic_id=topic_id)
            contact_topic_q = Q(Exists(linked))
        contacts = _filtered(
            all_contacts,
            topic_q=contact_topic_q,
            date_from=date_from,
            date_to=date_to,
            worker_id=worker_id,
        )
        if channel:
            contacts = contacts.filter(channel=channel)
        signals = None
        if not channel:
            signals = _filtered(
                all_signals,
                topic_q=Q(topic_id=topic_id) if topic_id is not None else None,
                date_from=date_from,
                date_to=date_to,
                worker_id=worker_id,
            )
        return cls(contacts, signals, all_contacts, all_signals)

    def keys(self) -> QuerySet:
        """(kind, id, occurred_at) of both, newest first."""

        def of(qs: QuerySet, kind: str) -> QuerySet:
            return (
                qs.order_by()
                .annotate(kind=Value(kind, output_field=CharField()))
                .values_list("kind", "id", "occurred_at")
            )

        keys = of(self.contacts, "contact")
        if self.signals is not None:
            keys = keys.union(of(self.signals, "signal"), all=True)
        return keys.order_by("-occurred_at", "-id")

    def workers(self) -> list[tuple[int, str]]:
        """Who logged something here that this user may see (the worker filter names nobody else)."""
        from nabij.accounts.models import User

        rows = User.objects.filter(
            Q(pk__in=self.all_contacts.order_by().values("worker_id"))
            | Q(pk__in=self.all_signals.order_by().values("worker_id"))
        ).values_list("pk", "full_name")
        return sorted(rows, key=lambda worker: (worker[1], worker[0]))


def buurt_timeline(
    *,
    user: User,
    buurt: Buurt,
    topic: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    worker_id: int | None = None,
    channel: str = "",
    page: int = 1,
    page_size: int = 25,
    audit_detail: dict | None = None,
) -> TimelinePage:
    """Contacts and observations of one buurt that the user may see (their policies), newest first, one page at
    a time; a page past the end (an old link) shows the last page. A channel filter leaves observations out
    (they have no channel). Topic labels come from the cached topic list. The read is audited
    (`audit_detail` plus the page asked for), for the reader's organisation and each other owner on the page."""
    asked = max(1, page)
    empty = TimelinePage(entries=[], total=0, number=1, page_size=page_size)
    if not contact_moment_policy.role_may_see(user) or not permissions.can_view_buurt(user, buurt):
        return empty
    topics = {t.pk: t for t in topic_catalogue()}
    topic_id = None
    if topic:
        topic_id = next((t.pk for t in topics.values() if t.slug == topic), 0)  # 0: no topic has it, no rows
    sources = _Sources.make(
        user=user,
        buurt_code=buurt.pk,
        topic_id=topic_id,
        date_from=date_from,
        date_to=date_to,
        worker_id=worker_id,
        channel=channel,
    )
    keys = sources.keys()
    total = keys.count()
    number = min(asked, max(1, -(-total // page_size)))
    offset = (number - 1) * page_size
    rows = list(keys[offset : offset + page_size]) if total else []
    contacts, signals = _page_records(rows)
    entries = _entries(user, rows, contacts, signals, topics)
    _audit_timeline(
        user=user,
        buurt=buurt,
        contacts=list(contacts.values()),
        signals=list(signals.values()),
        detail=(audit_detail or {}) | {"page": asked},
    )
    return TimelinePage(entries=entries, total=total, number=number, page_size=page_size, workers=sources.workers())


def _page_records(rows: list[tuple]) -> tuple[dict[int, ContactMoment], dict[int, Signal]]:
    contact_ids = [pk for kind, pk, _when in rows if kind == "contact"]
    signal_ids = [pk for kind, pk, _when in rows if kind == "signal"]
    contacts: dict[int, ContactMoment] = {}
    if contact_ids:
        qs = ContactMoment.objects.filter(pk__in=contact_ids).select_related("worker", "resident")
        contacts = {c.pk: c for c in qs.only(*_CONTACT_FIELDS)}
        # Each moment carries the ids of its topics for the page (no prefetch of whole topic rows).
        for c in contacts.values():
            c.topic_ids = set()  # type: ignore[attr-defined]
        for moment_id, topic_id in ContactMomentTopic.objects.filter(contact_moment_id__in=contact_ids).values_list(
            "contact_moment_id", "topic_id"
        ):
            contacts[moment_id].topic_ids.add(topic_id)  # type: ignore[attr-defined]
    signals: dict[int, Signal] = {}
    if signal_ids:
        signal_qs = Signal.objects.filter(pk__in=signal_ids).select_related("worker")
        signals = {s.pk: s for s in signal_qs.only(*_SIGNAL_FIELDS)}
    return contacts, signals


_CONTACT_FIELDS = (
    "id",
    "organisation_id",
    "buurt_id",
    "occurred_at",
    "channel",
    "note",
    "needs_follow_up",
    "resident__id",
    "resident__label",
    "resident__buurt_id",
    "resident__organisation_id",
    "worker__full_name",
)
_SIGNAL_FIELDS = (
    "id",
    "organisation_id",
    "buurt_id",
    "occurred_at",
    "note",
    "status",
    "topic_id",
    "version",
    "worker__full_name",
)


def _entries(
    user: User,
    rows: list[tuple],
    contacts: dict[int, ContactMoment],
    signals: dict[int, Signal],
    topics: dict[int, Topic],
) -> list[TimelineEntry]:
    channel_labels = {value: str(label) for value, label in Channel.choices}  # translated once, not per row
    status_labels = {value: str(label) for value, label in Signal.Status.choices}
    entries = []
    for kind, pk, _when in rows:
        if kind == "contact":
            c = contacts[pk]
            # The resident's label only when the resident file itself may be seen (an agreement may share
            # contact moments without residents).
            resident = c.resident if c.resident_id and resident_policy.can_view(user, c.resident) else None
            contact = {
                "id": pk,
                "occurred_at": c.occurred_at,
                "channel": c.channel,
                "channel_label": channel_labels.get(c.channel, c.channel),
                "note": c.note,
                "needs_follow_up": c.needs_follow_up,
                "resident_id": resident.pk if resident else None,
                "resident_label": resident.label if resident else None,
                "worker_name": c.worker.full_name if c.worker else None,
                "topics": [t for t in topics.values() if t.pk in c.topic_ids],  # type: ignore[attr-defined]  # _page_records
            }
            entries.append(TimelineEntry(kind=kind, occurred_at=c.occurred_at, contact=contact))
        else:
            s = signals[pk]
            signal = {
                "id": pk,
                "occurred_at": s.occurred_at,
                "note": s.note,
                "status": s.status,
                "status_label": status_labels.get(s.status, s.status),
                "topic": topics.get(s.topic_id),
                "worker_name": s.worker.full_name if s.worker else None,
                "version": s.version,
                "can_change": signal_policy.can_change(user, s),
            }
            entries.append(TimelineEntry(kind=kind, occurred_at=s.occurred_at, signal=signal))
    return entries


def _audit_timeline(*, user: User, buurt: Buurt, contacts: list, signals: list, detail: dict) -> None:
    """One event for the reader's organisation (also for an empty page), and one per other organisation whose
    contacts or observations were on the page, so that its beheerder sees the read."""
    audit_read(
        user=user,
        policy=contact_moment_policy,
        records=contacts,
        object_type="contactmoment_list",
        area_code=buurt.code,
        detail=detail,
    )
    others = [s for s in signals if s.organisation_id != user.organisation_id]
    audit_read(
        user=user,
        policy=signal_policy,
        records=others,
        object_type="signal_list",
        area_code=buurt.code,
        detail=detail,
        always=False,
    )


def buurt_workers(*, user: User, buurt: Buurt) -> list[tuple[int, str]]:
    """The workers who logged something in this buurt that the user may see, for the timeline filter."""
    if not contact_moment_policy.role_may_see(user):
        return []
    sources = _Sources.make(
        user=user, buurt_code=buurt.pk, topic_id=None, date_from=None, date_to=None, worker_id=None, channel=""
    )
    return sources.workers()


class TimelineFilters(TypedDict, total=False):
    """The filters of `buurt_timeline`, passed on by `buurt_timeline_read`."""

    topic: str
    date_from: date | None
    date_to: date | None
    worker_id: int | None
    channel: str


def buurt_timeline_read(
    *,
    user: User,
    code: str,
    audit_detail: dict,
    page: int = 1,
    page_size: int = 25,
    **filters: Unpack[TimelineFilters],
) -> tuple[Buurt, TimelinePage]:
    """The buurt (in the user's scope, else NotVisible) and one page of its timeline (filters as in
    `buurt_timeline`), audited. Returns (buurt, TimelinePage)."""
    buurt = timeline_buurt_get(user=user, code=code)
    timeline = buurt_timeline(
        user=user, buurt=buurt, page=page, page_size=page_size, audit_detail=audit_detail, **filters
    )
    return buurt, timeline
