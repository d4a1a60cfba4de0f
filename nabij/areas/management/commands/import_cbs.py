from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from nabij.areas.services import CbsImportError, cbs_import


class Command(BaseCommand):
    help = "Import the CBS wijk- en buurtkaart (GeoPackage or GeoJSON per level); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="GeoPackage and/or GeoJSON files")
        parser.add_argument("--jaar", type=int, default=None, help="Map year (default: from the file name)")

    def handle(self, *args, paths, jaar, **options):
        # Messages go to the people who run the import, in the product's language (Dutch by default).
        with translation.override(settings.LANGUAGE_CODE):
            self._import(paths, jaar)

    def _import(self, paths, jaar):
        try:
            summary = cbs_import(paths=paths, year=jaar)
        except CbsImportError as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(_("Import stopped: nothing was changed.")) from exc
        for level, label in (("gemeente", _("gemeenten")), ("wijk", _("wijken")), ("buurt", _("buurten"))):
            self.stdout.write(
                _("%(label)s: %(created)s new, %(updated)s updated, %(unchanged)s unchanged")
                % {
                    "label": label,
                    "created": summary.created[level],
                    "updated": summary.updated[level],
                    "unchanged": summary.unchanged[level],
                }
            )
        if summary.skipped_older:
            self.stdout.write(
                _("%(count)s areas skipped: a newer map is already stored.") % {"count": summary.skipped_older}
            )
        self.stdout.write(self.style.SUCCESS(_("CBS map %(year)s imported.") % {"year": summary.year}))
