"""The accounts entries of the main menu (registered with nabij.core.navigation in apps.py): "Gebruikers" for
who manages users, "Samenwerkingsafspraken" for the beheerders who speak for their organisation, and for everyone
"API-sleutels" (their own API tokens) and their own "Tweestapsverificatie" page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nabij.accounts import rules
from nabij.core import permissions
from nabij.core.navigation import reverse


def nav_entries(user) -> list[tuple]:
    entries = []
    if permissions.can_manage_users(user):
        entries.append((_("Users"), reverse("accounts:user-list")))
    if rules.can_manage_agreements(user):
        entries.append((_("Sharing agreements"), reverse("accounts:agreement-list")))
    if rules.can_have_tokens(user):
        entries.append((_("API keys"), reverse("accounts:token-list")))
    entries.append((_("Two-step verification"), reverse("accounts:mfa-overview")))
    return entries
