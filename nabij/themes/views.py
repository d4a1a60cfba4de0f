"""Pages of the themes app: the proposals dashboard, a theme page, and the coordinator's decisions.

No personal data on these pages: counts (small cells unless wholly the viewer's own), keywords from texts the viewer
may read, and area names.
Outside scope answers 404 with an audit refusal; a role that may not decide gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.areas import selectors as area_selectors
from nabij.assets import selectors as asset_selectors
from nabij.core import permissions
from nabij.core.exceptions import InvalidInput, NotVisible, PermissionRefused
from nabij.privacy.refusals import require
from nabij.themes import selectors, services
from nabij.themes.forms import (
    ActionForm,
    ConfirmForm,
    RejectForm,
    RenameForm,
    ThemeFilterForm,
    apply_service_error,
)
from nabij.themes.models import Level, Theme


def _require_viewer(request) -> None:
    require(permissions.can_view_themes(request.user), actor=request.user, action="view", object_type="theme")


def _theme_or_404(request, pk: int) -> Theme:
    _require_viewer(request)
    return selectors.theme_get(user=request.user, pk=pk)  # NotVisible: 404, audited


def _theme_to_decide(request, pk: int) -> Theme:
    """The theme, 404 outside the viewer's areas, 403 (audited) unless they may decide on it."""
    theme = _theme_or_404(request, pk)
    require(
        permissions.can_decide_theme(request.user, theme),
        actor=request.user,
        action="update",
        object_type="theme",
        object_id=pk,
    )
    return theme


def theme_list(request):
    """'Thema's': proposals first (highlighted), then recognised and running themes, in the viewer's areas."""
    _require_viewer(request)
    form = ThemeFilterForm(request.GET or None)
    status = level = ""
    if form.is_valid():
        status, level = form.cleaned_data["status"], form.cleaned_data["level"]
    themes = list(selectors.theme_list(user=request.user, status=status, level=level)[:200])
    rows = [
        {
            "theme": t,
            "name": selectors.theme_display_name(request.user, t),
            "count": selectors.theme_shown_count(request.user, t),
            "why": selectors.theme_explanation(request.user, t),
        }
        for t in themes
    ]
    proposals = [r for r in rows if r["theme"].status == Theme.Status.VOORGESTELD]
    others = [r for r in rows if r["theme"].status != Theme.Status.VOORGESTELD]
    return render(request, "themes/theme_list.html", {"form": form, "proposals": proposals, "others": others})


def _social_map(request, theme: Theme) -> list:
    """What already exists for the topic near the theme's area (sociale kaart, within the viewer's scope)."""
    codes = selectors.theme_buurt_codes(theme)
    visible = [
        c
        for c in codes
        if permissions.has_national_scope(request.user) or c in permissions.visible_buurt_codes(request.user)
    ]
    if not visible:
        return []
    buurt = area_selectors.buurt_get(user=request.user, code=visible[0])
    try:
        return asset_selectors.social_map_search(user=request.user, buurt=buurt, topic=theme.topic.slug, limit=10)
    except NotVisible:
        return []


def _detail_context(request, theme: Theme, **forms) -> dict:
    buurt_rows = selectors.theme_buurt_rows(user=request.user, theme=theme)
    visible_buurten = [
        b
        for b in area_selectors.buurt_list(user=request.user, with_geometry=True).filter(
            code__in=[r.code for r in buurt_rows if r.visible]
        )
    ]
    may_decide = permissions.can_decide_theme(request.user, theme)
    keywords, suggested_name = selectors.theme_words(request.user, theme)
    children = theme.children.select_related("topic").order_by("area_name")
    context = {
        "theme": theme,
        "name": selectors.theme_display_name(request.user, theme),
        "parent_name": selectors.theme_display_name(request.user, theme.parent) if theme.parent else "",
        "keywords": keywords,
        "suggested_name": suggested_name,
        "count": selectors.theme_shown_count(request.user, theme),
        "why": selectors.theme_explanation(request.user, theme),
        "trend": selectors.theme_trend(user=request.user, theme=theme),
        "buurt_rows": buurt_rows,
        "map_data": area_selectors.buurten_feature_collection(visible_buurten),
        "has_map": bool(visible_buurten),
        "social_map": _social_map(request, theme),
        "children": [{"theme": c, "name": selectors.theme_display_name(request.user, c)} for c in children],
        "actions": list(theme.actions.all()),
        "may_decide": may_decide,
        "confirm_form": forms.get("confirm_form") or ConfirmForm(initial={"name": suggested_name}),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "action_form": forms.get("action_form") or ActionForm(),
        "Status": Theme.Status,
        "Level": Level,
    }
    return context


def theme_detail(request, pk: int):
    theme = _theme_or_404(request, pk)
    return render(request, "themes/theme_detail.html", _detail_context(request, theme))


def _decide(request, pk: int, form_class, form_key: str, call):
    theme = _theme_to_decide(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = call(theme, form.cleaned_data)
        except InvalidInput as exc:
            apply_service_error(form, exc)
        except PermissionRefused as exc:
            raise PermissionDenied from exc
        else:
            messages.success(request, message)
            return redirect("themes:theme-detail", pk=theme.pk)
    context = _detail_context(request, theme, **{form_key: form})
    return render(request, "themes/theme_detail.html", context, status=422)


@require_POST
def theme_confirm(request, pk: int):
    def call(theme, data):
        services.theme_confirm(user=request.user, theme=theme, name=data["name"])
        return _("The theme has been recognised.")

    return _decide(request, pk, ConfirmForm, "confirm_form", call)


@require_POST
def theme_reject(request, pk: int):
    def call(theme, data):
        services.theme_reject(user=request.user, theme=theme, reason=data["reason"])
        return _("The proposal has been rejected.")

    return _decide(request, pk, RejectForm, "reject_form", call)


@require_POST
def theme_action_add(request, pk: int):
    def call(theme, data):
        services.theme_action_add(user=request.user, theme=theme, kind=data["kind"], label=data["label"])
        return _("The action has been linked.")

    return _decide(request, pk, ActionForm, "action_form", call)


@require_POST
def theme_complete(request, pk: int):
    from django import forms as dj_forms

    def call(theme, data):
        services.theme_complete(user=request.user, theme=theme)
        return _("The theme has been completed.")

    return _decide(request, pk, dj_forms.Form, "complete_form", call)


def theme_rename(request, pk: int):
    """A page where the coordinator renames a theme (any status): the name shown everywhere from then on."""
    theme = _theme_to_decide(request, pk)
    status = 200
    if request.method == "POST":
        form = RenameForm(request.POST)
        if form.is_valid():
            try:
                services.theme_rename(user=request.user, theme=theme, name=form.cleaned_data["name"])
            except InvalidInput as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("The theme has been renamed."))
                return redirect("themes:theme-detail", pk=theme.pk)
        status = 422
    else:
        form = RenameForm(initial={"name": selectors.theme_display_name(request.user, theme)})
    context = {
        "theme": theme,
        "form": form,
        "name": selectors.theme_display_name(request.user, theme),
        "keywords": selectors.theme_words(request.user, theme)[0],
    }
    return render(request, "themes/theme_rename.html", context, status=status)
