from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "nabij.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from nabij.accounts import navigation
        from nabij.core.navigation import register_nav_entries

        register_nav_entries(key="accounts", entries=navigation.nav_entries, order=90)
        from nabij.accounts import signals  # noqa: F401  (connects the login audit receivers)
