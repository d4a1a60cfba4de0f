from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _topic_renamed(*, topic_id: int) -> None:
    from nabij.assets.services import topic_renamed
    from nabij.core.models import Topic

    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is not None:
        topic_renamed(topic=topic)  # the labels are part of the sociale kaart's search text


class AssetsConfig(AppConfig):
    name = "nabij.assets"
    verbose_name = _("Social map")

    def ready(self):
        from nabij.assets import navigation
        from nabij.core.navigation import register_nav_entries

        register_nav_entries(key="assets", entries=navigation.nav_entries, order=50)
        from nabij.core import events

        events.topic_renamed.subscribe(_topic_renamed)
