"""Which app's demo data has been loaded, so that `make run` (which loads the demo every time) never rebuilds it
again over what people entered while trying the demo."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoLoad(models.Model):
    label = models.CharField(_("app"), max_length=60, unique=True, help_text=_("The app whose demo data was loaded."))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("demo load")
        verbose_name_plural = _("demo loads")

    def __str__(self) -> str:
        return self.label
