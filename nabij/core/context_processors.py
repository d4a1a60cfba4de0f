from django.conf import settings

from nabij.core import permissions
from nabij.core.navigation import menu_for


def navigation(request):
    """The menu for the user's role and flags every base template needs."""
    user = getattr(request, "user", None)
    return {
        "nav_items": menu_for(request),
        "pdok_tiles": settings.PDOK_TILES,
        "pdok_tiles_url": settings.PDOK_TILES_URL if settings.PDOK_TILES else "",
        "user_role_label": permissions.role_label(user) if user is not None else "",
    }
