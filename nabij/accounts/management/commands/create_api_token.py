from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nabij.accounts.models import User
from nabij.accounts.services import api_token_create


class Command(BaseCommand):
    help = gettext_lazy("Print a new Bearer token for the JSON API for USERNAME (the user's e-mail address).")

    def add_arguments(self, parser):
        parser.add_argument("username", help=gettext_lazy("The e-mail address the user logs in with."))
        parser.add_argument("--name", default="", help=gettext_lazy("What the token is for (shown in the list)."))
        parser.add_argument(
            "--days", type=int, default=None, help=gettext_lazy("How many days the token works (default 90).")
        )

    def handle(self, *args, username, name="", days=None, **options):
        email = username.strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(_("There is no user with e-mail address %(email)s.") % {"email": email})
        if not user.is_active:
            raise CommandError(_("User %(email)s is not active.") % {"email": email})
        try:
            _record, token = api_token_create(user=user, name=name or "", days=days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        # Only the token on stdout, so scripts can capture it; the hint goes to stderr.
        self.stdout.write(token)
        self.stderr.write(_("Send it as the header “Authorization: Bearer <token>”. It is shown only this once."))
