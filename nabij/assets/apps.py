from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _topic_renamed(sender, *, topic, **kwargs) -> None:
    from nabij.assets.services import topic_renamed

    topic_renamed(topic=topic)  # the labels are part of the sociale kaart's search text


class AssetsConfig(AppConfig):
    name = "nabij.assets"
    verbose_name = _("Social map")

    def ready(self):
        from nabij.assets import navigation
        from nabij.core.navigation import register_nav_entries

        register_nav_entries(key="assets", entries=navigation.nav_entries, order=50)
        from nabij.core import events

        events.topic_renamed.connect(_topic_renamed, dispatch_uid="assets-topic-renamed")
