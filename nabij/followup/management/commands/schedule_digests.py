from django.core.management.base import BaseCommand, CommandError

from nabij.followup.rules import local_today
from nabij.followup.scheduling import digest_hour, digest_schedule_ensure, next_digest_run


class Command(BaseCommand):
    help = (
        "Make sure the morning follow-up digest is scheduled (a task that re-enqueues itself each morning at "
        "NABIJ_DIGEST_HOUR). Safe to run again: it never starts a second chain. --now sends today's digests at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Send today's digests now (nobody gets two).")

    def handle(self, *args, now=False, **options):
        if now:
            from nabij.followup.tasks import digest_run_task

            result = digest_run_task.enqueue(local_today().isoformat())
            self.stdout.write(f"Digest van vandaag in de wachtrij gezet ({result.id}).")
            return
        try:
            enqueued = digest_schedule_ensure()
        except Exception as exc:  # pragma: no cover - a broken task backend
            raise CommandError(f"Kon de ochtendmail niet inplannen: {exc}") from exc
        day, at = next_digest_run()
        if enqueued:
            self.stdout.write(f"Ochtendmail ingepland voor {at:%Y-%m-%d %H:%M} (elke dag om {digest_hour()}:00).")
        else:
            self.stdout.write(
                f"Ochtendmail stond al ingepland (of de taakbackend kan niet uitstellen); volgende: {day}."
            )
