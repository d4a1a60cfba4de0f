"""The main navigation per role. Apps add their entries here, guarded by the permissions module."""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as _reverse
from django.utils.translation import gettext_lazy as _

from nabij.core import permissions


@lru_cache(maxsize=256)
def _cached_reverse(name: str, prefix: str, urlconf) -> str:
    return _reverse(name, urlconf=urlconf)


def reverse(name: str) -> str:
    """`django.urls.reverse` for the argument-less menu URLs, remembered per script prefix and URLconf: the menu
    is built on every page and its dozen reversals were a noticeable part of it."""
    return _cached_reverse(name, get_script_prefix(), get_urlconf())


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool
    badge: int | None = None  # a count shown as a number badge (e.g. follow-ups due), None for none


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
    if permissions.can_use_followup(user):
        from nabij.followup.navigation import nav_entries  # follow-up adds "Mijn beloftes" (+ badge) and "Team"

        entries.extend(nav_entries(user))
    if permissions.can_view_round_overview(user):
        entries.append((_("Rounds per week"), reverse("contacts:round-overview")))
    if permissions.can_manage_topics(user):
        entries.append((_("Topics"), reverse("contacts:topic-list")))
    if permissions.can_view_social_map(user):
        entries.append((_("Social map"), reverse("assets:map")))
        entries.append((_("Projects"), reverse("participation:project-list")))
    if permissions.can_view_surveys(user):
        entries.append((_("Questionnaires"), reverse("surveys:survey-list")))
    if permissions.can_view_theme_dashboard(user):
        entries.append((_("Themes"), reverse("themes:theme-list")))
    entries.append((_("Areas"), reverse("areas:gemeente-list")))
    if permissions.can_manage_users(user):
        entries.append((_("Users"), reverse("accounts:user-list")))
    from nabij.accounts.navigation import nav_entries as account_entries  # "Samenwerkingsafspraken" (beheerders)

    entries.extend(account_entries(user))
    if permissions.can_view_audit(user):
        entries.append((_("Audit log"), reverse("privacy:audit-list")))
    if permissions.can_manage_users(user):
        entries.append((_("CSP reports"), reverse("core:csp-report-list")))
    path = request.path
    # Only the most specific entry is current: "/contacten/vastleggen/" must not also mark "/contacten/". An entry
    # whose address holds other entries' addresses ("/" and "Mijn contacten" at "/contacten/") is current only on
    # its own page: a buurt timeline under /contacten/ is not "Mijn contacten".
    urls = [url for _label, url, *_badge in entries]
    parents = {url for url in urls if any(other != url and other.startswith(url) for other in urls)}
    matches = [url for url in urls if path == url or (url not in parents and path.startswith(url))]
    current_url = max(matches, key=len) if matches else None
    items = []
    for label, url, *badge in entries:  # an entry may carry a third value: its badge count
        items.append(NavItem(label=str(label), url=url, current=url == current_url, badge=badge[0] if badge else None))
    return items
