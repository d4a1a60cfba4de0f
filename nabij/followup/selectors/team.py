"""Coordinators' reads: the team view and the learning dashboard — counts about their own organisation's work,
through the promise and referral policies (`nabij.core.access.followup`); cells outside the coordinator's area
follow the small-cell rule. Another organisation's records never count here, also not when an agreement shares them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from nabij.core import permissions
from nabij.core.access import audit_read
from nabij.core.access.followup import own_organisation_q, promise_policy, referral_policy
from nabij.followup import rules
from nabij.followup.models import Promise, Referral
from nabij.privacy import smallcells

if TYPE_CHECKING:
    from nabij.accounts.models import User
    from nabij.core.access import RecordPolicy

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


def _own_visible(policy: RecordPolicy, user: User) -> Q:
    """The user's own organisation's records they may see: what the team view lists and the rates count."""
    return policy.filter(user) & own_organisation_q(user)


def _rate(numerator: int, denominator: int, *, in_scope: bool) -> tuple[int | str, int | str, float | None]:
    shown_num = smallcells.shown_count(numerator, in_scope=in_scope)
    shown_den = smallcells.shown_count(denominator, in_scope=in_scope)
    if not denominator or (not in_scope and smallcells.is_small(denominator)):
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
    not managed, or still open past their due date; open promises not yet due do not count
    (`rules.counts_for_kept_on_time`). Kept on time: kept on or before the due date, Europe/Amsterdam
    (`rules.is_kept_on_time`)."""
    start = _month_start(today, months - 1)
    rows = (
        qs.filter(rules.counts_for_kept_on_time_q(today=today), due_date__gte=start)
        .annotate(month=TruncMonth("due_date"))
        .values("month")
        .annotate(total=Count("id"), on_time=Count("id", filter=rules.kept_on_time_q()))
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


def team_overview(*, user: User, today: date | None = None) -> TeamOverview:
    """Open and overdue promises per worker and buurt, the handed-over ones, and the kept-on-time rate per month.
    Cells for buurten outside the coordinator's scope follow the small-cell rule (`promise_policy.team_q`). The
    listed hand-overs are audited."""
    if not permissions.can_view_followup_team(user):
        return TeamOverview(rows=[], handed_over=[], months=[])
    today = today or rules.local_today()
    qs = Promise.objects.filter(promise_policy.team_q(user))
    codes = permissions.visible_buurt_codes(user)
    national = permissions.has_national_scope(user)
    grouped = (
        qs.filter(status__in=rules.PROMISE_ACTIVE)
        .values("owner_id", "owner__full_name", "buurt_id", "buurt__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=rules.promise_overdue_q(today=today)))
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
    listed = Promise.objects.filter(_own_visible(promise_policy, user))
    handed_over = list(
        listed.filter(status=Promise.Status.OVERGEDRAGEN)
        .select_related("owner", "buurt")
        .defer("buurt__geometry")
        .order_by("due_date", "id")[:50]
    )
    months = kept_on_time_by_month(listed, today=today)
    audit_read(
        user=user,
        policy=promise_policy,
        records=handed_over,
        object_type="promise_team",
        detail={"rows": len(rows), "handed_over": len(handed_over)},
    )
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


def learning_dashboard(*, user: User, today: date | None = None, days: int = 180) -> Learning:
    """For learning, not ranking: per worker, team and buurt the kept-on-time rate (of decided promises due in
    the period), the median days from promise to kept, the share of referrals with hearing back and with outcome
    "geholpen". Only their own organisation's promises and referrals they may see count (their scope), so no small
    cells apply. Audited (worker names and counts, no residents)."""
    today = today or rules.local_today()
    start = today - timedelta(days=days)
    empty = Learning(workers=[], teams=[], buurten=[], total=_learning_row("", [], []), months=[], period_start=start)
    if not permissions.can_view_followup_team(user):
        return empty
    promise_scope = _own_visible(promise_policy, user)
    counted = rules.counts_for_kept_on_time_q(today=today)
    promise_rows = list(
        Promise.objects.filter(promise_scope, counted, due_date__gte=start).values_list(
            "owner__full_name", "owner__team__name", "buurt__name", "status", "created_at", "kept_at", "due_date"
        )
    )
    referral_rows = list(
        Referral.objects.filter(_own_visible(referral_policy, user), created_at__date__gte=start).values_list(
            "worker__full_name", "worker__team__name", "buurt__name", "status", "heard_back_at"
        )
    )
    groups: dict[int, tuple[dict, dict]] = {}
    for index in range(3):
        by_promise: dict[str, list] = defaultdict(list)
        by_referral: dict[str, list] = defaultdict(list)
        # The first three columns of both are the names grouped by: worker, team, buurt.
        for row in promise_rows:
            by_promise[row[:3][index] or "—"].append(row)
        for referral_row in referral_rows:
            by_referral[referral_row[:3][index] or "—"].append(referral_row)
        groups[index] = (by_promise, by_referral)

    def rows_for(index: int) -> list[LearningRow]:
        by_promise, by_referral = groups[index]
        labels = sorted(set(by_promise) | set(by_referral))
        return [_learning_row(label, by_promise.get(label, []), by_referral.get(label, [])) for label in labels]

    scoped = Promise.objects.filter(promise_scope)
    audit_read(user=user, policy=promise_policy, records=[], object_type="followup_learning", detail={})
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
            days_to_keep.append((timezone.localdate(kept_at) - timezone.localdate(created_at)).days)
        if rules.is_kept_on_time(status=status, kept_at=kept_at, due_date=due_date):
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
