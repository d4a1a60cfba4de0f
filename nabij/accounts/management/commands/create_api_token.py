from django.core.management.base import BaseCommand, CommandError

from nabij.accounts.models import User
from nabij.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Print a new Bearer token for the JSON API for USERNAME (the user's e-mail address)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(email__iexact=username.strip()).first()
        if user is None:
            raise CommandError(f"Geen gebruiker met e-mailadres {username}.")
        if not user.is_active:
            raise CommandError(f"Gebruiker {username} is niet actief.")
        _record, token = api_token_create(user=user)
        self.stdout.write(token)
