"""The accounts entries of the main menu (called by nabij.core.navigation): "Samenwerkingsafspraken" for the
beheerders who speak for their organisation."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nabij.accounts import rules
from nabij.core.navigation import reverse


def nav_entries(user) -> list[tuple]:
    if rules.can_manage_agreements(user):
        return [(_("Sharing agreements"), reverse("accounts:agreement-list"))]
    return []
