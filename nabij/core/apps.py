from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "nabij.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from nabij.core.middleware import session_start

        user_logged_in.connect(session_start, dispatch_uid="nabij_session_start")
