"""The follow-up entries of the main menu (called by nabij.core.navigation): "Mijn beloftes" with a number badge
(overdue and today's promises plus referrals to check back on: one indexed COUNT per page, read fresh so it is
never stale), and "Team" for coordinators."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nabij.core import permissions
from nabij.core.navigation import reverse
from nabij.followup.selectors import badge_count


def nav_entries(user) -> list[tuple]:
    entries: list[tuple] = []
    if permissions.can_use_followup(user):
        entries.append((_("My promises"), reverse("followup:my-promises"), badge_count(user=user) or None))
    if permissions.can_view_followup_team(user):
        entries.append((_("Team"), reverse("followup:team")))
    return entries
