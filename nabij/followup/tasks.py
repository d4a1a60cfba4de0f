"""Background work of the follow-up app (django.tasks, run by `manage.py db_worker`)."""

from __future__ import annotations

from datetime import date

from django.tasks import task


@task
def digest_run_task(day: str) -> int:
    """The morning digest for `day` (ISO date). It first enqueues the next morning's run (unless one is already
    waiting), so that a crash or restart halfway does not break the chain; people already served that day are
    skipped (DigestSent), so running it twice sends nobody a second digest."""
    from nabij.followup import services
    from nabij.followup.scheduling import digest_schedule_ensure

    digest_schedule_ensure()
    return services.digest_send_all(day=date.fromisoformat(day))
