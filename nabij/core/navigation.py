"""The main navigation per role. Apps add their entries here, guarded by the permissions module."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    entries.append((_("Areas"), reverse("areas:gemeente-list")))
    path = request.path
    items = []
    for label, url in entries:
        current = path == url or (url != "/" and path.startswith(url))
        items.append(NavItem(label=str(label), url=url, current=current))
    return items
