from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_digest_schedule(sender, **kwargs) -> None:
    # Every `migrate` (run by `make run` and by each production deploy) makes sure the morning digest chain
    # exists; see docs/decisions/0300-followup-digest-scheduling.md.
    from nabij.followup.scheduling import digest_schedule_ensure

    digest_schedule_ensure(using=kwargs.get("using"))


class FollowupConfig(AppConfig):
    name = "nabij.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from nabij.core.navigation import register_nav_entries
        from nabij.followup import navigation

        register_nav_entries(key="followup", entries=navigation.nav_entries, order=20)
        post_migrate.connect(_ensure_digest_schedule, sender=self, dispatch_uid="followup-digest-schedule")
        from nabij.followup.inzage import register as register_inzage

        register_inzage()  # the promises and referrals in a resident's inzage
