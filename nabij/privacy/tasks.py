"""Background work of the privacy app (django.tasks, run by `manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task


@task
def retention_purge_task() -> dict[str, int]:
    """The daily retention purge. It first enqueues tomorrow's run (unless one is waiting), so a crash halfway
    does not break the chain; running it twice erases nothing twice (what is erased no longer expires)."""
    from nabij.privacy.retention import retention_purge
    from nabij.privacy.scheduling import retention_schedule_ensure

    retention_schedule_ensure()
    return retention_purge()
