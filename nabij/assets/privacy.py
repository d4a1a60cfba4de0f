"""The sociale kaart's personal data in the privacy registry (nabij.privacy.registry): key figures.

A key figure is a resident listed with their consent, not linked to a resident file (contacts.Resident): their
record is found and removed on its own page. The rest of the sociale kaart describes organisations, initiatives
and places, public by design.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nabij.assets.models import KeyFigure
from nabij.privacy.registry import PersonalData, describe_fields, register, register_not_personal


def key_figures_erase(qs: QuerySet) -> int:
    """Removed for real: label, role, gifts, the search text and the stored search vector go with the row."""
    pks = list(qs.values_list("pk", flat=True))
    KeyFigure.objects.filter(pk__in=pks).delete()
    return len(pks)


register(
    PersonalData(
        key="sleutelfiguren",
        model="assets.KeyFigure",
        title=_("Key figures"),
        fields=("label", "role", "gifts"),
        not_personal_fields=("search_text",),  # derived from the fields above, erased with them
        erase=key_figures_erase,
        kept_while="kept while the resident's consent stands; removed for real when they withdraw it",
        describe=lambda k: describe_fields(k, ["label", "buurt", "role", "gifts", "topics", "consent_date"]),
        order=60,
    )
)
register_not_personal("assets.Provider", reason="an organisation on the sociale kaart: public details")
register_not_personal("assets.Initiative", reason="an initiative on the sociale kaart: public, a group's contact")
register_not_personal("assets.Place", reason="a place on the sociale kaart: public details")
register_not_personal("assets.SupportLog", reason="support given to an initiative, written without residents' names")
register_not_personal("assets.ImportBatch", reason="rows of a sociale-kaart import, deleted within a day")
