"""`manage.py db_worker`: django-tasks-db's worker with a heartbeat and the recovery of tasks of dead workers.

It replaces the package's command of the same name (nabij.core comes before django_tasks_db in INSTALLED_APPS),
so `make run`, deployments and docs keep using `db_worker` and every worker takes part (nabij.core.workers).
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from django_tasks_db.management.commands.db_worker import Command as PackageWorkerCommand

from nabij.core.workers import Heartbeat


class Command(PackageWorkerCommand):
    help = (
        "Run a database background worker; it records a heartbeat and runs again tasks left running by a worker "
        "that died (NABIJ_TASK_STALE_AFTER, NABIJ_TASK_HEARTBEAT)."
    )

    def handle(self, *args, worker_id: str, reload: bool, **options):
        # With --reload the parent process only watches files; the child that runs tasks beats.
        beats = not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        heartbeat = Heartbeat(worker_id=worker_id) if beats else None
        if heartbeat is not None:
            heartbeat.start()
        try:
            return super().handle(*args, worker_id=worker_id, reload=reload, **options)
        finally:
            if heartbeat is not None:
                heartbeat.stop()
