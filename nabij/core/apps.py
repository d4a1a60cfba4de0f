from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "nabij.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from nabij.core.middleware import session_start
        from nabij.core.models import Topic
        from nabij.core.navigation import core_entries, register_nav_entries
        from nabij.core.selectors import topic_cache_clear

        user_logged_in.connect(session_start, dispatch_uid="nabij_session_start")
        register_nav_entries(key="core", entries=core_entries, order=110)
        post_save.connect(topic_cache_clear, sender=Topic, dispatch_uid="core-topic-cache-save")
        post_delete.connect(topic_cache_clear, sender=Topic, dispatch_uid="core-topic-cache-delete")
