from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "nabij.surveys"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        from nabij.core.navigation import register_nav_entries
        from nabij.surveys import navigation

        register_nav_entries(key="surveys", entries=navigation.nav_entries, order=60)
