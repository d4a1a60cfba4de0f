from django.core.management.base import BaseCommand

from nabij.demo.services import demo_load, demo_logins


class Command(BaseCommand):
    help = "Load the fictional demo town (idempotent, fixed seed)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Remake every app's demo data (the demo users' contacts, promises, questionnaires, projects), "
            "also when it was loaded before; without it, data loaded once is left as it is",
        )

    def handle(self, *args, quiet_logins=False, rebuild=False, **options):
        loaded = demo_load(rebuild=rebuild)
        self.stdout.write(self.style.SUCCESS(f"Demo town Lindervoort loaded ({', '.join(loaded)})."))
        if not quiet_logins:
            self.stdout.write(f"Demo logins (password for all: {demo_logins()[0][2]}):")
            for email, role, _password in demo_logins():
                self.stdout.write(f"  {role:<12} {email}")
