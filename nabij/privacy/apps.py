from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_retention_schedule(sender, **kwargs) -> None:
    # Every `migrate` makes sure the daily retention purge chain exists, as for the morning digest
    # (docs/decisions/0300-followup-digest-scheduling.md, 0020-retention.md).
    from nabij.privacy.scheduling import retention_schedule_ensure

    retention_schedule_ensure(using=kwargs.get("using"))


class PrivacyConfig(AppConfig):
    name = "nabij.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from nabij.core.navigation import register_nav_entries
        from nabij.privacy import navigation

        register_nav_entries(key="privacy", entries=navigation.nav_entries, order=100)
        from django.utils.module_loading import autodiscover_modules

        # The registry of personal data: this app's own kinds, then each app's `privacy.py` (nabij.privacy.registry).
        from nabij.privacy import kinds  # noqa: F401

        autodiscover_modules("privacy")
        post_migrate.connect(_ensure_retention_schedule, sender=self, dispatch_uid="privacy-retention-schedule")
