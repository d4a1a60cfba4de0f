"""Themes in the privacy registry (nabij.privacy.registry): counts and themes hold no personal data (distinct
people per buurt, topic and week; names and keywords recurring across many people), but the cached word counts
behind theme names are made from notes: after an erasure they are rebuilt from what is left."""

from __future__ import annotations

from nabij.privacy.registry import register_erasure_listener, register_not_personal


def _after_erasure() -> None:
    from nabij.themes.services import background_cache_clear

    background_cache_clear()


register_erasure_listener(_after_erasure)
for _model in ("ThemeCount", "ThemeRefreshPending", "Theme", "ThemeAction"):
    register_not_personal(f"themes.{_model}", reason="counts per buurt, topic and week, and what staff did with them")
