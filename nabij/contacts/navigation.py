"""The contacts entries of the main menu (registered with nabij.core.navigation in apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nabij.core import permissions
from nabij.core.navigation import reverse


def nav_entries(user) -> list[tuple]:
    """Capture comes first after home: on a phone it is visible without scrolling the menu (≤ 3 taps)."""
    entries: list[tuple] = []
    if permissions.can_log_contacts(user):
        entries.append((_("Log a contact"), reverse("contacts:contact-capture")))
        entries.append((_("My rounds"), reverse("contacts:round-list")))
        entries.append((_("My contacts"), reverse("contacts:my-contacts")))
    return entries


def overview_entries(user) -> list[tuple]:
    entries: list[tuple] = []
    if permissions.can_view_round_overview(user):
        entries.append((_("Rounds per week"), reverse("contacts:round-overview")))
    if permissions.can_manage_topics(user):
        entries.append((_("Topics"), reverse("contacts:topic-list")))
    return entries
