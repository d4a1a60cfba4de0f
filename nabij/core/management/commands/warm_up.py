"""Warm anything slow to start once after install, so the first request or task is not the slow one.

Each app may offer `warmup.warm()`; `make install` runs this command.
"""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Warm slow-to-start components once (e.g. the de-identification lookup tables)."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if not config.name.startswith("nabij."):
                continue
            name = f"{config.name}.warmup"
            if importlib.util.find_spec(name) is None:
                continue
            self.stdout.write(f"Warming {config.label} …")
            importlib.import_module(name).warm()
