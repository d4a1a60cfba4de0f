"""The follow-up entries of the main menu (registered with nabij.core.navigation in apps.py): "Mijn beloftes"
with a number badge (overdue and today's promises plus referrals to check back on, as far as the policies let the
user see them: one indexed count per page, read fresh so it is never stale), "Ontvangen doorverwijzingen" for
staff of an organisation that is on the sociale kaart and uses Nabij, and "Team" for coordinators."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nabij.core import permissions
from nabij.core.navigation import reverse
from nabij.followup.selectors import badge_count, receives_referrals


def nav_entries(user) -> list[tuple]:
    entries: list[tuple] = []
    if permissions.can_use_followup(user):
        entries.append((_("My promises"), reverse("followup:my-promises"), badge_count(user=user) or None))
        if receives_referrals(user=user):
            entries.append((_("Received referrals"), reverse("followup:referrals-received")))
    if permissions.can_view_followup_team(user):
        entries.append((_("Team"), reverse("followup:team")))
    return entries
