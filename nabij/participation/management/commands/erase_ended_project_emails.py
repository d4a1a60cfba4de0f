"""Run daily (cron/systemd timer): queue the erasure of e-mail addresses of ended projects."""

from django.core.management.base import BaseCommand

from nabij.participation.tasks import ended_projects_emails_erase_task


class Command(BaseCommand):
    help = "Erase residents' e-mail addresses of ended participation projects (queued as a task)."

    def handle(self, *args, **options):
        result = ended_projects_emails_erase_task.enqueue()
        self.stdout.write(f"queued {result.id}")
