from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LanguageConfig(AppConfig):
    name = "nabij.language"
    label = "language"
    verbose_name = _("Language tools")

    def ready(self):
        # Off by default: management commands, tests and the task worker never need deduce. A web deployment
        # that captures notes may switch it on so the first capture after a restart is not the slow one.
        if getattr(settings, "DEIDENTIFY_PRELOAD", False):
            from nabij.language.deidentify import load_in_background

            load_in_background()
