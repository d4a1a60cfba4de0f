"""Reads of the contacts app, always through the user's area scope; analisten never see contact moments."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import Case, Count, F, Max, Prefetch, QuerySet, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from nabij.areas.models import Buurt, Wijk
from nabij.contacts.models import Channel, ContactMoment, Resident, Round, RoundPlan, Signal, Topic
from nabij.core import permissions
from nabij.core.exceptions import NotVisible
from nabij.core.sql import loaded, planned_cursor


def topic_list(*, active_only: bool = True) -> QuerySet[Topic]:
    qs = Topic.objects.all()
    return qs.filter(is_active=True) if active_only else qs


# The controlled topic list is read by every capture and every timeline. It is not personal data and changes
# rarely (a beheerder edits it), so each process keeps a copy: dropped at once when a topic is saved in this
# process (post_save, see apps.py) and refreshed after TOPIC_CACHE_SECONDS in the others.
# See docs/decisions/0101-contacts-read-and-capture-costs.md.
TOPIC_CACHE_SECONDS = 30.0
_topic_cache: tuple[float, tuple[Topic, ...]] | None = None


def topic_catalogue() -> tuple[Topic, ...]:
    """Every topic, active or not, in picker order (position, label), from this process's short-lived copy.
    Treat the objects as read-only: they are shared between requests."""
    global _topic_cache
    cached = _topic_cache
    now = time.monotonic()
    if cached is None or cached[0] <= now:
        cached = (now + TOPIC_CACHE_SECONDS, tuple(Topic.objects.order_by("position", "label")))
        _topic_cache = cached
    return cached[1]


def topic_cache_clear(**kwargs) -> None:
    """Drop this process's copy of the topic list (connected to Topic's post_save)."""
    global _topic_cache
    _topic_cache = None


def active_topics() -> list[Topic]:
    """The topics a worker may choose now, in picker order."""
    return [t for t in topic_catalogue() if t.is_active]


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
    """One line of a buurt timeline. `contact` and `signal` are plain dicts (no model instances: a page of 25
    is read with two light queries and rendered without lazy lookups)."""

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

    def __post_init__(self):
        self.num_pages = max(1, -(-self.total // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def timeline_buurt_get(*, user, code: str) -> Buurt:
    """The buurt for a timeline: in the user's scope (else NotVisible), with its wijk's code and name, nothing
    else loaded (other fields are deferred). One raw query by primary key, as composing it with the ORM cost five
    times as much on every timeline page; the scope is decided from the cached code lists."""
    buurt = None
    if permissions.can_view_contact_moments(user):
        sql = (
            f"SELECT b.code, b.name, b.gemeente_id, b.wijk_id, w.name AS wijk_name FROM {_table(Buurt)} b "
            f"LEFT JOIN {_table(Wijk)} w ON w.code = b.wijk_id WHERE b.code = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [(code or "").upper()])
            row = cursor.fetchone()
        buurt = _timeline_buurt(*row) if row else None
    if buurt is None or not permissions.can_view_buurt(user, buurt):
        raise NotVisible("Not found.")
    return buurt


def _timeline_buurt(code: str, name: str, gemeente_id: str, wijk_id: str | None, wijk_name: str | None) -> Buurt:
    """A Buurt with only what the timeline shows loaded (the rest deferred), its wijk's code and name with it."""
    buurt = loaded(Buurt, {"code": code, "name": name, "gemeente_id": gemeente_id, "wijk_id": wijk_id})
    if wijk_id is not None:
        buurt.wijk = loaded(Wijk, {"code": wijk_id, "name": wijk_name})
    return buurt


