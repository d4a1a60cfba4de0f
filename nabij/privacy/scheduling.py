"""When the retention purge runs: a daily task that re-enqueues itself for the next night, as the morning digest
does (docs/decisions/0300-followup-digest-scheduling.md, 0020-retention.md).

`retention_schedule_ensure()` is called after every `migrate` and by each run; it enqueues the chain only when no
purge run is waiting yet, so running it again never starts a second chain. Backends that cannot defer work (the
immediate backend in tests) get no chain.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.tasks import default_task_backend
from django.utils import timezone

logger = logging.getLogger(__name__)

RETENTION_TASK_PATH = "nabij.privacy.tasks.retention_purge_task"


def retention_hour() -> int:
    return min(max(int(getattr(settings, "NABIJ_RETENTION_HOUR", 3)), 0), 23)


def next_retention_run(now: datetime | None = None) -> datetime:
    """The next local night at the purge hour: today if it has not passed yet, else tomorrow."""
    now = timezone.localtime(now or timezone.now())
    at = timezone.make_aware(datetime.combine(now.date(), time(hour=retention_hour())))
    if at <= now:
        at = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time(hour=retention_hour())))
    return at


def _waiting_run_exists() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another deferring backend: trust the caller
        return False
    return DBTaskResult.objects.filter(task_path=RETENTION_TASK_PATH, status="READY").exists()


def retention_schedule_ensure(*, using: str | None = None, now: datetime | None = None) -> bool:
    """Enqueue the next night's purge unless one is already waiting. Returns whether it enqueued."""
    if (using or DEFAULT_DB_ALIAS) != DEFAULT_DB_ALIAS or not default_task_backend.supports_defer:
        return False
    try:
        if _waiting_run_exists():
            return False
    except Exception:  # the tasks table may not exist yet during the very first migrate of another app
        logger.info("Retention schedule not ensured: task table not ready.")
        return False
    from nabij.privacy.tasks import retention_purge_task

    retention_purge_task.using(run_after=next_retention_run(now)).enqueue()
    return True
