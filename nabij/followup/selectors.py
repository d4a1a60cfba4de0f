"""Reads of the follow-up app, always through the user's area scope (nabij.core.permissions).

A promise or referral is visible to its owner (also after a hand-over into a buurt outside their scope) and to
staff who see personal data in its buurt. Callers audit reads of lists (personal data).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from nabij.accounts.models import User
from nabij.core import permissions
from nabij.core.exceptions import NotVisible
from nabij.core.sql import planned_cursor
from nabij.followup import rules
from nabij.followup.models import Promise, PromiseHandover, Referral
from nabij.privacy import smallcells

API_STATUS = {
    "open": Q(status__in=rules.PROMISE_ACTIVE),
    "nagekomen": Q(status=Promise.Status.NAGEKOMEN),
    "niet-gelukt": Q(status=Promise.Status.NIET_GELUKT),
    "overgedragen": Q(status=Promise.Status.OVERGEDRAGEN),
}


def _visible(model, user) -> Q:
    owner_field = "owner" if model is Promise else "worker"
    if not permissions.can_use_followup(user):
        return Q(pk__in=[])
    return Q(**{owner_field: user.pk}) | permissions.scope_filter(user)


def promise_list(
    *, user, status: str = "", owner_id: int | None = None, today: date | None = None
) -> QuerySet[Promise]:
    """Promises the user may see. `status` is an API word: open (incl. handed over), te-laat (open and past its
    due date), nagekomen, niet-gelukt, overgedragen."""
    today = today or rules.local_today()
    qs = Promise.objects.filter(_visible(Promise, user))
    if status == "te-laat":
        qs = qs.filter(status__in=rules.PROMISE_ACTIVE, due_date__lt=today)
    elif status in API_STATUS:
        qs = qs.filter(API_STATUS[status])
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return (
        qs.select_related("owner", "buurt", "resident", "initiative")
        .defer("buurt__geometry")
        .order_by("due_date", "id")
    )


def promise_get(*, user, pk: int) -> Promise:
    promise = (
        Promise.objects.select_related("owner", "buurt", "resident", "initiative", "contact_moment")
        .defer("buurt__geometry")
        .filter(pk=pk)
        .first()
    )
    if promise is None or not permissions.can_view_followup_item(user, promise):
        raise NotVisible("Not found.")
    return promise


def handovers_for(*, promise: Promise) -> QuerySet[PromiseHandover]:
    return promise.handovers.select_related("from_user", "to_user", "by")


def referral_list(*, user, status: str = "", overdue: bool = False, today: date | None = None) -> QuerySet[Referral]:
    """Referrals the user may see; `overdue`: navragen date passed and nothing final heard yet."""
    today = today or rules.local_today()
    qs = Referral.objects.filter(_visible(Referral, user))
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=rules.REFERRAL_TO_CHECK, navragen_op__lt=today)
    return (
        qs.select_related("provider", "topic", "buurt", "resident", "worker")
        .defer("buurt__geometry")
        .order_by("navragen_op", "id")
    )


def referral_get(*, user, pk: int) -> Referral:
    referral = referral_list(user=user).filter(pk=pk).first()
    if referral is None or not permissions.can_view_followup_item(user, referral):
        raise NotVisible("Not found.")
    return referral


# "Mijn beloftes" -------------------------------------------------------------------------------------------


@dataclass
class MyFollowup:
    today: date
    overdue: list[Promise] = field(default_factory=list)
    due_today: list[Promise] = field(default_factory=list)
    this_week: list[Promise] = field(default_factory=list)
    later: list[Promise] = field(default_factory=list)
    referrals_overdue: list[Referral] = field(default_factory=list)
    referrals_today: list[Referral] = field(default_factory=list)

    @property
    def badge_count(self) -> int:
        return len(self.overdue) + len(self.due_today) + len(self.referrals_overdue) + len(self.referrals_today)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_today or self.this_week or self.later or self.referrals_overdue)


def my_followup(*, user, today: date | None = None) -> MyFollowup:
    """The worker's own open promises in the order they need attention: overdue (oldest first), due today, due
    this week, later; beside them the referrals whose navragen date has come."""
    today = today or rules.local_today()
    week_end = rules.end_of_week(today)
    result = MyFollowup(today=today)
    promises = (
        Promise.objects.filter(owner=user, status__in=rules.PROMISE_ACTIVE)
        .select_related("buurt", "resident", "initiative")
        .only(
            "id",
            "description",
            "due_date",
            "status",
            "group_label",
            "buurt__name",
            "buurt__code",
            "resident__label",
            "initiative__name",
            "owner_id",
            "buurt_id",
            "resident_id",
            "initiative_id",
        )
        .order_by("due_date", "id")
    )
    for promise in promises:
        if promise.due_date < today:
            result.overdue.append(promise)
        elif promise.due_date == today:
            result.due_today.append(promise)
        elif promise.due_date <= week_end:
            result.this_week.append(promise)
        else:
            result.later.append(promise)
    referrals = (
        Referral.objects.filter(worker=user, status__in=rules.REFERRAL_TO_CHECK, navragen_op__lte=today)
        .select_related("provider", "topic", "resident", "buurt")
        .defer("buurt__geometry")
        .order_by("navragen_op", "id")
    )
    for referral in referrals:
        (result.referrals_overdue if referral.navragen_op < today else result.referrals_today).append(referral)
    return result


def _due_promises(today: date) -> Q:
    return Q(status__in=rules.PROMISE_ACTIVE, due_date__lte=today)


def _due_referrals(today: date) -> Q:
    return Q(status__in=rules.REFERRAL_TO_CHECK, navragen_op__lte=today)


# Written out once: the badge is counted on every page, and building it with the ORM (two correlated subqueries)
# cost more than running it. Both counts use the (owner/worker, status, date) indexes.
_BADGE_SQL = (
    "SELECT (SELECT COUNT(*) FROM {promise} WHERE owner_id = %s AND status IN ({promise_statuses}) AND due_date <= %s)"
    " + (SELECT COUNT(*) FROM {referral} WHERE worker_id = %s AND status IN ({referral_statuses})"
    " AND navragen_op <= %s)"
)


def badge_count(*, user, today: date | None = None) -> int:
    """The in-app badge: overdue and today's promises plus referrals to check back on — the digest's count.
    One query, kept planned on PostgreSQL (core.sql.planned_cursor), as it is shown in the menu of every page."""
    if not permissions.can_use_followup(user):
        return 0
    today = today or rules.local_today()
    promise_statuses = sorted(rules.PROMISE_ACTIVE)
    referral_statuses = sorted(rules.REFERRAL_TO_CHECK)
    sql = _BADGE_SQL.format(
        promise=connection.ops.quote_name(Promise._meta.db_table),
        referral=connection.ops.quote_name(Referral._meta.db_table),
        promise_statuses=", ".join(["%s"] * len(promise_statuses)),
        referral_statuses=", ".join(["%s"] * len(referral_statuses)),
    )
    with planned_cursor() as cursor:
        cursor.execute(sql, [user.pk, *promise_statuses, today, user.pk, *referral_statuses, today])
        (count,) = cursor.fetchone()
    return count or 0


@dataclass
class DigestItems:
    overdue: list[Promise]
    due_today: list[Promise]
    referrals: list[Referral]

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_today) + len(self.referrals)


def digest_items_for(*, user, today: date) -> DigestItems:
    promises = list(
        Promise.objects.filter(_due_promises(today), owner=user)
        .select_related("buurt")
        .only("id", "description", "due_date", "buurt__name")
        .order_by("due_date", "id")
    )
    referrals = list(
        Referral.objects.filter(_due_referrals(today), worker=user)
        .select_related("provider", "topic")
        .only("id", "navragen_op", "provider__name", "topic__label")
        .order_by("navragen_op", "id")
    )
    return DigestItems(
        overdue=[p for p in promises if p.due_date < today],
        due_today=[p for p in promises if p.due_date == today],
        referrals=referrals,
    )


def digest_items_by_user(
    *, today: date, user_ids: set[int] | None = None, unserved_only: bool = False
) -> dict[int, DigestItems]:
    """Everything due on `today` for everyone at once, grouped by owner: two queries for the whole morning run
    instead of two per person (the digest job serves thousands of workers). `unserved_only` leaves out people
    whose digest for `today` is already claimed, so a second run reads next to nothing."""
    from nabij.followup.models import DigestSent

    promises = Promise.objects.filter(_due_promises(today)).select_related("buurt")
    referrals = Referral.objects.filter(_due_referrals(today)).select_related("provider", "topic")
    if unserved_only:
        served = DigestSent.objects.filter(day=today).values("user_id")
        promises = promises.exclude(owner_id__in=served)
        referrals = referrals.exclude(worker_id__in=served)
    if user_ids is not None:
        promises = promises.filter(owner_id__in=user_ids)
        referrals = referrals.filter(worker_id__in=user_ids)
    result: dict[int, DigestItems] = {}

    def items(user_id: int) -> DigestItems:
        if user_id not in result:
            result[user_id] = DigestItems(overdue=[], due_today=[], referrals=[])
        return result[user_id]

    for promise in promises.only("id", "owner_id", "description", "due_date", "buurt__name").order_by(
        "owner_id", "due_date", "id"
    ):
        bucket = items(promise.owner_id)
        (bucket.overdue if promise.due_date < today else bucket.due_today).append(promise)
    for referral in referrals.only("id", "worker_id", "navragen_op", "provider__name", "topic__label").order_by(
        "worker_id", "navragen_op", "id"
    ):
        items(referral.worker_id).referrals.append(referral)
    return result


def digest_recipients(
    *, today: date, extra_ids: set[int] | frozenset[int] = frozenset(), everyone: bool = False
) -> QuerySet[User]:
    """Active workers with at least one overdue or due promise or referral to check, and no digest yet today.
    `extra_ids` (people a registered digest section names) and `everyone` (a section that names nobody, so all
    who work with residents are asked) add people without anything due; the sender drops those whose sections
    turn out empty."""
    from nabij.followup.models import DigestSent

    wanted = Exists(Promise.objects.filter(_due_promises(today), owner=OuterRef("pk"))) | Exists(
        Referral.objects.filter(_due_referrals(today), worker=OuterRef("pk"))
    )
    if everyone:
        wanted = ~Q(role__in=["analist", ""])
    elif extra_ids:
        wanted |= Q(pk__in=extra_ids)
    return (
        User.objects.filter(is_active=True)
        .filter(wanted)
        .exclude(Exists(DigestSent.objects.filter(user=OuterRef("pk"), day=today)))
        .order_by("pk")
    )


# Team view -------------------------------------------------------------------------------------------------


@dataclass
class TeamRow:
    worker: str
    buurt: str
    in_scope: bool
    open: int | str
    overdue: int | str


@dataclass
class MonthRate:
    month: date
    kept_on_time: int | str
    denominator: int | str
    rate: float | None


@dataclass
class TeamOverview:
    rows: list[TeamRow]
    handed_over: list[Promise]
    months: list[MonthRate]


def _team_q(user) -> Q:
    """What a coordinator's team view covers: the buurten of their scope, and their own team's promises."""
    q = permissions.scope_filter(user)
    if user.team_id is not None:
        q |= Q(owner__team_id=user.team_id)
    return q


def _rate(numerator: int, denominator: int, *, in_scope: bool) -> tuple[int | str, int | str, float | None]:
    shown_num = smallcells.shown_count(numerator, in_scope=in_scope)
    shown_den = smallcells.shown_count(denominator, in_scope=in_scope)
    if not denominator or (not in_scope and denominator < smallcells.threshold()):
        return shown_num, shown_den, None
    return shown_num, shown_den, 100.0 * numerator / denominator


def _month_start(day: date, months_back: int) -> date:
    year, month = day.year, day.month - months_back
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def kept_on_time_by_month(qs: QuerySet[Promise], *, today: date, months: int = 6) -> list[MonthRate]:
    """Kept-on-time rate per month of the due date. Denominator: promises due that month that are decided — kept,
    not managed, or still open past their due date; open promises not yet due do not count. Kept on time: kept on
    or before the due date (Europe/Amsterdam)."""
    start = _month_start(today, months - 1)
    decided = Q(status__in=[Promise.Status.NAGEKOMEN, Promise.Status.NIET_GELUKT]) | Q(due_date__lt=today)
    rows = (
        qs.filter(decided, due_date__gte=start, due_date__lte=today)
        .annotate(month=TruncMonth("due_date"))
        .values("month")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=Q(status=Promise.Status.NAGEKOMEN, kept_at__date__lte=F("due_date"))),
        )
        .order_by("month")
    )
    found = {row["month"]: row for row in rows}
    result = []
    for back in range(months - 1, -1, -1):
        month = _month_start(today, back)
        row = found.get(month, {"total": 0, "on_time": 0})
        num, den, rate = _rate(row["on_time"], row["total"], in_scope=True)
        result.append(MonthRate(month=month, kept_on_time=num, denominator=den, rate=rate))
    return result


def team_overview(*, user, today: date | None = None) -> TeamOverview:
    """Open and overdue promises per worker and buurt, the handed-over ones, and the kept-on-time rate per month.
    Cells for buurten outside the coordinator's scope follow the small-cell rule."""
    if not permissions.can_view_followup_team(user):
        return TeamOverview(rows=[], handed_over=[], months=[])
    today = today or rules.local_today()
    qs = Promise.objects.filter(_team_q(user))
    codes = permissions.visible_buurt_codes(user)
    national = permissions.has_national_scope(user)
    grouped = (
        qs.filter(status__in=rules.PROMISE_ACTIVE)
        .values("owner_id", "owner__full_name", "buurt_id", "buurt__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by("owner__full_name", "buurt__name")
    )
    rows = []
    for row in grouped:
        in_scope = national or row["buurt_id"] in codes
        rows.append(
            TeamRow(
                worker=row["owner__full_name"],
                buurt=row["buurt__name"],
                in_scope=in_scope,
                open=smallcells.shown_count(row["open"], in_scope=in_scope),
                overdue=smallcells.shown_count(row["overdue"], in_scope=in_scope),
            )
        )
    handed_over = list(
        qs.filter(permissions.scope_filter(user), status=Promise.Status.OVERGEDRAGEN)
        .select_related("owner", "buurt")
        .defer("buurt__geometry")
        .order_by("due_date", "id")[:50]
    )
    months = kept_on_time_by_month(qs.filter(permissions.scope_filter(user)), today=today)
    return TeamOverview(rows=rows, handed_over=handed_over, months=months)


# Learning dashboard ----------------------------------------------------------------------------------------


@dataclass
class LearningRow:
    label: str
    promises_decided: int
    kept_on_time: int
    kept_on_time_rate: float | None
    median_days_to_keep: float | None
    referrals: int
    heard_back: int
    heard_back_rate: float | None
    helped: int
    helped_rate: float | None


@dataclass
class Learning:
    workers: list[LearningRow]
    teams: list[LearningRow]
    buurten: list[LearningRow]
    total: LearningRow
    months: list[MonthRate]
    period_start: date


def _pct(numerator: int, denominator: int) -> float | None:
    return 100.0 * numerator / denominator if denominator else None


def learning_dashboard(*, user, today: date | None = None, days: int = 180) -> Learning:
    """For learning, not ranking: per worker, team and buurt the kept-on-time rate (of decided promises due in
    the period), the median days from promise to kept, the share of referrals with hearing back and with outcome
    "geholpen". Only promises and referrals in the coordinator's scope count, so no small cells apply."""
    today = today or rules.local_today()
    start = today - timedelta(days=days)
    empty = Learning(workers=[], teams=[], buurten=[], total=_learning_row("", [], []), months=[], period_start=start)
    if not permissions.can_view_followup_team(user):
        return empty
    scope = permissions.scope_filter(user)
    decided = Q(status__in=[Promise.Status.NAGEKOMEN, Promise.Status.NIET_GELUKT]) | Q(due_date__lt=today)
    promise_rows = list(
        Promise.objects.filter(scope, decided, due_date__gte=start, due_date__lte=today).values_list(
            "owner__full_name", "owner__team__name", "buurt__name", "status", "created_at", "kept_at", "due_date"
        )
    )
    referral_rows = list(
        Referral.objects.filter(scope, created_at__date__gte=start).values_list(
            "worker__full_name", "worker__team__name", "buurt__name", "status", "heard_back_at"
        )
    )
    groups: dict[int, tuple[dict, dict]] = {}
    for index in range(3):
        by_promise: dict[str, list] = defaultdict(list)
        by_referral: dict[str, list] = defaultdict(list)
        for row in promise_rows:
            by_promise[row[index] or "—"].append(row)
        for row in referral_rows:
            by_referral[row[index] or "—"].append(row)
        groups[index] = (by_promise, by_referral)

    def rows_for(index: int) -> list[LearningRow]:
        by_promise, by_referral = groups[index]
        labels = sorted(set(by_promise) | set(by_referral))
        return [_learning_row(label, by_promise.get(label, []), by_referral.get(label, [])) for label in labels]

    scoped = Promise.objects.filter(scope)
    return Learning(
        workers=rows_for(0),
        teams=rows_for(1),
        buurten=rows_for(2),
        total=_learning_row("", promise_rows, referral_rows),
        months=kept_on_time_by_month(scoped, today=today),
        period_start=start,
    )


def _learning_row(label: str, promises: list, referrals: list) -> LearningRow:
    from django.utils import timezone

    kept_on_time = 0
    days_to_keep = []
    for _worker, _team, _buurt, status, created_at, kept_at, due_date in promises:
        if status == Promise.Status.NAGEKOMEN and kept_at is not None:
            kept_day = timezone.localdate(kept_at)
            days_to_keep.append((kept_day - timezone.localdate(created_at)).days)
            if kept_day <= due_date:
                kept_on_time += 1
    heard_back = sum(1 for row in referrals if row[4] is not None)
    helped = sum(1 for row in referrals if row[3] == Referral.Status.GEHOLPEN)
    return LearningRow(
        label=label,
        promises_decided=len(promises),
        kept_on_time=kept_on_time,
        kept_on_time_rate=_pct(kept_on_time, len(promises)),
        median_days_to_keep=statistics.median(days_to_keep) if days_to_keep else None,
        referrals=len(referrals),
        heard_back=heard_back,
        heard_back_rate=_pct(heard_back, len(referrals)),
        helped=helped,
        helped_rate=_pct(helped, len(referrals)),
    )


def team_colleagues(*, user) -> QuerySet[User]:
    """Colleagues a promise may be handed to: the user's team (or organisation), who work with residents."""
    qs = User.objects.filter(is_active=True).exclude(role__in=["analist", ""]).order_by("full_name")
    if user.is_superuser:
        return qs
    if user.team_id is not None:
        return qs.filter(team_id=user.team_id)
    if user.organisation_id is not None:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.filter(pk=user.pk)
