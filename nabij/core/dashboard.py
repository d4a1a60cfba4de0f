"""Panels on the home page ("Mijn buurten") offered by higher apps.

Core is a base app and never imports the domain apps above it; an app that has something for the home page
registers a panel from its AppConfig.ready(). A panel's context function returns None when it has nothing to
show for this user, so roles only see what concerns them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable[..., dict | None]
    order: int


_panels: dict[str, HomePanel] = {}


def register_home_panel(*, key: str, template: str, context: Callable[..., dict | None], order: int = 100) -> None:
    """Register (or replace, by key — ready() may run more than once in tests) a home-page panel."""
    _panels[key] = HomePanel(template=template, context=context, order=order)


def home_panels(request) -> list[dict]:
    """The panels with something to show for this request, in order: [{"template", "panel"}]."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.context(request)
        if context is not None:
            shown.append({"template": panel.template, "panel": context})
    return shown
