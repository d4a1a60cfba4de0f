from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from nabij.privacy.audit_chain import audit_verify


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain from its anchor to its head and the append-only triggers. Prints the "
        "first broken link (event, time, what is wrong) and exits with 1; exits with 0 when the chain is intact."
    )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            report = audit_verify()
            if report.ok:
                self.stdout.write(_("Chain intact: %(count)d events.") % {"count": report.count})
                return
            self.stderr.write(_("Chain broken: %(problem)s") % {"problem": report.problem})
        raise SystemExit(1)
