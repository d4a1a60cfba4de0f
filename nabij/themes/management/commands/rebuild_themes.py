"""`python manage.py rebuild_themes`: recount every theme count from the sources and run detection.

Gives the same counts as the incremental path; coordinators' decisions on themes are kept."""

from django.core.management.base import BaseCommand

from nabij.themes.services import themes_rebuild


class Command(BaseCommand):
    help = "Rebuild theme counts from contacts and observations and run theme detection."

    def handle(self, *args, **options):
        counts, themes = themes_rebuild()
        self.stdout.write(f"Thematellingen opnieuw opgebouwd: {counts} cellen; {themes} thema's actueel.")