# One page of the timeline in one statement: the page's keys from the UNION of both tables (ordered like the
# (buurt, -occurred_at, -id) indexes, so a merge of two index scans can stop after the page), the total as an
# uncorrelated count over the same UNION (index-only, computed once), then the display columns for just the
# page's rows. The topic ids of a contact come aggregated in the same row (string_agg on PostgreSQL,
# group_concat on SQLite). Names and labels are scalar subqueries by primary key: as joins, the planner hashed
# the whole user (and resident) table for 25 rows.
_PAGE_CTE = """page AS (
    SELECT u.kind, u.id, u.occurred_at
    FROM ({keys}) u
    ORDER BY u.occurred_at DESC, u.id DESC
    LIMIT %s OFFSET %s
)"""
_PAGE_SELECT = """SELECT page.kind, page.id, page.occurred_at, (SELECT COUNT(*) FROM ({keys}) k) AS total,
    c.channel, c.note AS contact_note, c.needs_follow_up, c.resident_id,
    (SELECT r.label FROM {resident} r WHERE r.id = c.resident_id) AS resident_label,
    s.note AS signal_note, s.status, s.topic_id,
    (SELECT w.full_name FROM {user} w WHERE w.id = COALESCE(c.worker_id, s.worker_id)) AS worker_name,
    (SELECT {topic_agg} FROM {link} ct WHERE ct.contact_moment_id = c.id) AS topic_ids,
    ({workers}) AS workers
FROM page
LEFT JOIN {contact} c ON page.kind = 'contact' AND c.id = page.id
LEFT JOIN {signal} s ON page.kind = 'signal' AND s.id = page.id"""
_TIMELINE_PAGE_SQL = f"WITH {_PAGE_CTE}\n{_PAGE_SELECT}\nORDER BY page.occurred_at DESC, page.id DESC"
# PostgreSQL: the buurt (only if in the user's scope), the audit event of the read and the page in one statement,
# one round trip instead of three. No buurt row (unknown or outside the scope): no rows at all and no event.
_TIMELINE_READ_SQL = f"""WITH buurt AS (
    SELECT b.code, b.name, b.gemeente_id, b.wijk_id, w.name AS wijk_name
    FROM {{buurt}} b LEFT JOIN {{wijk}} w ON w.code = b.wijk_id
    WHERE b.code = %s AND {{scope}}
),
audit AS ({{audit}}),
{_PAGE_CTE},
entries AS ({_PAGE_SELECT})
SELECT buurt.code, buurt.name, buurt.gemeente_id, buurt.wijk_id, buurt.wijk_name, entries.*
FROM buurt LEFT JOIN entries ON TRUE
ORDER BY entries.occurred_at DESC, entries.id DESC"""


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _moment(local: datetime):
    """A local wall-clock time as the database compares moments (SQLite: naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(timezone.make_aware(local))


def _timeline_keys(
    *,
    buurt_code: str,
    topic_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    worker_id: int | None = None,
    channel: str = "",
) -> tuple[str, list]:
    """The (kind, id, occurred_at) rows of the timeline as SQL: contact moments and, unless a channel is chosen
    (observations have none), observations of the buurt. Written out rather than composed with the ORM: it runs
    on every timeline page and composing the union cost more than running it. A period is a range on the moment
    itself (local days as aware bounds), so the (buurt, -occurred_at) indexes apply."""
    from nabij.contacts.models import ContactMomentTopic

    def conditions(alias: str, *, topic_sql: str) -> tuple[list[str], list]:
        where, params = [f"{alias}.buurt_id = %s"], [buurt_code]
        if topic_id is not None:
            where.append(topic_sql)
            params.append(topic_id)
        if worker_id:
            where.append(f"{alias}.worker_id = %s")
            params.append(worker_id)
        if date_from:
            where.append(f"{alias}.occurred_at >= %s")
            params.append(_moment(datetime.combine(date_from, datetime.min.time())))
        if date_to:
            where.append(f"{alias}.occurred_at < %s")
            params.append(_moment(datetime.combine(date_to + timedelta(days=1), datetime.min.time())))
        return where, params

    link = _table(ContactMomentTopic)
    where, params = conditions(
        "c", topic_sql=f"EXISTS (SELECT 1 FROM {link} l WHERE l.contact_moment_id = c.id AND l.topic_id = %s)"
    )
    if channel:
        where.append("c.channel = %s")
        params.append(channel)
    sql = f"SELECT 'contact' AS kind, c.id AS id, c.occurred_at AS occurred_at FROM {_table(ContactMoment)} c "
    sql += "WHERE " + " AND ".join(where)
    if not channel:
        signal_where, signal_params = conditions("s", topic_sql="s.topic_id = %s")
        sql += (
            f" UNION ALL SELECT 'signal' AS kind, s.id AS id, s.occurred_at AS occurred_at FROM {_table(Signal)} s "
            "WHERE " + " AND ".join(signal_where)
        )
        params += signal_params
    return sql, params


def _page_sql_parts() -> dict[str, str]:
    from nabij.accounts.models import User
    from nabij.contacts.models import ContactMomentTopic

    if connection.vendor == "postgresql":
        topic_agg = "string_agg(ct.topic_id::text, ',')"
    else:
        topic_agg = "group_concat(ct.topic_id, ',')"
    return {
        "topic_agg": topic_agg,
        "link": _table(ContactMomentTopic),
        "contact": _table(ContactMoment),
        "signal": _table(Signal),
        "resident": _table(Resident),
        "user": _table(User),
        "workers": _workers_json_sql(),
    }


def _utc_rows(rows: list[tuple]) -> list[tuple]:
    if rows and not (isinstance(rows[0][2], datetime) and timezone.is_aware(rows[0][2])):
        rows = [(*row[:2], _as_utc(row[2]), *row[3:]) for row in rows]  # SQLite: naive UTC (or text)
    return rows


def _as_utc(value) -> datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else value
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


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
    """Contacts and observations of one buurt in the user's scope, newest first, one page at a time, in one
    query whatever the page size (a second one only when asked for a page past the end). A channel filter leaves
    observations out (they have no channel). Topic labels come from the cached topic list."""
    if not permissions.can_view_contact_moments(user):
        return TimelinePage(entries=[], total=0, number=1, page_size=page_size)
    if not permissions.can_view_buurt(user, buurt):  # decided from the cached scope codes, no query
        return TimelinePage(entries=[], total=0, number=1, page_size=page_size)
    query = _TimelineQuery.make(
        buurt_code=buurt.pk,
        topic=topic,
        date_from=date_from,
        date_to=date_to,
        worker_id=worker_id,
        channel=channel,
        page=page,
        page_size=page_size,
    )
    return query.page_from(query.rows(query.page), user=user, buurt=buurt)


def buurt_timeline_read(*, user, code: str, audit_detail: dict, page: int = 1, page_size: int = 25, **filters):
    """The buurt (in the user's scope, else NotVisible) and one page of its timeline (filters as in
    `buurt_timeline`), with the audit event every read of a contact list leaves (`audit_detail` plus the page
    asked for). Returns (buurt, TimelinePage).

    PostgreSQL: scope, buurt, event and page in one statement (`_TIMELINE_READ_SQL`), so the page pays one round
    trip; the event is written only when the buurt is visible. Elsewhere the same in three statements."""
    from nabij.privacy.services import audit_insert_from, audit_record

    audit = {"actor": user, "action": "view", "object_type": "contactmoment_list"}
    detail = audit_detail | {"page": max(1, page)}
    if connection.vendor != "postgresql" or not permissions.can_view_contact_moments(user):
        buurt = timeline_buurt_get(user=user, code=code)
        timeline = buurt_timeline(user=user, buurt=buurt, page=page, page_size=page_size, **filters)
        audit_record(area_code=buurt.code, detail=detail, **audit)
        return buurt, timeline
    code = (code or "").upper()
    query = _TimelineQuery.make(buurt_code=code, page=page, page_size=page_size, **filters)
    scope_sql, scope_params = permissions.buurt_scope_sql(
        user, code="b.code", wijk="b.wijk_id", gemeente="b.gemeente_id"
    )
    audit_sql, audit_params = audit_insert_from(
        source="buurt", area_code=code, detail=detail, synchronous=False, **audit
    )
    sql = _TIMELINE_READ_SQL.format(
        buurt=_table(Buurt),
        wijk=_table(Wijk),
        scope=scope_sql,
        audit=audit_sql,
        keys=query.keys_sql,
        **_page_sql_parts(),
    )
    params = [code, *scope_params, *audit_params, *query.page_params(query.page)]
    with planned_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        raise NotVisible("Not found.")
    buurt = _timeline_buurt(*rows[0][:5])
    entries = [row[5:] for row in rows if row[5] is not None]
    return buurt, query.page_from(entries, user=user, buurt=buurt)


@dataclass
class _TimelineQuery:
    """One timeline request: the keys statement of its filters and the page asked for."""

    buurt_code: str
    keys_sql: str
    keys_params: list
    topics: dict[int, Topic]
    page: int
    page_size: int

    @classmethod
    def make(cls, *, buurt_code: str, topic: str = "", page: int = 1, page_size: int = 25, **filters) -> _TimelineQuery:
        """`filters`: date_from, date_to, worker_id and channel, as `_timeline_keys` takes them."""
        topics = {t.pk: t for t in topic_catalogue()}
        topic_id = None
        if topic:
            topic_id = next((t.pk for t in topics.values() if t.slug == topic), 0)  # 0: no topic has it, no rows
        keys_sql, keys_params = _timeline_keys(buurt_code=buurt_code, topic_id=topic_id, **filters)
        return cls(buurt_code, keys_sql, keys_params, topics, max(1, page), page_size)

    def page_params(self, number: int) -> list:
        offset = (number - 1) * self.page_size
        return [*self.keys_params, self.page_size, offset, *self.keys_params, self.buurt_code, self.buurt_code]

    def rows(self, number: int) -> list[tuple]:
        sql = _TIMELINE_PAGE_SQL.format(keys=self.keys_sql, **_page_sql_parts())
        with planned_cursor() as cursor:
            cursor.execute(sql, self.page_params(number))
            return cursor.fetchall()

    def page_from(self, rows: list[tuple], *, user, buurt: Buurt) -> TimelinePage:
        """The page of these rows (of `_PAGE_SELECT`); past the end (an old link), the last page instead."""
        page = self.page
        if not rows and page > 1:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({self.keys_sql}) k", self.keys_params)
                (total,) = cursor.fetchone()
            page = max(1, -(-total // self.page_size))
            rows = self.rows(page) if total else []
        rows = _utc_rows(rows)
        total = rows[0][3] if rows else 0
        entries = _timeline_entries(rows, self.topics)
        if rows:
            workers = rows[0][14]
            workers = _sorted_workers(json.loads(workers) if isinstance(workers, str) else workers or [])
        else:
            workers = buurt_workers(user=user, buurt=buurt)
        return TimelinePage(entries=entries, total=total, number=page, page_size=self.page_size, workers=workers)


def _timeline_entries(rows: list[tuple], topics: dict[int, Topic]) -> list[TimelineEntry]:
    channel_labels = {value: str(label) for value, label in Channel.choices}  # translated once, not per row
    status_labels = {value: str(label) for value, label in Signal.Status.choices}
    entries = []
    for (
        kind,
        pk,
        occurred_at,
        _total,
        channel_value,
        contact_note,
        needs_follow_up,
        resident_id,
        resident_label,
        signal_note,
        status,
        topic_id,
        worker_name,
        topic_ids,
        _workers,
    ) in rows:
        if kind == "contact":
            ids = {int(i) for i in topic_ids.split(",")} if topic_ids else set()
            contact = {
                "id": pk,
                "occurred_at": occurred_at,
                "channel": channel_value,
                "channel_label": channel_labels.get(channel_value, channel_value),
                "note": contact_note,
                "needs_follow_up": bool(needs_follow_up),
                "resident_id": resident_id,
                "resident_label": resident_label,
                "worker_name": worker_name,
                "topics": [t for t in topics.values() if t.pk in ids],
            }
            entries.append(TimelineEntry(kind=kind, occurred_at=occurred_at, contact=contact))
        else:
            signal = {
                "id": pk,
                "occurred_at": occurred_at,
                "note": signal_note,
                "status": status,
                "status_label": status_labels.get(status, status),
                "topic": topics.get(topic_id),
                "worker_name": worker_name,
            }
            entries.append(TimelineEntry(kind=kind, occurred_at=occurred_at, signal=signal))
    return entries


def _workers_sql() -> str:
    """The workers who logged something in a buurt (two `%s`: the buurt code twice), as (id, full_name) rows.

    The distinct worker ids of both tables (through the buurt indexes), then their names by primary key.
    PostgreSQL gets the ids as an array first: with IN it estimates a worker per row of the buurt and hashes
    the whole user table."""
    from nabij.accounts.models import User

    ids = (
        f"SELECT worker_id FROM {_table(ContactMoment)} WHERE buurt_id = %s AND worker_id IS NOT NULL "
        f"UNION SELECT worker_id FROM {_table(Signal)} WHERE buurt_id = %s AND worker_id IS NOT NULL"
    )
    wanted = f"= ANY(ARRAY({ids}))" if connection.vendor == "postgresql" else f"IN ({ids})"
    return f"SELECT u.id, u.full_name FROM {_table(User)} u WHERE u.id {wanted}"


def _workers_json_sql() -> str:
    """`_workers_sql` as one JSON array of [id, name] pairs, for a column of the timeline statement."""
    if connection.vendor == "postgresql":
        return f"SELECT json_agg(json_build_array(w.id, w.full_name)) FROM ({_workers_sql()}) w"
    return f"SELECT json_group_array(json_array(w.id, w.full_name)) FROM ({_workers_sql()}) w"


def _sorted_workers(rows) -> list[tuple[int, str]]:
    return sorted(((int(pk), name) for pk, name in rows), key=lambda worker: (worker[1], worker[0]))


def buurt_workers(*, user, buurt: Buurt) -> list[tuple[int, str]]:
    """The workers who logged something in this buurt, for the timeline filter (the timeline's own statement
    brings them along; this is for a page without rows)."""
    if not permissions.can_view_contact_moments(user):
        return []
    with connection.cursor() as cursor:
        cursor.execute(_workers_sql(), [buurt.pk, buurt.pk])
        return _sorted_workers(cursor.fetchall())


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


RESIDENT_PICKER_SIZE = 20


def resident_recent(*, user, buurt: str, include: int | None = None, limit: int = RESIDENT_PICKER_SIZE) -> list:
    """The picker without JavaScript: the buurt's residents with the most recent contacts first (then the newest
    registered), at most `limit`, plus the resident `include` (the one already chosen) when visible."""
    if not buurt or not permissions.can_view_contact_moments(user):
        return []
    qs = (
        Resident.objects.filter(permissions.scope_filter(user), buurt_id=buurt.upper())
        .annotate(last_contact=Max("contact_moments__occurred_at"))
        .order_by(F("last_contact").desc(nulls_last=True), "-created_at")
        .only("id", "label")
    )
    residents = list(qs[:limit])
    if include and all(r.pk != include for r in residents):
        chosen = Resident.objects.filter(permissions.scope_filter(user), pk=include).only("id", "label").first()
        if chosen is not None:
            residents.insert(0, chosen)
    return residents


def resident_search(*, user, query: str, buurt: str = "", limit: int = RESIDENT_PICKER_SIZE) -> list:
    """Residents in the user's scope whose label contains the words of `query` (own buurt first), for the
    capture form's resident search."""
    words = [w for w in query.split() if w][:5]
    if not words or not permissions.can_view_contact_moments(user):
        return []
    qs = Resident.objects.filter(permissions.scope_filter(user))
    for word in words:
        qs = qs.filter(label__icontains=word)
    own_first = Case(When(buurt_id=(buurt or "").upper(), then=Value(0)), default=Value(1))
    return list(qs.order_by(own_first, "label").only("id", "label")[:limit])


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
