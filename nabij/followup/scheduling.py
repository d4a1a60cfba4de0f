"""When the morning digest runs: a task that re-enqueues itself for the next morning (docs/decisions/0300).

`digest_schedule_ensure()` is called after every `migrate` and by `manage.py schedule_digests`; it enqueues the
chain only when no digest run is waiting yet, so running it again never starts a second chain. Backends that
cannot defer work (the immediate backend in tests) get no chain at all.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.tasks import default_task_backend
from django.utils import timezone

logger = logging.getLogger(__name__)

DIGEST_TASK_PATH = "nabij.followup.tasks.digest_run_task"


def digest_hour() -> int:
    hour = int(getattr(settings, "NABIJ_DIGEST_HOUR", 7))
    return min(max(hour, 0), 23)


def next_digest_run(now: datetime | None = None) -> tuple[date, datetime]:
    """The next local morning at the digest hour: today if it has not passed yet, else tomorrow."""
    now = timezone.localtime(now or timezone.now())
    day = now.date()
    at = timezone.make_aware(datetime.combine(day, time(hour=digest_hour())))
    if at <= now:
        day += timedelta(days=1)
        at = timezone.make_aware(datetime.combine(day, time(hour=digest_hour())))
    return day, at


def _waiting_run_exists() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another deferring backend: trust the caller
        return False
    return DBTaskResult.objects.filter(task_path=DIGEST_TASK_PATH, status="READY").exists()


def digest_schedule_ensure(*, using: str | None = None, now: datetime | None = None) -> bool:
    """Enqueue the next morning's digest run unless one is already waiting. Returns whether it enqueued."""
    if (using or DEFAULT_DB_ALIAS) != DEFAULT_DB_ALIAS or not default_task_backend.supports_defer:
        return False
    try:
        if _waiting_run_exists():
            return False
    except Exception:  # the tasks table may not exist yet during the very first migrate of another app
        logger.info("Digest schedule not ensured: task table not ready.")
        return False
    digest_enqueue_next(now=now)
    return True


def digest_enqueue_next(*, now: datetime | None = None) -> None:
    from nabij.followup.tasks import digest_run_task

    day, at = next_digest_run(now)
    digest_run_task.using(run_after=at).enqueue(day.isoformat())
