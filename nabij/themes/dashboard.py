"""The "new theme proposals" panel for the coordinators' home page (issue 9: "Coordinators see new proposals on
their dashboard").

Registered with core's home-page panel registry (`nabij.core.dashboard`) in `ThemesConfig.ready()`.
"""

from __future__ import annotations

from nabij.core import permissions
from nabij.themes import selectors
from nabij.themes.models import Theme

PANEL_LIMIT = 5


def home_panel(request) -> dict | None:
    """The newest proposals in the coordinator's areas (at most PANEL_LIMIT, with the count of all of them) and
    the one-sentence reason for each; None for roles that do not decide on themes or when there is nothing new."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not permissions.can_view_theme_dashboard(user):
        return None
    proposals = list(
        selectors.theme_list(user=user, status=Theme.Status.VOORGESTELD).select_related("topic")[:PANEL_LIMIT]
    )
    proposals = [t for t in proposals if permissions.can_decide_theme(user, t)]
    if not proposals:
        return None
    return {
        "total": selectors.new_proposal_count(user=user),
        "rows": [
            {"theme": t, "name": selectors.theme_display_name(user, t), "why": selectors.theme_explanation(user, t)}
            for t in proposals
        ],
    }
