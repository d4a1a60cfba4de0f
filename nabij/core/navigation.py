"""The main navigation per role, a registry: each app registers its entries from its `AppConfig.ready()`
(`register_nav_entries`), each behind its own permission rule, so core knows no higher app. An entry is a tuple
(label, url) or (label, url, badge)."""

from collections.abc import Callable
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


# key -> (order, entries(user)); filled by the apps' AppConfig.ready().
_ENTRIES: dict[str, tuple[int, Callable[..., list[tuple]]]] = {}


def register_nav_entries(*, key: str, entries: Callable[..., list[tuple]], order: int) -> None:
    """Add an app's menu entries: `entries(user)` returns the ones this user may use, in menu order; the menu
    shows the groups by `order` (home is first). Registering the same key again replaces it."""
    _ENTRIES[key] = (order, entries)


def core_entries(user) -> list[tuple]:
    if permissions.can_manage_users(user):
        return [(_("CSP reports"), reverse("core:csp-report-list"))]
    return []


def menu_for(request) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    entries = [(_("My neighbourhoods"), reverse("core:home"))]
    for _order, group in sorted(_ENTRIES.values(), key=lambda item: item[0]):
        entries.extend(group(user))
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
