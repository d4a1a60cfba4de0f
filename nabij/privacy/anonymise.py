"""Small tools the domain apps' erase functions share: what stays of an erased record must carry no personal
data, and an erasure must not be undone by an edit form that was open at the time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import F, QuerySet
from django.utils import timezone


def week_start_of(moment: datetime) -> datetime:
    """Monday 00:00 (project time zone) of the ISO week `moment` falls in: an erased contact keeps its week, so
    weekly theme counts keep their history, but not the day or hour it happened."""
    day: date = timezone.localtime(moment).date()
    monday = day - timedelta(days=day.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def update_per_week(qs: QuerySet, rows: Iterable[tuple[int, datetime]], fields: Iterable[str], **values) -> None:
    """One UPDATE per distinct week: set `values`, and every one of `fields` to the Monday of the row's week."""
    by_week: dict[datetime, list[int]] = defaultdict(list)
    for pk, moment in rows:
        by_week[week_start_of(moment)].append(pk)
    for monday, pks in by_week.items():
        qs.model._default_manager.filter(pk__in=pks).update(**values, **dict.fromkeys(fields, monday))


def versioned(model, **values) -> dict:
    """`values` plus a raised version for a `Versioned` model: a form opened before the erasure is then stale
    and cannot write the erased text back (nabij.core.concurrency)."""
    if any(f.name == "version" for f in model._meta.concrete_fields):
        values["version"] = F("version") + 1
    return values
