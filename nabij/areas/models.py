"""Areas from the CBS wijk- en buurtkaart: gemeente ⊃ wijk ⊃ buurt, keyed by CBS code.

Codes are strings (CBS allows letters in the last positions). Inhabitants are null when CBS hides or does not
know the figure; geometry is WGS84 GeoJSON, simplified for display.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

GEMEENTE_CODE_RE = r"^GM[0-9A-Z]{4}$"
WIJK_CODE_RE = r"^WK[0-9A-Z]{6}$"
BUURT_CODE_RE = r"^BU[0-9A-Z]{8}$"


class Area(models.Model):
    name = models.CharField(_("name"), max_length=200)
    inhabitants = models.PositiveIntegerField(
        _("inhabitants"), null=True, blank=True, help_text=_("Empty when CBS hides or does not know the figure.")
    )
    is_water = models.BooleanField(_("water"), default=False, help_text=_("Water areas are left out of pickers."))
    map_year = models.PositiveSmallIntegerField(_("map year"), help_text=_("Year of the CBS map it came from."))
    geometry = models.JSONField(_("geometry"), null=True, blank=True, help_text=_("WGS84 GeoJSON, simplified."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Gemeente(Area):
    code = models.CharField(
        _("CBS code"), max_length=6, primary_key=True, validators=[RegexValidator(GEMEENTE_CODE_RE)]
    )

    class Meta(Area.Meta):
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")


class Wijk(Area):
    code = models.CharField(_("CBS code"), max_length=8, primary_key=True, validators=[RegexValidator(WIJK_CODE_RE)])
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="wijken", verbose_name=_("gemeente"))

    class Meta(Area.Meta):
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")


class Buurt(Area):
    code = models.CharField(_("CBS code"), max_length=10, primary_key=True, validators=[RegexValidator(BUURT_CODE_RE)])
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, related_name="buurten", verbose_name=_("wijk"))
    # Denormalised from the wijk so scope filters and national lists need no join.
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="buurten", verbose_name=_("gemeente"))

    class Meta(Area.Meta):
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        indexes = [models.Index(fields=["gemeente", "wijk"], name="buurt_gemeente_wijk")]
