from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "nabij.areas"
    label = "areas"
    verbose_name = _("Areas")

    def ready(self) -> None:
        from nabij.areas import navigation
        from nabij.core.navigation import register_nav_entries

        register_nav_entries(key="areas", entries=navigation.nav_entries, order=80)
