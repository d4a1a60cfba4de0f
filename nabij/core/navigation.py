"""The main navigation per role. Apps add their entries here, guarded by the permissions module."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nabij.core import permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def menu_for(request) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    entries = [(_("My neighbourhoods"), reverse("core:home"))]
    if permissions.can_log_contacts(user):
        # First after home: on a phone it is visible without scrolling the menu (capture in ≤ 3 taps).
        entries.append((_("Log a contact"), reverse("contacts:contact-capture")))
        entries.append((_("My rounds"), reverse("contacts:round-list")))
        entries.append((_("My contacts"), reverse("contacts:my-contacts")))
    if permissions.can_view_round_overview(user):
        entries.append((_("Rounds per week"), reverse("contacts:round-overview")))
    if permissions.can_manage_topics(user):
        entries.append((_("Topics"), reverse("contacts:topic-list")))
    if permissions.can_view_social_map(user):
        entries.append((_("Social map"), reverse("assets:map")))
    entries.append((_("Areas"), reverse("areas:gemeente-list")))
    if permissions.can_manage_users(user):
        entries.append((_("Users"), reverse("accounts:user-list")))
    if permissions.can_view_audit(user):
        entries.append((_("Audit log"), reverse("privacy:audit-list")))
    path = request.path
    items = []
    for label, url in entries:
        current = path == url or (url != "/" and path.startswith(url))
        items.append(NavItem(label=str(label), url=url, current=current))
    return items
