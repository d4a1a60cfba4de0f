"""Background work: the daily sweep that erases residents' e-mail addresses of ended projects."""

from django.tasks import task

from nabij.participation import services


@task
def ended_projects_emails_erase_task() -> int:
    """Idempotent: a second run finds nothing left to erase."""
    return services.ended_projects_emails_erase()
