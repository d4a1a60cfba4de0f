"""The surveys entry of the main menu (registered with nabij.core.navigation in apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nabij.core import permissions
from nabij.core.navigation import reverse


def nav_entries(user) -> list[tuple]:
    if permissions.can_view_surveys(user):
        return [(_("Questionnaires"), reverse("surveys:survey-list"))]
    return []
