"""`manage.py retention_purge [--dry-run]`: erase what has passed its retention period now, and say what."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from nabij.privacy.registry import kind
from nabij.privacy.retention import retention_purge


class Command(BaseCommand):
    help = "Erase every record whose retention period has passed (NABIJ_RETENTION), as the daily task does."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be erased.")

    def handle(self, *args, dry_run: bool = False, **options):
        counts = retention_purge(dry_run=dry_run)
        self.stdout.write(_("Would erase (dry run, nothing changed):") if dry_run else _("Erased:"))
        for key, number in counts.items():
            self.stdout.write(f"  {kind(key).title}: {number}")
        if not any(counts.values()):
            self.stdout.write(_("Nothing has passed its retention period."))
