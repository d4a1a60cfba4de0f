from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "nabij.themes"
    label = "themes"
    verbose_name = _("Themes")

    def ready(self) -> None:
        from nabij.core.navigation import register_nav_entries
        from nabij.themes import navigation

        register_nav_entries(key="themes", entries=navigation.nav_entries, order=70)
        # Counts follow the lower apps' writes through their announced events (nabij.core.events).
        from nabij.core.dashboard import register_home_panel
        from nabij.themes import subscriptions
        from nabij.themes.dashboard import home_panel

        subscriptions.subscribe()

        register_home_panel(
            key="themes.proposals", template="themes/partials/home_proposals.html", context=home_panel, order=20
        )
        # New proposals in the coordinators' morning digest (followup's section registry, decision 0302).
        from nabij.themes import digest

        digest.register()
