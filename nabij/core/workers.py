"""Work that survives a crash: heartbeats of the task workers and the recovery of tasks whose worker died.

django-tasks-db 0.13 marks a task RUNNING when a worker claims it and never looks at it again: a worker killed
mid-task (SIGKILL, out of memory, a host going down) leaves it RUNNING forever. Our `db_worker` (nabij.core's,
which replaces the package's) therefore records a heartbeat every NABIJ_TASK_HEARTBEAT seconds and, on every
heartbeat, puts back to READY each task that has been running for more than NABIJ_TASK_STALE_AFTER seconds and
whose last worker has not been seen for that long. A live worker then runs it again; tasks are written to be
safe to run twice (docs/decisions/0008, 0023).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from nabij.core.models import TaskWorker

logger = logging.getLogger(__name__)


def stale_after() -> timedelta:
    """How long a task may run without a live worker, and a digest claim may stay unsent (one setting)."""
    return timedelta(seconds=int(getattr(settings, "NABIJ_TASK_STALE_AFTER", 600)))


def worker_heartbeat(*, worker_id: str, now: datetime | None = None) -> None:
    """This worker is alive."""
    now = now or timezone.now()
    TaskWorker.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": now, "host": socket.gethostname()[:255], "pid": os.getpid()}
    )


def worker_stopped(*, worker_id: str) -> None:
    """A clean exit: forget the worker (a task it left running is recovered after the timeout as usual)."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def tasks_recover_stale(*, now: datetime | None = None) -> list[str]:
    """Put back to READY every task RUNNING for longer than the stale timeout whose worker sent no heartbeat for
    as long; returns their ids. Run by every live worker on each heartbeat, so the first one to notice takes it
    (row locks with SKIP LOCKED on PostgreSQL, the exclusive write lock on SQLite)."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    alive = set(TaskWorker.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    recovered: list[str] = []
    with exclusive_transaction(DBTaskResult.objects.db):
        running = DBTaskResult.objects.running().filter(started_at__lt=cutoff).select_for_update(skip_locked=True)
        for result in running:
            last_worker = result.worker_ids[-1] if result.worker_ids else None
            if last_worker in alive:
                continue  # slow, not dead
            result.status = TaskResultStatus.READY
            result.save(update_fields=["status"])
            recovered.append(str(result.id))
            logger.warning(
                "Task %s (%s) was left running by worker %s since %s; queued again.",
                result.id,
                result.task_path,
                last_worker,
                result.started_at,
            )
        TaskWorker.objects.filter(seen_at__lt=cutoff).delete()
    return recovered


class Heartbeat(threading.Thread):
    """A daemon thread beside the worker loop: heartbeat, then recovery, every NABIJ_TASK_HEARTBEAT seconds
    (the first at once, so a restarted worker picks up what its predecessor left). Errors are logged and retried
    at the next beat; a busy SQLite file only delays a beat."""

    def __init__(self, *, worker_id: str, interval: float | None = None):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval if interval is not None else int(getattr(settings, "NABIJ_TASK_HEARTBEAT", 30))
        self._stop_event = threading.Event()

    def beat(self) -> None:
        close_old_connections()
        worker_heartbeat(worker_id=self.worker_id)
        tasks_recover_stale()

    def run(self) -> None:
        try:
            while not self._stop_event.is_set():
                try:
                    self.beat()
                except Exception:
                    logger.exception("Heartbeat of worker %s failed", self.worker_id)
                self._stop_event.wait(self.interval)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout=5)
        try:
            worker_stopped(worker_id=self.worker_id)
        except Exception:
            logger.exception("Could not remove worker %s", self.worker_id)
