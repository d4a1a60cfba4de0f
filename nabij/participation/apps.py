from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "nabij.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from nabij.core.navigation import register_nav_entries
        from nabij.participation import navigation

        register_nav_entries(key="participation", entries=navigation.nav_entries, order=51)
