from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nabij.demo.second_factor import demo_second_factors
from nabij.demo.services import demo_load, demo_logins


class Command(BaseCommand):
    help = "Load the fictional demo town (idempotent, fixed seed). Runs only with DEBUG on."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Remake every app's demo data (the demo users' contacts, promises, questionnaires, projects), "
            "also when it was loaded before; without it, data loaded once is left as it is",
        )

    def handle(self, *args, quiet_logins=False, rebuild=False, **options):
        if not settings.DEBUG:
            # The demo users share one known password and printed second-factor secrets: never on a real site.
            raise CommandError(
                "load_demo runs only with DEBUG on: the demo's passwords and second-factor secrets are public."
            )
        loaded = demo_load(rebuild=rebuild)
        self.stdout.write(self.style.SUCCESS(f"Demo town Lindervoort loaded ({', '.join(loaded)})."))
        if not quiet_logins:
            self.stdout.write(f"Demo logins (password for all: {demo_logins()[0][2]}):")
            for email, role, _password in demo_logins():
                self.stdout.write(f"  {role:<12} {email}")
            self.stdout.write(
                "Second factor: add the secret (or the otpauth link as a QR code) to an authenticator app; "
                "each recovery code works once (load_demo makes them valid again)."
            )
            for factor in demo_second_factors():
                self.stdout.write(f"  {factor.email}")
                self.stdout.write(f"    secret (base32): {factor.secret}")
                self.stdout.write(f"    otpauth:         {factor.otpauth_uri}")
                self.stdout.write(f"    recovery codes:  {' '.join(factor.recovery_codes)}")
