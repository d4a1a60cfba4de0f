"""The areas entry of the main menu (registered with nabij.core.navigation in apps.py): every user may browse the
gemeenten, wijken and buurten of their scope."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nabij.core.navigation import reverse


def nav_entries(user) -> list[tuple]:
    return [(_("Areas"), reverse("areas:gemeente-list"))]
